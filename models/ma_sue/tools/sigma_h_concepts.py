#!/usr/bin/python3
"""sigma_h^C and sigma_h^D of model M under both boundary concepts (docs/model-m.md, "Boundaries as
equilibrium variables"): segment_boundaries = "joint_optimal" (sweeps/ma_sue/sigma_h_*.toml) and
"equilibrium" (the same specs with _equilibrium). Prints the table docs/model-m.md quotes.

    sigma_h_concepts.py OUT_DIR            # OUT_DIR holds the cubes, named after their specs
    sigma_h_concepts.py OUT_DIR latent     # the point table for these readings (sealed, MNL, latent); with
                                           # latent also the latent_* cubes over F and the map (docs/model-m.md)
"""
import sys

import hdf5plugin  # noqa: F401  (Blosc-compressed cubes)
import h5py
import numpy as np

THRESHOLD = "threshold.profit_k.SC1.2-profit_k.SC1.1.sigma"
CATEGORICAL = "threshold.options.SC1.sigma"


def cube(out, name):
    c = h5py.File(f"{out}/{name}.h5", "r")
    bad = int((c["status"][...] != 0).sum())
    if bad:
        print(f"warning: {name}: {bad} points are not verified equilibria")
    return c


def first(c, key=THRESHOLD):
    return c[key][..., 0]


STEMS = {"sealed": "sigma_h", "MNL": "sigma_h_mnl", "latent": "sigma_h_latent"}


def point_table(out, readings=("sealed", "MNL")):
    print("| reading (Example 3, F = 33) | concept | sigma_h^C | sigma_h^D | ratio | categorical agrees to | max boundary_gain C, D | max deviation_gain C, D |")
    print("|---|---|---|---|---|---|---|---|")
    for reading in readings:
        stem = STEMS[reading]
        for concept, suffix in (("joint_optimal", ""), ("equilibrium", "_equilibrium")):
            c, d = cube(out, f"{stem}_central{suffix}"), cube(out, f"{stem}_decentral{suffix}")
            hc, hd = float(first(c)), float(first(d))
            agree = max(abs(float(first(c, CATEGORICAL)) - hc), abs(float(first(d, CATEGORICAL)) - hd))
            gains = [np.nanmax(x["boundary_gain"][...]) if "boundary_gain" in x else float("nan") for x in (c, d)]
            dev = [np.nanmax(x["deviation_gain"][...]) for x in (c, d)]
            print(f"| {reading} | {concept} | {hc:.8f} | {hd:.8f} | {hd / hc:.4f} | {agree:.1e} | "
                  f"{gains[0]:.1e}, {gains[1]:.1e} | {dev[0]:.1e}, {dev[1]:.1e} |")


def print_over_F(label, c, d):
    """sigma_h^C and sigma_h^D over F, one line: ranges, their ratio, where Prop. 3 holds."""
    hc, hd = first(c), first(d)
    r = hd / hc
    print(f"over F ({label}): sigma_h^C {np.nanmin(hc):.4f} .. {np.nanmax(hc):.4f}, "
          f"sigma_h^D {np.nanmin(hd):.4f} .. {np.nanmax(hd):.4f}, ratio {np.nanmin(r):.3f} .. {np.nanmax(r):.3f}, "
          f"> 1 on {int((r > 1).sum())} of {int(np.isfinite(r).sum())} (F values {r.size})")


def over_F(out):
    for reading, stem in (("sealed", "sigma_h_vs_F"), ("MNL", "sigma_h_mnl_vs_F")):
        for concept, suffix in (("joint_optimal", ""), ("equilibrium", "_equilibrium")):
            print_over_F(f"{reading}, {concept}", cube(out, f"{stem}_central{suffix}"),
                         cube(out, f"{stem}_decentral{suffix}"))


def the_map(out):
    for concept, suffix in (("joint_optimal", ""), ("equilibrium", "_equilibrium")):
        c, d = cube(out, f"sigma_h_map_central{suffix}"), cube(out, f"sigma_h_map_decentral{suffix}")
        hc, hd = first(c), first(d)
        both = np.isfinite(hc) & np.isfinite(hd)
        r = np.where(both, hd / hc, np.nan)
        print(f"map ({concept}, sealed): lines with both {both.sum()} of {both.size}; Prop. 3 holds on "
              f"{int((both & (hd > hc)).sum())}; ratio {np.nanmin(r):.3f} .. {np.nanmax(r):.3f}; "
              f"sigma_h^C {np.nanmin(hc):.4f} .. {np.nanmax(hc):.4f}, sigma_h^D {np.nanmin(hd):.4f} .. {np.nanmax(hd):.4f}")
        if suffix:
            c0, d0 = cube(out, "sigma_h_map_central"), cube(out, "sigma_h_map_decentral")
            print(f"  change against joint_optimal: |d sigma_h^C| <= {np.nanmax(abs(hc - first(c0))):.2e}, "
                  f"|d sigma_h^D| <= {np.nanmax(abs(hd - first(d0))):.2e}; max boundary_gain "
                  f"{np.nanmax(c['boundary_gain'][...]):.1e}, {np.nanmax(d['boundary_gain'][...]):.1e}")


def latent_curves(out):
    """The MNL specs over F and the sealed map's equilibrium specs rerun with --set options.demand=latent_class
    (--set options.choice=mnl), stored as latent_<spec>.h5."""
    for concept, suffix in (("joint_optimal", ""), ("equilibrium", "_equilibrium")):
        print_over_F(f"latent, {concept}", cube(out, f"latent_sigma_h_mnl_vs_F_central{suffix}"),
                     cube(out, f"latent_sigma_h_mnl_vs_F_decentral{suffix}"))
    c, d = cube(out, "latent_sigma_h_map_central_equilibrium"), cube(out, "latent_sigma_h_map_decentral_equilibrium")
    hc, hd = first(c), first(d)
    both = np.isfinite(hc) & np.isfinite(hd)
    r = np.where(both, hd / hc, np.nan)
    print(f"map (latent, equilibrium): lines with both {both.sum()} of {both.size}; Prop. 3 holds on "
          f"{int((both & (hd > hc)).sum())}; ratio {np.nanmin(r):.3f} .. {np.nanmax(r):.3f}; "
          f"sigma_h^C {np.nanmin(hc):.4f} .. {np.nanmax(hc):.4f}, sigma_h^D {np.nanmin(hd):.4f} .. {np.nanmax(hd):.4f}; "
          f"max boundary_gain {np.nanmax(c['boundary_gain'][...]) if 'boundary_gain' in c else float('nan'):.1e}, "
          f"{np.nanmax(d['boundary_gain'][...]) if 'boundary_gain' in d else float('nan'):.1e}")


def main(argv):
    if len(argv) == 3:
        point_table(argv[1], argv[2].split(","))
        if "latent" in argv[2].split(","):
            latent_curves(argv[1])
        return
    if len(argv) != 2:
        sys.exit(__doc__)
    point_table(argv[1])
    over_F(argv[1])
    the_map(argv[1])


if __name__ == "__main__":
    main(sys.argv)
