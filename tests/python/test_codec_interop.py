"""Blosc and Zstd cubes open outside eqsweep, bit for bit (issue 10).

Usage (as ctest runs it):
    /usr/bin/python3 test_codec_interop.py <eqsweep binary> <zstd plugin dir> <work dir>

Runs one small model-Y spec three times (compression none, blosc, zstd), then checks that
- xarray (engine="h5netcdf", after `import hdf5plugin`) reads every variable of the Blosc and the
  Zstd cube with the same bytes as the uncompressed cube; Blosc through Debian's filters
  (python3-hdf5plugin, hdf5-filter-plugin-blosc-serial), Zstd through eqsweep's own plugin
  (libH5Zzstd_eqsweep.so, appended to HDF5's plugin path), since Debian 12 ships no Zstd filter;
- h5dump (Debian's hdf5-filter-plugin-blosc-serial) dumps a variable of the Blosc cube in binary
  with the same bytes, and shows the standard Blosc cd_values;
- the datasets declare the filters a reader needs (32001 with the hdf5-blosc cd_values; shuffle
  + 32015).
Exits non-zero with a message naming the failed check.
"""

import os
import subprocess
import sys

from ye_specs import ye_theta_t_spec

SPEC = ye_theta_t_spec(theta=(0.05, 0.95, 19), t=(0.0, 1.0, 23), chunk=(4, 23))


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def run(binary, work, codec):
    spec = os.path.join(work, "codec.toml")
    with open(spec, "w", encoding="utf-8") as f:
        f.write(SPEC)
    cube = os.path.join(work, f"{codec}.h5")
    result = subprocess.run([binary, "run", spec, "-o", cube, "--overwrite", "--quiet", "--threads", "2",
                             "--set", f"run.compression={codec}"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    check(result.returncode == 0, f"eqsweep run ({codec}) exited with {result.returncode}:\n{result.stdout}")
    return cube


def check_filters(blosc, zstd):
    import h5py

    with h5py.File(blosc, "r") as f:
        pipeline = f["N.pi_M"].id.get_create_plist()
        check(pipeline.get_nfilters() == 2 and pipeline.get_filter(1)[0] == 3,
              "the Blosc cube's N.pi_M is not Blosc then the Fletcher-32 checksum (3)")
        fid, _, values, _ = pipeline.get_filter(0)
        # hdf5-blosc's layout: revision 2, Blosc format 2, type size 8, chunk bytes 4*23*8, level 5,
        # byte shuffle 1, compressor lz4 = 1.
        check(fid == 32001 and tuple(values) == (2, 2, 8, 4 * 23 * 8, 5, 1, 1),
              f"Blosc filter {fid} with cd_values {tuple(values)}")
    with h5py.File(zstd, "r") as f:
        pipeline = f["N.pi_M"].id.get_create_plist()
        filters = [pipeline.get_filter(i)[0] for i in range(pipeline.get_nfilters())]
        check(filters == [2, 32015, 3],
              f"the Zstd cube's N.pi_M declares filters {filters}, expected shuffle, 32015, Fletcher-32")
        check(tuple(pipeline.get_filter(1)[2]) == (1,), "the Zstd level is not cd_values[0] = 1")


def check_xarray(plain, cubes, plugin_dir):
    import h5py
    import hdf5plugin  # noqa: F401  (registers the Blosc filter for h5py)
    import numpy as np
    import xarray as xr

    h5py.h5pl.append(plugin_dir.encode())  # eqsweep's Zstd filter (Debian 12's hdf5plugin has none)
    with xr.open_dataset(plain, engine="h5netcdf") as expected:
        for cube in cubes:
            with xr.open_dataset(cube, engine="h5netcdf") as ds:
                check(set(ds.data_vars) == set(expected.data_vars), f"{cube}: other variables")
                for name in expected.data_vars:
                    a, b = ds[name].values, expected[name].values
                    check(a.dtype == b.dtype and a.shape == b.shape, f"{cube}: {name} has another type or shape")
                    check(a.tobytes() == b.tobytes(), f"{cube}: {name} differs from the uncompressed cube")
                check(bool(np.isfinite(ds["N.pi_M"]).any()), f"{cube}: N.pi_M holds no number")


def check_h5dump(plain, blosc, work):
    import h5py

    for name in ("N.pi_M", "status"):
        out = os.path.join(work, f"h5dump-{name}.bin")
        result = subprocess.run(["h5dump", "-d", f"/{name}", "-b", "LE", "-o", out, blosc],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
        check(result.returncode == 0, f"h5dump could not read {name} of the Blosc cube:\n{result.stdout}")
        with open(out, "rb") as f:
            dumped = f.read()
        with h5py.File(plain, "r") as f:
            expected = f[name][()].astype(f[name].dtype.newbyteorder("<")).tobytes()
        check(dumped == expected, f"h5dump's bytes of {name} differ from the uncompressed cube")
    header = subprocess.run(["h5dump", "-H", "-p", "-d", "/N.pi_M", blosc], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=60).stdout
    check("FILTER_ID 32001" in header and "PARAMS { 2 2 8 736 5 1 1 }" in header,
          f"h5dump does not show the Blosc filter with its standard cd_values:\n{header}")


def main(argv):
    if len(argv) != 4:
        print(f"usage: {argv[0]} <eqsweep binary> <zstd plugin dir> <work dir>", file=sys.stderr)
        return 2
    binary, plugin_dir, work = argv[1:]
    os.makedirs(work, exist_ok=True)
    try:
        plain, blosc, zstd = (run(binary, work, c) for c in ("none", "blosc", "zstd"))
        check_filters(blosc, zstd)
        check_xarray(plain, [blosc, zstd], plugin_dir)
        check_h5dump(plain, blosc, work)
    except CheckFailed as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # an import error or an unreadable file is a failure too, with its cause
        print(f"FAIL: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    print("xarray reads the Blosc and Zstd cubes and h5dump the Blosc cube, bit for bit: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
