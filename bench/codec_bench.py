#!/usr/bin/env python3
"""End-to-end speed and size of each chunk codec (issue 10), ratios from one run.

    /usr/bin/python3 bench/codec_bench.py [--build build] [--reps 3] [--threads 1,2] [--dir /tmp]

Runs `eqsweep run` on two sweeps with every codec at each thread count, `--reps` times,
interleaved (codec after codec inside each repetition, so that a change of machine load hits all
of them alike), and prints a Markdown table of the medians: wall-clock points/s of the whole
command (file creation to the final provenance stamp), CPU seconds of the process per 10^6 points,
file size, compression ratio (the `none` file's size ÷ the file's), and each codec's points/s
and size relative to deflate at the same thread count. Then it reads every cube back whole with
xarray (engine="h5netcdf", after `import hdf5plugin`) and prints that time too.

The sweeps:
  Y  sweeps/demo.toml (model Y, N+Y published, 20 outputs) with theta refined 10x: 2410 x 401
     = 966,410 points (the demo itself, 96,641 points, runs in ~0.1 s: too short to time);
  M  sweeps/ma_sue/example3_s1_million.toml (model M, verified SUE) with sigma cut to 250 values:
     250 x 1000 = 250,000 points.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

CODECS = [
    ("none", ["run.compression=none"]),
    ("deflate 4 (shuffle)", ["run.compression=deflate", "run.deflate_level=4"]),
    ("zstd 1 (shuffle)", ["run.compression=zstd", "run.zstd_level=1"]),
    ("blosc lz4 5 shuffle", ["run.compression=blosc", "run.blosc_codec=lz4", "run.blosc_shuffle=shuffle",
                             "run.blosc_level=5"]),
    ("blosc lz4 5 bitshuffle", ["run.compression=blosc", "run.blosc_codec=lz4", "run.blosc_shuffle=bitshuffle",
                                "run.blosc_level=5"]),
    ("blosc zstd 1 bitshuffle", ["run.compression=blosc", "run.blosc_codec=zstd", "run.blosc_shuffle=bitshuffle",
                                 "run.blosc_level=1"]),
]

SWEEPS = [
    ("Y", "sweeps/demo.toml", ["axis[0].linspace=[0.02, 0.98, 2410]"], 2410 * 401),
    ("M", "sweeps/ma_sue/example3_s1_million.toml", ["axis[0].linspace=[0.05, 0.2, 250]"], 250 * 1000),
]


def run_once(binary, spec, sets, threads, out):
    cmd = [binary, "run", spec, "-o", out, "--overwrite", "--quiet", "--threads", str(threads)]
    for s in sets:
        cmd += ["--set", s]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    output = proc.stdout.read().decode()
    proc.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{output}")
    return wall, usage.ru_utime + usage.ru_stime, os.path.getsize(out)


def read_back(path, plugin_dir):
    import h5py
    import hdf5plugin  # noqa: F401  (registers Blosc for h5py)
    import xarray as xr
    if plugin_dir and os.path.isdir(plugin_dir):
        h5py.h5pl.append(plugin_dir.encode())  # Zstd: eqsweep's plugin (Debian 12 ships none)
    start = time.perf_counter()
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        ds.load()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--dir", default=os.environ.get("TMPDIR", "/tmp"))
    parser.add_argument("--sweeps", default="Y,M")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.chdir(root)
    binary = os.path.join(args.build, "cli", "eqsweep")
    plugin_dir = os.path.abspath(os.path.join(args.build, "engine", "hdf5-plugins"))
    threads = [int(t) for t in args.threads.split(",")]
    sweeps = [s for s in SWEEPS if s[0] in args.sweeps.split(",")]
    work = tempfile.mkdtemp(prefix="codec-bench-", dir=args.dir)
    results = {}  # (sweep, codec, threads) -> lists of wall, cpu, size
    try:
        for rep in range(args.reps):
            for sweep, spec, sweep_sets, points in sweeps:
                for t in threads:
                    for name, sets in CODECS:
                        out = os.path.join(work, f"{sweep}-{CODECS.index((name, sets))}-{t}.h5")
                        wall, cpu, size = run_once(binary, spec, sweep_sets + sets, t, out)
                        r = results.setdefault((sweep, name, t), {"wall": [], "cpu": [], "size": size, "file": out})
                        r["wall"].append(wall)
                        r["cpu"].append(cpu)
            print(f"repetition {rep + 1}/{args.reps} done", file=sys.stderr)

        print(f"\n{args.reps} repetitions, medians; machine: {os.cpu_count()} cores, load average at the end "
              f"{os.getloadavg()[0]:.2f}\n")
        print("| sweep | codec | threads | points/s | CPU s per 10⁶ points | file MB | ratio | points/s ÷ deflate "
              "| size ÷ deflate | xarray read s |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for sweep, _, _, points in sweeps:
            for t in threads:
                base = results[(sweep, "deflate 4 (shuffle)", t)]
                none = results[(sweep, "none", t)]
                for name, _ in CODECS:
                    r = results[(sweep, name, t)]
                    wall, cpu = statistics.median(r["wall"]), statistics.median(r["cpu"])
                    read = read_back(r["file"], plugin_dir) if t == threads[-1] else None
                    print(f"| {sweep} | {name} | {t} | {points / wall / 1e6:.2f} M | {cpu / points * 1e6:.2f} | "
                          f"{r['size'] / 1e6:.1f} | {none['size'] / r['size']:.2f} | "
                          f"{statistics.median(base['wall']) / wall:.2f} | {r['size'] / base['size']:.3f} | "
                          f"{'' if read is None else f'{read:.2f}'} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
