#!/usr/bin/python3
"""Share of feasible points where each claim of Lemma 1 and Propositions 1-10 holds, ties or fails,
under the published and the derived evaluation, with one counter-example point per failing claim.

Claim outputs are codes (models/ye2025/propositions.hpp): 1 holds, 0 fails, 2 tie (the compared
values equal to within rounding: neither, for a strict claim or a direction; for E.* the claim
holds through a tie), NaN outside the claim's region. Counter-examples are points coded 0.

    /usr/bin/python3 models/ye2025/tools/proposition_shares.py out/ye2025/props_*.h5

Reads cubes written by `eqsweep run sweeps/ye2025/props_*.toml`; prints the Markdown table of
docs/model-y-propositions.md.
"""
import sys

import numpy as np
import hdf5plugin  # noqa: F401  (the Blosc filter: cubes are Blosc-compressed by default)
import xarray as xr


def describe(ds, var, value):
    """Coordinates of the first point where `var` equals `value`, as 'name=value' pairs."""
    hit = np.argwhere(ds[var].values == value)
    if len(hit) == 0:
        return ""
    idx = hit[0]
    parts = [f"{d}={float(ds[d].values[i]):.4g}" for d, i in zip(ds[var].dims, idx)]
    fixed = ds.attrs.get("fixed_parameters", "")
    return ", ".join(parts)


def main(paths):
    rows = {}
    for path in paths:
        ds = xr.open_dataset(path, engine="h5netcdf")
        for var in ds.data_vars:
            name = str(var)
            derived = name.startswith("derived.")
            claim = name[len("derived."):] if derived else name
            if not (claim.startswith("prop.") or claim.startswith("E.")):
                continue
            v = ds[var].values
            feasible = ~np.isnan(v)
            n = int(feasible.sum())
            holds = int((v[feasible] == 1).sum())
            ties = int((v[feasible] == 2).sum())
            fails = int((v[feasible] == 0).sum())
            assert holds + ties + fails == n, f"{name}: codes other than 0, 1, 2 in {path}"
            example = describe(ds, var, 0.0) if fails else ""
            rows.setdefault(claim, {})["derived" if derived else "published"] = (n, holds, ties, example, path)
    print("| claim | published: holds / ties / feasible | derived: holds / ties / feasible | counter-example (derived; published if derived has none) |")
    print("|---|---|---|---|")
    for claim in sorted(rows):
        r = rows[claim]
        cells = []
        example = ""
        for key in ("published", "derived"):
            if key not in r:
                cells.append("-")
                continue
            n, holds, ties, ex, path = r[key]
            cells.append(f"{holds} / {ties} / {n} ({100.0 * holds / n:.1f}% / {100.0 * ties / n:.1f}%)"
                         if n else "no feasible point")
        for key in ("derived", "published"):
            if key in r and r[key][3]:
                example = f"{key}: {r[key][3]} ({r[key][4].split('/')[-1]})"
                break
        print(f"| {claim} | {cells[0]} | {cells[1]} | {example} |")


if __name__ == "__main__":
    main(sys.argv[1:])
