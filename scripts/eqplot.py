#!/usr/bin/python3
"""Plots any eqsweep cube. Axis names, units and descriptions come from the file.

  plot heatmap   CUBE VAR --x AXIS --y AXIS [--sel AXIS=VALUE ...] [--overlay THRESHOLD ...] -o OUT.png
  plot regions   CUBE VAR --x AXIS --y AXIS [--sel ...] [--overlay THRESHOLD ...] -o OUT.png
  plot line      CUBE VAR [VAR ...] --x AXIS [--sel ...] -o OUT.png
  plot threshold CUBE THRESHOLD [--x AXIS] [--sel ...] -o OUT.png
  plot list      CUBE

VAR is any data variable, or A-B for a difference of two. Cells whose status is not "solved"
are shown grey (heatmap) or as their own region (regions). --sel fixes extra axes at the
nearest grid value. THRESHOLD is a dataset "threshold.<indicator>.<axis>"; --overlay draws
its crossing curves (the refined thresholds) over a heat map or region map. --overlay also takes
a region map "region_segments.<indicator>.<x>.<y>" ([[region_map]], docs/thresholds.md) and
draws its refined boundary. `plot regions` draws the region map of VAR over the same two axes by
itself when the cube has one (--no-region-map turns that off).
"""
import argparse
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import hdf5plugin  # noqa: E402,F401  (the Blosc filter: cubes are Blosc-compressed by default)
import xarray as xr  # noqa: E402


def open_cube(path):
    return xr.open_dataset(path, engine="h5netcdf")


def label(da):
    """'name: description [units]' from the variable's attributes."""
    name = da.attrs.get("long_name", "")
    units = da.attrs.get("units", "")
    text = f"{da.name}" + (f": {name}" if name and name != da.name else "")
    if len(text) > 70:
        text = text[:67] + "..."
    return text + (f" [{units}]" if units and units != "1" else "")


def variable(ds, spec):
    if spec in ds:
        return ds[spec]
    if "-" in spec:
        a, b = spec.split("-", 1)
        if a in ds and b in ds:
            out = ds[a] - ds[b]
            out.name = spec
            out.attrs = {"long_name": f"{a} - {b}", "units": ds[a].attrs.get("units", "")}
            return out
    sys.exit(f"plot: no variable {spec!r} in the cube; variables: {', '.join(ds.data_vars)}")


def select(ds, da, sel, keep):
    """Fixes every axis not in `keep`: those given with --sel at the nearest value, others must be length 1."""
    fixed = {}
    for item in sel or []:
        key, _, value = item.partition("=")
        if key not in ds.dims:
            sys.exit(f"plot: --sel {item}: {key!r} is not an axis; axes: {', '.join(ds.dims)}")
        fixed[key] = float(value)
    if fixed:
        da = da.sel({k: v for k, v in fixed.items() if k in da.dims}, method="nearest")
    for dim in list(da.dims):
        if dim not in keep:
            if da.sizes[dim] == 1:
                da = da.isel({dim: 0})
            else:
                sys.exit(f"plot: axis {dim!r} has {da.sizes[dim]} values; fix it with --sel {dim}=VALUE")
    return da, fixed


def title_suffix(ds, fixed):
    parts = [ds.attrs.get("fixed_parameters", "")]
    parts += [f"{k} = {v:g}" for k, v in fixed.items()]
    return textwrap.fill("; ".join(p for p in parts if p), 85)


def overlay_thresholds(ax, ds, names, x, y, sel):
    for name in names or []:
        if name not in ds:
            sys.exit(f"plot: --overlay {name}: no such threshold dataset")
        th = ds[name]
        axis = name.rsplit(".", 1)[1]
        other = y if axis == x else x
        crossing_dim = [d for d in th.dims if d.startswith("crossing")][0]
        th, _ = select(ds, th, sel, keep={other, crossing_dim})
        for k in range(th.sizes[crossing_dim]):
            curve = th.isel({crossing_dim: k})
            if np.all(np.isnan(curve)):
                continue
            coords = ds[other].values
            xs, ys = (curve.values, coords) if axis == x else (coords, curve.values)
            ax.plot(xs, ys, color="red", linewidth=1.2, label=f"{name} (refined)" if k == 0 else None)
    if names:
        ax.legend(loc="best", fontsize=7)


def region_slice_index(ds, da, sel):
    """Row-major index of the slice --sel picks over a region map's other axes (slice_axes)."""
    fixed = {}
    for item in sel or []:
        key, _, value = item.partition("=")
        fixed[key] = float(value)
    index = 0
    for dim in da.attrs.get("slice_axes", "").split():
        coords = ds[dim].values
        if dim in fixed:
            k = int(np.argmin(np.abs(coords - fixed[dim])))
        elif coords.size == 1:
            k = 0
        else:
            sys.exit(f"plot: region map {da.name}: axis {dim!r} has {coords.size} values; fix it with --sel {dim}=VALUE")
        index = index * coords.size + k
    return index


def overlay_region_maps(ax, ds, names, x, y, sel):
    """Draws the boundary segments of region maps (refined by new solves) for the selected slice."""
    from matplotlib.collections import LineCollection

    drawn = False
    for name in names:
        if name not in ds:
            maps = [v for v in ds.data_vars if v.startswith("region_segments.")]
            sys.exit(f"plot: --overlay {name}: no such region map; region maps in this cube: {', '.join(maps) or 'none'}")
        da = ds[name]
        mx, my = da.attrs.get("x_axis"), da.attrs.get("y_axis")
        if {mx, my} != {x, y}:
            sys.exit(f"plot: region map {name} is over ({mx}, {my}), not the plot's axes ({x}, {y})")
        rows = np.asarray(da.values).reshape(-1, 5)
        rows = rows[rows[:, 0] == region_slice_index(ds, da, sel)]
        if mx == x:
            a, b = rows[:, [1, 2]], rows[:, [3, 4]]
        else:  # the map was refined over (y, x): swap its columns into the plot's
            a, b = rows[:, [2, 1]], rows[:, [4, 3]]
        depth = da.attrs.get("depth", "?")
        ax.add_collection(LineCollection(np.stack([a, b], axis=1), colors="black", linewidths=0.9,
                                         label=f"{name.split('.', 1)[1]} boundary (refined, depth {depth})"))
        drawn = True
    return drawn


def heatmap(args, regions=False):
    ds = open_cube(args.cube)
    da = variable(ds, args.var)
    da, fixed = select(ds, da, args.sel, keep={args.x, args.y})
    status, _ = select(ds, ds["status"], args.sel, keep={args.x, args.y})
    fig, ax = plt.subplots(figsize=(7.5, 5.5), constrained_layout=True)
    ax.set_facecolor("0.85")
    if regions:
        values = np.asarray(da.transpose(args.y, args.x))
        labels = np.unique(values[~np.isnan(values)]) if np.issubdtype(values.dtype, np.floating) else np.unique(values)
        # One colour per label present, in label order, so the colour bar lists only real regions.
        codes = np.searchsorted(labels, values)
        cmap = matplotlib.colors.ListedColormap(plt.cm.tab10.colors[: max(labels.size, 1)])
        mesh = ax.pcolormesh(ds[args.x], ds[args.y], np.where(np.isnan(values), np.nan, codes) if values.dtype.kind == "f" else codes,
                             cmap=cmap, shading="nearest", vmin=-0.5, vmax=labels.size - 0.5)
        cbar = fig.colorbar(mesh, ax=ax, ticks=np.arange(labels.size))
        meanings = da.attrs.get("flag_meanings", "").split()
        if meanings and len(meanings) >= labels.size:
            cbar.ax.set_yticklabels([meanings[int(v)] if int(v) < len(meanings) else str(v) for v in labels])
        else:
            cbar.ax.set_yticklabels([f"{v:g}" for v in labels])
        cbar.set_label(label(da))
    else:
        masked = da.where(status == 0)
        mesh = ax.pcolormesh(ds[args.x], ds[args.y], np.asarray(masked.transpose(args.y, args.x)), shading="nearest",
                             cmap="viridis")
        fig.colorbar(mesh, ax=ax, label=label(da))
    overlays = args.overlay or []
    maps = [n for n in overlays if n.startswith("region_segments.")]
    if regions and not getattr(args, "no_region_map", False) and not maps:
        maps = [n for n in (f"region_segments.{args.var}.{args.x}.{args.y}", f"region_segments.{args.var}.{args.y}.{args.x}")
                if n in ds][:1]
    overlay_thresholds(ax, ds, [n for n in overlays if not n.startswith("region_segments.")], args.x, args.y, args.sel)
    if overlay_region_maps(ax, ds, maps, args.x, args.y, args.sel):
        ax.legend(loc="best", fontsize=7)
    ax.set_xlabel(label(ds[args.x]), fontsize=8)
    ax.set_ylabel(label(ds[args.y]), fontsize=8)
    ax.set_title(f"{args.var}\n{title_suffix(ds, fixed)}", fontsize=9)
    fig.savefig(args.output, dpi=130)
    print(f"plot: wrote {args.output}")


def line(args):
    ds = open_cube(args.cube)
    fig, ax = plt.subplots(figsize=(7, 4.5), constrained_layout=True)
    fixed = {}
    for name in args.var:
        da = variable(ds, name)
        status, _ = select(ds, ds["status"], args.sel, keep={args.x})
        da, fixed = select(ds, da, args.sel, keep={args.x})
        ax.plot(ds[args.x], da.where(status == 0), label=label(da))
    for name in args.mark or []:
        # A threshold of a 1-D sweep: its crossings along x, drawn as vertical lines.
        crossings = variable(ds, name)
        crossings, _ = select(ds, crossings, args.sel, keep=set(crossings.dims))
        for k, value in enumerate(np.ravel(crossings.values)):
            if np.isfinite(value):
                ax.axvline(value, color="grey", linestyle="--", linewidth=0.8,
                           label=f"{name} = {value:.8g}" if k == 0 else None)
    ax.set_xlabel(label(ds[args.x]), fontsize=8)
    ax.legend(fontsize=7)
    ax.set_title(title_suffix(ds, fixed), fontsize=9)
    fig.savefig(args.output, dpi=130)
    print(f"plot: wrote {args.output}")


def threshold(args):
    ds = open_cube(args.cube)
    if args.threshold not in ds:
        names = [v for v in ds.data_vars if v.startswith("threshold.")]
        sys.exit(f"plot: no {args.threshold!r}; thresholds in this cube: {', '.join(names) or 'none'}")
    th = ds[args.threshold]
    crossing_dim = [d for d in th.dims if d.startswith("crossing")][0]
    line_dims = [d for d in th.dims if d != crossing_dim]
    x = args.x or (line_dims[-1] if line_dims else None)
    if x is None:
        sys.exit("plot: a threshold of a 1-D sweep is a single set of values; use `plot list`")
    th, fixed = select(ds, th, args.sel, keep={x, crossing_dim})
    axis = args.threshold.rsplit(".", 1)[1]
    fig, ax = plt.subplots(figsize=(7, 4.5), constrained_layout=True)
    for k in range(th.sizes[crossing_dim]):
        curve = th.isel({crossing_dim: k})
        if not np.all(np.isnan(curve)):
            ax.plot(ds[x], curve, marker=".", markersize=3, label=f"crossing {k + 1}")
    ax.set_xlabel(label(ds[x]), fontsize=8)
    ax.set_ylabel(label(ds[axis]), fontsize=8)
    ax.set_title(f"{args.threshold}: {th.attrs.get('long_name', '')}\n{title_suffix(ds, fixed)}", fontsize=8)
    ax.legend(fontsize=7)
    fig.savefig(args.output, dpi=130)
    print(f"plot: wrote {args.output}")


def list_cube(args):
    ds = open_cube(args.cube)
    print(f"{args.cube}: {ds.attrs.get('title', '')}")
    for dim in ds.dims:
        c = ds[dim]
        print(f"  axis {dim:<12} {c.size:>6} values [{float(c.min()):g} .. {float(c.max()):g}]  {label(c)}")
    for name in ds.data_vars:
        print(f"  {name:<40} {tuple(ds[name].dims)}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="plot", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("heatmap", "regions"):
        p = sub.add_parser(name)
        p.add_argument("cube")
        p.add_argument("var")
        p.add_argument("--x", required=True)
        p.add_argument("--y", required=True)
        p.add_argument("--sel", action="append")
        p.add_argument("--overlay", action="append")
        if name == "regions":
            p.add_argument("--no-region-map", action="store_true", help="do not draw the cube's region map of VAR")
        p.add_argument("-o", "--output", required=True)
    p = sub.add_parser("line")
    p.add_argument("cube")
    p.add_argument("var", nargs="+")
    p.add_argument("--x", required=True)
    p.add_argument("--mark", action="append", help="threshold dataset whose crossings are drawn as vertical lines")
    p.add_argument("--sel", action="append")
    p.add_argument("-o", "--output", required=True)
    p = sub.add_parser("threshold")
    p.add_argument("cube")
    p.add_argument("threshold")
    p.add_argument("--x")
    p.add_argument("--sel", action="append")
    p.add_argument("-o", "--output", required=True)
    p = sub.add_parser("list")
    p.add_argument("cube")
    args = parser.parse_args(argv)
    {"heatmap": heatmap, "regions": lambda a: heatmap(a, regions=True), "line": line, "threshold": threshold,
     "list": list_cube}[args.command](args)


if __name__ == "__main__":
    main()
