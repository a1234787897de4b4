#!/usr/bin/python3
"""sigma_h^C and sigma_h^D of model M from the cubes of sweeps/ma_sue/sigma_h_*.toml: the curves
over the fixed cost per option, the maps over (beta_mean, a1.a), and where Proposition 3
(sigma_h^D > sigma_h^C) holds. Prints a summary (docs/model-m.md quotes it) and writes PNGs.

    sigma_h_figure.py OUT_DIR FIG_DIR    # OUT_DIR holds sigma_h_{vs_F,map}_{central,decentral}.h5
"""
import sys

import hdf5plugin  # noqa: F401  (the Blosc filter: cubes are Blosc-compressed by default)
import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

THRESHOLD = "threshold.profit_k.SC1.2-profit_k.SC1.1.sigma"
COUNT = "threshold_count.profit_k.SC1.2-profit_k.SC1.1.sigma"
SOLVES = "threshold_solves.profit_k.SC1.2-profit_k.SC1.1.sigma"


def first_crossing(cube):
    """The first sigma where SC1's second option starts to pay; NaN where the line has none."""
    return cube[THRESHOLD][..., 0]


def load(out_dir, kind):
    c = h5py.File(f"{out_dir}/sigma_h_{kind}_central.h5", "r")
    d = h5py.File(f"{out_dir}/sigma_h_{kind}_decentral.h5", "r")
    for cube in (c, d):
        if (cube["status"][...] != 0).any():
            print(f"warning: {cube.filename} has points that are not verified equilibria")
        if (cube[COUNT][...] > 1).any():
            print(f"note: {cube.filename} has lines with more than one crossing; the first is used")
    return c, d


def versus_fixed_cost(out_dir, fig_dir):
    c, d = load(out_dir, "vs_F")
    F = c["SC1.F"][...]
    hc, hd = first_crossing(c), first_crossing(d)
    print("sigma_h over F (SC1.F):")
    for i in range(0, len(F), max(1, len(F) // 8)):
        print(f"  F = {F[i]:7.2f}: sigma_h^C = {hc[i]:.8f}, sigma_h^D = {hd[i]:.8f}, ratio {hd[i] / hc[i]:.4f}")
    fig, ax = plt.subplots(figsize=(5.5, 4))
    ax.plot(F, hc, label=r"$\sigma_h^C$ (centralized)")
    ax.plot(F, hd, label=r"$\sigma_h^D$ (decentralized)")
    ax.set_xlabel("fixed cost per option F of SC1")
    ax.set_ylabel(r"$\sigma_h$")
    ax.set_title("Example 3: threshold of a second option")
    ax.legend()
    fig.tight_layout()
    fig.savefig(f"{fig_dir}/ma-sigma-h-vs-F.png", dpi=120)


def map_over_mean_and_slope(out_dir, fig_dir):
    c, d = load(out_dir, "map")
    beta, a = c["beta_mean"][...], c["a1.a"][...]
    hc, hd = first_crossing(c), first_crossing(d)
    both = np.isfinite(hc) & np.isfinite(hd)
    holds = both & (hd > hc)
    ratio = np.where(both, hd / hc, np.nan)
    crossings = int(np.isfinite(hc).sum() + np.isfinite(hd).sum())
    solves = int(c[SOLVES][...].sum() + d[SOLVES][...].sum())
    print(f"map over beta_mean in [{beta[0]}, {beta[-1]}] x a1.a in [{a[0]:.3g}, {a[-1]:.3g}] "
          f"({len(beta)} x {len(a)} lines):")
    print(f"  lines with both thresholds: {both.sum()} of {both.size}")
    print(f"  Proposition 3 (sigma_h^D > sigma_h^C) holds on {holds.sum()} of {both.sum()}")
    print(f"  sigma_h^D / sigma_h^C from {np.nanmin(ratio):.4f} to {np.nanmax(ratio):.4f}")
    print(f"  sigma_h^C from {np.nanmin(hc):.4f} to {np.nanmax(hc):.4f}; "
          f"sigma_h^D from {np.nanmin(hd):.4f} to {np.nanmax(hd):.4f}")
    print(f"  extra solves per crossing: {solves / max(crossings, 1):.1f}")
    if both.sum() > holds.sum():
        i, j = np.argwhere(both & ~holds)[0]
        print(f"  counter-example: beta_mean = {beta[i]}, a1.a = {a[j]}: "
              f"sigma_h^C = {hc[i, j]}, sigma_h^D = {hd[i, j]}")
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    for ax, z, title in ((axes[0], hc, r"$\sigma_h^C$"), (axes[1], hd, r"$\sigma_h^D$"),
                         (axes[2], ratio, r"$\sigma_h^D / \sigma_h^C$ (Prop. 3: > 1)")):
        m = ax.pcolormesh(a, beta, z, shading="nearest")
        ax.set_xscale("log")
        ax.set_xlabel("time-cost scale a of link a1 (manufacturer 1, c = a/t)")
        ax.set_ylabel("mean time sensitivity (beta_mean)")
        ax.set_title(title)
        fig.colorbar(m, ax=ax)
    if np.nanmin(ratio) < 1 < np.nanmax(ratio):
        axes[2].contour(a, beta, ratio, levels=[1.0], colors="red")
    fig.tight_layout()
    fig.savefig(f"{fig_dir}/ma-sigma-h-map.png", dpi=110)


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    versus_fixed_cost(argv[1], argv[2])
    map_over_mean_and_slope(argv[1], argv[2])


if __name__ == "__main__":
    main(sys.argv)
