#!/usr/bin/env python3
"""The anchor of issue 10: what a researcher writes instead of eqsweep, timed against eqsweep.

NumPy evaluates the published closed forms of model Y's scenarios N and Y (Appendix A.1-A.2, the
same formulas as models/ye2025/published_basic.hpp, 20 outputs) over a theta x t grid, and h5py
writes them as one chunked dataset per output. `eqsweep run` computes the same 20 outputs over
the same grid from sweeps/demo.toml (and does more: feasibility checks that set infeasible points
to NaN, a status per point, a resumable file). Both sides are timed end to end as a user runs
them (process start to file closed), interleaved, median of --reps; the file sizes are printed.

NumPy sides: h5py's default (no compression), gzip 4 + shuffle (what the issue measured), and
Blosc LZ4 + shuffle through hdf5plugin (the codec eqsweep uses by default).

    /usr/bin/python3 bench/numpy_anchor.py --build build --reps 3 [--theta 2410 --t 401] [--durability both]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

NUMPY_SIDE = r'''
import sys, time, numpy as np, h5py
mode, path, n_theta, n_t = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
if mode == "blosc":
    import hdf5plugin
np.seterr(all="ignore")  # q_B = 0 at t = 0 gives c_B = 0/0 = NaN, as eqsweep stores it
k, sigma, Gamma = 0.5, 0.5, 0.2
theta = np.linspace(0.02, 0.98, n_theta)[:, None]
t = np.linspace(0.0, 1.0, n_t)[None, :]
s2 = sigma * sigma
denom = 1 + t * s2
E = t * Gamma * s2 / denom
V = t * theta * s2 * s2 / denom
margin = (1 - k) * t
tt = t * t / ((1 - theta) * theta)
pi_R_core = tt * (1 - (2 - k) * k - 16 * (1 - theta) * theta)
pi_SC_core = tt * (3 * (1 - k) ** 2 - 16 * (1 - theta) * theta)
q_A = (1 - theta - (1 - k) * t) / (4 * (1 - theta))
out = {}
for sc, a in (("N", 2.0), ("Y", 1.0)):
    if sc == "N":
        p_A = 0.75 + theta * E / 2
        p_B = (3 * theta + t * (3 + k) + 2 * theta * E) / 4
        q_B = (margin / ((1 - theta) * theta) + 2 * E) / 4
        w_A = 0.5 + 0 * (theta * t)
        w_B = (margin + theta) / 2
        pi_R = (1 + pi_R_core + 4 * V) / 16
        pi_M = (1 + (1 - k) ** 2 * tt) / 8
        pi_SC = (3 + pi_SC_core + 4 * V) / 16
    else:
        p_A = 0.75 * (1 + theta * E)
        p_B = (3 * theta + t * (3 + k) + 3 * theta * E) / 4
        q_B = (margin / ((1 - theta) * theta) + E) / 4
        w_A = (1 + theta * E) / 2
        w_B = (margin + theta + theta * E) / 2
        pi_R = (1 + pi_R_core + V) / 16
        pi_M = (1 + (1 - k) ** 2 * tt + V) / 8
        pi_SC = (3 + pi_SC_core + 3 * V) / 16
    c_B = t * t / q_B
    for name, v in (("p_A", p_A), ("p_B", p_B), ("q_A", q_A + 0 * theta * t), ("q_B", q_B), ("w_A", w_A),
                    ("w_B", w_B), ("pi_R", pi_R), ("pi_M", pi_M), ("pi_SC", pi_SC), ("c_B", c_B)):
        out[f"{sc}.{name}"] = np.broadcast_to(v, (n_theta, n_t)).astype(np.float64)
opts = {}
if mode == "gzip":
    opts = dict(compression="gzip", compression_opts=4, shuffle=True)
elif mode == "blosc":
    opts = dict(hdf5plugin.Blosc(cname="lz4", clevel=5, shuffle=hdf5plugin.Blosc.SHUFFLE))
chunk = (max(1, 16384 // n_t), n_t)
with h5py.File(path, "w") as f:
    f["theta"] = theta[:, 0]
    f["t"] = t[0, :]
    for name, v in out.items():
        f.create_dataset(name, data=v, chunks=chunk, **opts)
'''

OUTPUTS = [f"{s}.{o}" for s in ("N", "Y") for o in ("p_A", "p_B", "q_A", "q_B", "w_A", "w_B", "pi_R", "pi_M", "pi_SC", "c_B")]


def timed(cmd, env=None):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--theta", type=int, default=2410)
    ap.add_argument("--t", type=int, default=401)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--durability", choices=("commit", "end", "none", "both"), default="commit",
                    help="eqsweep's run.durability (commit, its default, syncs; NumPy never syncs); "
                         "both: time commit and none side by side")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    eqsweep = os.path.join(root, args.build, "cli", "eqsweep")
    points = args.theta * args.t
    with tempfile.TemporaryDirectory() as tmp:
        side_script = os.path.join(tmp, "numpy_side.py")
        with open(side_script, "w") as f:
            f.write(NUMPY_SIDE)
        runs = {}
        for mode in ("none", "gzip", "blosc"):
            runs[f"numpy+h5py {mode}"] = [sys.executable, side_script, mode, os.path.join(tmp, f"np-{mode}.h5"),
                                          str(args.theta), str(args.t)]
        outputs = "[" + ", ".join(f'"{o}"' for o in OUTPUTS) + "]"
        durabilities = ("commit", "none") if args.durability == "both" else (args.durability,)
        for durability, threads, codec in ((d, t, c) for d in durabilities for t in args.threads.split(",")
                                           for c in ("blosc", "deflate", "none")):
            suffix = "" if durability == "commit" else f" {durability}"
            runs[f"eqsweep {codec} {threads} thr{suffix}"] = [
                eqsweep, "run", os.path.join(root, "sweeps", "demo.toml"), "-o",
                os.path.join(tmp, f"eq-{codec}-{threads}-{durability}.h5"), "--overwrite", "--progress", "none",
                "--threads", threads, "--set", f"outputs={outputs}", "--set", f'run.compression="{codec}"',
                "--set", f"axis[0].linspace=[0.02, 0.98, {args.theta}]",
                "--set", f"axis[1].linspace=[0.0, 1.0, {args.t}]", "--set", f'run.durability="{durability}"']
        times = {name: [] for name in runs}
        for _ in range(args.reps):
            for name, cmd in runs.items():
                times[name].append(timed(cmd))
        sizes = {}
        for name, cmd in runs.items():
            path = cmd[3] if name.startswith("numpy") else cmd[4]
            sizes[name] = os.path.getsize(path)
        med = {name: statistics.median(v) for name, v in times.items()}
        ref = med["numpy+h5py gzip"]
        print(f"{points} points ({args.theta} x {args.t}), 20 outputs, median of {args.reps}")
        print(f"{'run':28} {'seconds':>8} {'points/s':>10} {'MB':>7} {'speed vs numpy gzip':>20} {'vs numpy same codec':>20}")
        for name in runs:
            same = None
            if name.startswith("eqsweep"):
                codec = name.split()[1]
                same = {"blosc": "numpy+h5py blosc", "deflate": "numpy+h5py gzip", "none": "numpy+h5py none"}[codec]
            vs_same = f"{med[same] / med[name]:.2f}x" if same else ""
            print(f"{name:28} {med[name]:8.3f} {points / med[name] / 1e6:9.2f}M {sizes[name] / 1e6:7.1f} "
                  f"{ref / med[name]:19.2f}x {vs_same:>20}")


if __name__ == "__main__":
    main()
