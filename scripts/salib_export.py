#!/usr/bin/env python3
"""Writes a design cube's samples and outputs in SALib's layout, to cross-check eqsweep's indices
with SALib (docs/sensitivity-indices.md, "Cross-checking with SALib"):

  OUTDIR/problem.json   SALib's problem dict: num_vars, names, bounds (log-scaled parameters as
                        their bounds; SALib's analyzers read only num_vars and names)
  OUTDIR/X.txt          the design's points, one row per point, in the cube's order (np.loadtxt)
  OUTDIR/Y.txt          the indicator per point (NaN where the point is not solved)

  scripts/salib_export.py CUBE OUTDIR --indicator Y.pi_M [--minus N.pi_M] [--grid-index I]

--grid-index picks one point of the grid axes beside the design (row-major, 0 without grid axes).
Then, with SALib installed (pip; it is not a Debian package, and eqsweep does not depend on it):

  from SALib.analyze import sobol; import json, numpy as np
  p = json.load(open("OUTDIR/problem.json")); Y = np.loadtxt("OUTDIR/Y.txt")
  sobol.analyze(p, Y, calc_second_order=False)          # saltelli designs (groups A, AB_1..AB_k, B)
  morris.analyze(p, np.loadtxt("OUTDIR/X_unit.txt"), Y, num_levels=LEVELS)   # morris designs

SALib's analyzers need every value finite: drop unsolved groups first, as eqsweep does.
"""
import argparse
import json
import os

import h5py
import numpy as np


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cube")
    ap.add_argument("outdir")
    ap.add_argument("--indicator", required=True)
    ap.add_argument("--minus")
    ap.add_argument("--grid-index", type=int, default=0)
    a = ap.parse_args()
    with h5py.File(a.cube, "r") as f:
        if "point" not in f:
            raise SystemExit(f"{a.cube}: no `point` dimension; not a design cube")
        y_ds = f[a.indicator]
        coords = text(y_ds.attrs["coordinates"]).split()
        names = [n for n in coords if n in f and f[n].ndim == 1 and "design" in f[n].attrs]
        points = f["point"].shape[0]
        X = np.stack([f[n][:] for n in names], axis=1)
        y = y_ds[...].reshape(-1, points)[a.grid_index]
        if a.minus:
            y = y - f[a.minus][...].reshape(-1, points)[a.grid_index]
        status = f["status"][...].reshape(-1, points)[a.grid_index]
        y = np.where(status == 0, y, np.nan)
        bounds, unit = [], np.empty_like(X)
        for j, n in enumerate(names):
            lo, hi = json.loads(text(f[n].attrs["design_range"]))
            log = text(f[n].attrs["design_scale"]) == "log"
            bounds.append([lo, hi])
            unit[:, j] = (np.log(X[:, j] / lo) / np.log(hi / lo)) if log else (X[:, j] - lo) / (hi - lo)
        kind = text(f[names[0]].attrs["design"])
    os.makedirs(a.outdir, exist_ok=True)
    with open(os.path.join(a.outdir, "problem.json"), "w") as out:
        json.dump({"num_vars": len(names), "names": names, "bounds": bounds, "eqsweep_design": kind}, out, indent=1)
    np.savetxt(os.path.join(a.outdir, "X.txt"), X, fmt="%.17g")
    np.savetxt(os.path.join(a.outdir, "X_unit.txt"), unit, fmt="%.17g")
    np.savetxt(os.path.join(a.outdir, "Y.txt"), y, fmt="%.17g")
    print(f"{a.outdir}: {points} points of a {kind} design over {', '.join(names)}; {int(np.isnan(y).sum())} unsolved")


if __name__ == "__main__":
    main()
