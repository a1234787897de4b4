#!/usr/bin/python3
"""Proposition 1(a), centralized: compares the no-purchase share of two cubes with the same axes,
SUE (sweeps/ma_sue/prop1_sue.toml) and UE (prop1_ue.toml), point by point.

usage: prop1_compare.py sue.h5 ue.h5
Prints the share of points where 1 - sum P (SUE) > 1 - sum P (UE), and the counter-examples
(with the largest zero-margin utility any chain can offer, read from the UE prices: a chain that
sells nothing prices at cost, so its utility is that capacity).
"""
import sys

import numpy as np
import xarray as xr

sue = xr.open_dataset(sys.argv[1], engine="h5netcdf")
ue = xr.open_dataset(sys.argv[2], engine="h5netcdf")
ok = (sue.status == 0) & (ue.status == 0)
holds = (sue["no_purchase"] > ue["no_purchase"]) & ok
n, n_ok, n_holds = int(ok.size), int(ok.sum()), int(holds.sum())
print(f"points: {n}, solved and verified in both: {n_ok}, Proposition 1(a) holds: {n_holds} ({100 * n_holds / max(n_ok, 1):.1f} %)")
fails = ok & ~holds
if int(fails.sum()):
    f = fails.stack(p=fails.dims)
    f = f.where(f, drop=True)
    print(f"counter-examples: {int(fails.sum())}")
    for k in range(min(int(f.size), 8)):
        coords = {d: float(f.p[k][d]) for d in fails.dims}
        s, u = sue.sel(coords), ue.sel(coords)
        print("  " + ", ".join(f"{d}={v:g}" for d, v in coords.items()) +
              f": no purchase SUE {float(s.no_purchase):.4f}, UE {float(u.no_purchase):.4f}; "
              f"UE profits ({float(u['profit.SC1']):.3f}, {float(u['profit.SC2']):.3f})")
    # Where it fails, along w: the largest w that fails, per (sigma, a1.a).
    wmax = ue.w.where(fails).max("w")
    print("largest failing w per (sigma, a1.a):")
    print(wmax.to_pandas().to_string(float_format=lambda v: f"{v:.1f}"))
# Proposition 1(c) as printed (every chain earns more under SUE than under UE).
for c in ("SC1", "SC2"):
    more = ((sue[f"profit.{c}"] > ue[f"profit.{c}"]) & ok).sum()
    print(f"profit.{c} higher under SUE than UE: {int(more)} of {n_ok}")
