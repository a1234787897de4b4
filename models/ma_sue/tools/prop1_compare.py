#!/usr/bin/python3
"""Proposition 1(a) and (c): compares the no-purchase share of two cubes with the same axes, SUE
and UE, point by point: centralized (sweeps/ma_sue/prop1_sue.toml, prop1_ue.toml) or with
Stackelberg chains (prop1_sue_decentral.toml, prop1_ue_decentral.toml).

usage: prop1_compare.py sue.h5 ue.h5 [sue_central.h5 ue_central.h5]
Prints the share of points where 1 - sum P (SUE) > 1 - sum P (UE), the counter-examples, the
profit comparison of 1(c) per chain and, where the cubes have them (decentralized), per firm.
With the two centralized cubes as well (the first two then being the decentralized ones), also
the second half of 1(a): no purchase decentralized > centralized, under SUE and under UE.
"""
import sys

import numpy as np
import hdf5plugin  # noqa: F401  (the Blosc filter: cubes are Blosc-compressed by default)
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
    for key in (f"profit.{c}", f"profit_m.{c}", f"profit_n.{c}"):
        if bool(np.isnan(ue[key].where(ok)).all()):
            continue  # centralized chains: no firm profits
        more = ((sue[key] > ue[key]) & ok).sum()
        print(f"{key} higher under SUE than UE: {int(more)} of {n_ok}")
if len(sys.argv) > 4:
    # Second half of 1(a): decentralized (the first two cubes) against centralized (the last two).
    for name, d, c in (("SUE", sue, xr.open_dataset(sys.argv[3], engine="h5netcdf")),
                       ("UE", ue, xr.open_dataset(sys.argv[4], engine="h5netcdf"))):
        both = (d.status == 0) & (c.status == 0)
        higher = ((d.no_purchase > c.no_purchase) & both).sum()
        equal = ((d.no_purchase == c.no_purchase) & both).sum()
        print(f"{name}: no purchase decentralized > centralized at {int(higher)} of {int(both.sum())} points "
              f"(equal at {int(equal)}; largest |difference| {float(abs(d.no_purchase - c.no_purchase).where(both).max()):.3g})")
