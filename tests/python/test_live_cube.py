"""A cube is readable from Python while a run writes it and after the run is killed (issue 15, item 4).

Usage (as ctest runs it):
    /usr/bin/python3 test_live_cube.py <eqsweep binary> <source dir> <work dir>

A plain h5py.File(p, "r") or xr.open_dataset(p, engine="h5netcdf") refuses a cube whose writer
was killed ("file is already open for write"). The recipe of docs/safety.md opens it in HDF5's
SWMR-read mode: h5py directly, xarray through an h5netcdf.File opened with swmr=True. This test
runs a slow sweep (model M's projection solver capped so that each tile takes a while), reads it
both ways while it runs and again after kill -9, and checks that finished tiles hold values and
unfinished ones read as "not computed". Exits non-zero naming the failed check.
"""

import os
import signal
import subprocess
import sys
import time


def check(condition, message):
    if not condition:
        print(f"FAILED: {message}", file=sys.stderr)
        sys.exit(1)


def check_reads(path, when):
    """The recipe of docs/safety.md: which tiles are finished first, then their values."""
    import h5netcdf
    import h5py
    import numpy as np
    import xarray as xr

    f = h5py.File(path, "r", swmr=True)
    done = f["_eqsweep/tiles_done"][...]
    status = f["status"]
    status.refresh()  # SWMR readers see chunks written after the open only after a refresh
    status = status[...]
    check(status.shape == (16,), f"{when}: status has shape {status.shape}")
    # xarray through h5netcdf, whose File passes swmr=True on to h5py.
    ds = xr.open_dataset(xr.backends.H5NetCDFStore(h5netcdf.File(path, "r", swmr=True)))
    via_xarray = ds["status"].values
    for tile, finished in enumerate(done):
        cells = slice(4 * tile, 4 * tile + 4)
        if finished:
            # The capped solver fails every point: status 2, never the fill value 3.
            check(np.all(status[cells] == 2), f"{when}: finished tile {tile} reads {status[cells]} in h5py")
            check(np.all(via_xarray[cells] == 2), f"{when}: finished tile {tile} reads {via_xarray[cells]} in xarray")
        else:
            check(np.all((status[cells] == 3) | (status[cells] == 2)), f"{when}: unfinished tile {tile} reads {status[cells]}")
    check(ds["sigma"].size == 16 and abs(float(ds["sigma"][0]) - 0.08) < 1e-12,
          f"{when}: xarray's sigma coordinate is {ds['sigma'].values}")
    n = int(done.sum())
    ds.close()
    f.close()
    return n


def main():
    cli, source, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    import hdf5plugin  # noqa: F401  (the default Blosc codec)

    cube = os.path.join(work, "live.h5")
    for stale in (cube, cube + ".lock", cube + ".partial"):
        if os.path.exists(stale):
            os.remove(stale)
    args = [cli, "run", os.path.join(source, "sweeps/ma_sue/fig7_sigma_central.toml"), "-o", cube, "--threads", "1",
            "--progress", "none", "--commit-interval", "0.02",
            "--set", "options.solver=projection", "--set", "options.max_iterations=400000",
            "--set", "axis[0].linspace=[0.08, 0.16, 16]", "--set", "run.chunk=[4]",
            "--set", "run.max_failed_fraction=1"]
    run = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        done = 0
        while done == 0:
            check(run.poll() is None, "the run ended before a tile could be read live; make the tiles slower")
            check(time.monotonic() < deadline, "no tile finished within 120 s")
            time.sleep(0.05)
            if os.path.exists(cube):
                try:
                    done = check_reads(cube, "while running")
                except OSError:
                    pass  # between the create and the first SWMR flush
        check(run.poll() is None, "the run ended before it could be killed; the test proved nothing")
        run.send_signal(signal.SIGKILL)
        run.wait()
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()

    after = check_reads(cube, "after kill -9")
    check(after >= done, f"{after} tiles after the kill, {done} before")

    info = subprocess.run([cli, "info", cube], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(info.returncode == 0, f"info on the killed cube exited {info.returncode}:\n{info.stdout}")
    check(f"{after}/4 tiles finished" in info.stdout and "rerun the same command to resume" in info.stdout,
          f"info does not say what the killed cube holds:\n{info.stdout}")
    check('h5py.File(path, "r", swmr=True)' in info.stdout, f"info does not say how to read it:\n{info.stdout}")
    print(f"ok: {done} tiles read while running, {after} after kill -9, with h5py and xarray")


if __name__ == "__main__":
    main()
