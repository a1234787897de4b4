#!/usr/bin/python3
"""Plots the demo cube: who gains from sharing demand information through the blockchain.

Usage: plot_demo.py CUBE.h5 OUT.png

Left: the manufacturer's gain pi_M^Y - pi_M^N; right: the retailer's loss pi_R^N - pi_R^Y, over
the (t, theta) plane. Grey cells are outside the two-product region (status != solved).
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import hdf5plugin  # noqa: E402,F401  (the Blosc filter: cubes are Blosc-compressed by default)
import xarray as xr  # noqa: E402
from eqplot import label  # noqa: E402


def main(cube_path, png_path):
    ds = xr.open_dataset(cube_path, engine="h5netcdf")
    solved = ds["status"] == 0
    panels = [
        ((ds["Y.pi_M"] - ds["N.pi_M"]).where(solved), r"manufacturer's gain $\pi_M^Y - \pi_M^N$"),
        ((ds["N.pi_R"] - ds["Y.pi_R"]).where(solved), r"retailer's loss $\pi_R^N - \pi_R^Y$"),
    ]
    fixed = ds.attrs.get("fixed_parameters", "")
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8), constrained_layout=True)
    for ax, (field, title) in zip(axes, panels):
        ax.set_facecolor("0.85")
        mesh = field.plot.pcolormesh(ax=ax, x="t", y="theta", cmap="viridis", add_colorbar=False)
        fig.colorbar(mesh, ax=ax, label=title)
        ax.contour(ds["t"], ds["theta"], np.asarray(solved, dtype=float), levels=[0.5], colors="white", linewidths=0.8)
        ax.set_title(title)
        ax.set_xlabel(label(ds["t"]), fontsize=8)
        ax.set_ylabel(label(ds["theta"]), fontsize=8)
    fig.suptitle(
        f"Model Y (Ye, Wang & Zhao 2025), scenarios N and Y, published closed forms at {fixed}\n"
        "grey: outside the two-product region (status != solved)"
    )
    fig.savefig(png_path, dpi=120)
    print(f"plot_demo: wrote {png_path}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
