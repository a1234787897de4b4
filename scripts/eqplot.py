#!/usr/bin/python3
"""Plots any eqsweep cube. Axis names, units and descriptions come from the file.

  plot heatmap   CUBE VAR --x AXIS --y AXIS [--sel AXIS=VALUE ...] [--overlay THRESHOLD ...] -o OUT.png
  plot regions   CUBE VAR --x AXIS --y AXIS [--sel ...] [--overlay THRESHOLD ...] -o OUT.png
  plot line      CUBE VAR [VAR ...] --x AXIS [--sel ...] -o OUT.png
  plot threshold CUBE THRESHOLD [--x AXIS] [--sel ...] -o OUT.png
  plot list      CUBE

VAR is any data variable, or A~B for the difference A - B of two (names hold "-": Y-C.pi_M~Y.pi_M). Cells whose status is not "solved"
are shown grey (heatmap) or as their own region (regions). --sel fixes extra axes at the
nearest grid value (a value outside the axis is refused; the title shows the value used). THRESHOLD is a dataset "threshold.<indicator>.<axis>"; --overlay draws
its crossing curves (the refined thresholds) over a heat map or region map. --overlay also takes
a region map "region_segments.<indicator>.<x>.<y>" ([[region_map]], docs/thresholds.md) and
draws its refined boundary. `plot regions` draws the region map of VAR over the same two axes by
itself when the cube has one (--no-region-map turns that off).
"""
import argparse
import difflib
import re
import sys
import textwrap
import tomllib

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import hdf5plugin  # noqa: E402,F401  (the Blosc filter: cubes are Blosc-compressed by default)
import xarray as xr  # noqa: E402


def refuse(message):
    """Bad input (exit 2, as eqsweep's): nothing is written."""
    print(message, file=sys.stderr)
    sys.exit(2)


def save(fig, path):
    """PNG at print resolution; PDF/SVG keep text and lines as vectors with the meshes rasterised."""
    fig.savefig(path, dpi=200 if path.lower().endswith(".png") else 300)
    print(f"plot: wrote {path}")


def open_cube(path):
    return xr.open_dataset(path, engine="h5netcdf")


GREEK = {"pi": r"\pi", "phi": r"\phi", "theta": r"\theta", "sigma": r"\sigma", "delta": r"\delta",
         "rho": r"\rho", "beta": r"\beta", "alpha": r"\alpha", "Gamma": r"\Gamma", "gamma": r"\gamma"}


def symbol(da):
    """The paper's symbol: the '(θ)' a coordinate's long_name ends with, or an output name such as
    Y.pi_M written as π_M^Y; None when there is none."""
    if "symbol" in da.attrs:
        return da.attrs["symbol"]
    name = str(da.name)
    long_name = da.attrs.get("long_name", "")
    m = re.search(r"\(([^()\s]{1,12})\)$", long_name)
    if m and name in da.dims:
        sym = m.group(1)
        return f"${sym}$" if ("^" in sym or "_" in sym) and "$" not in sym else sym
    derived = name.startswith("derived.")
    core = name[len("derived."):] if derived else name
    m = re.fullmatch(r"([A-Za-z][A-Za-z0-9-]*)\.([A-Za-z]+)_([A-Za-z0-9]+)", core)
    if not m:
        return None
    scen, base, sub = m.groups()
    text = rf"${GREEK.get(base, base)}_{{{sub}}}^{{\mathrm{{{scen}}}}}$"
    return text + (" (derived)" if derived else "")


def short_description(da):
    """The long_name up to its first parenthesis or comma: what the quantity is, not how it is read."""
    text = re.split(r" \(|, ", da.attrs.get("long_name", ""), maxsplit=1)[0]
    return text


def label(da, width=48):
    """'description, symbol [units]' wrapped to `width`, from the variable's attributes."""
    sym = symbol(da) or str(da.name)
    desc = short_description(da)
    units = da.attrs.get("units", "")
    text = f"{desc}, {sym}" if desc and desc != da.name else sym
    text += f" [{units}]" if units and units != "1" else ""
    return textwrap.fill(text, width)


def nearest_names(wanted, names, n=3):
    return difflib.get_close_matches(wanted, list(names), n=n, cutoff=0.6)


def variable(ds, spec):
    if spec in ds:
        return ds[spec]
    if "~" in spec:
        a, b = spec.split("~", 1)
        for part in (a, b):
            if part not in ds:
                near = nearest_names(part, ds.data_vars)
                refuse(f"plot: {spec!r}: no variable {part!r}" + (f"; did you mean {', '.join(near)}?" if near else ""))
        out = ds[a] - ds[b]
        out.name = spec
        sa, sb = symbol(ds[a]) or a, symbol(ds[b]) or b
        out.attrs = {"long_name": f"difference {sa} - {sb}", "units": ds[a].attrs.get("units", ""), "symbol": f"{sa} - {sb}"}
        return out
    near = nearest_names(spec, ds.data_vars)
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    if "-" in spec and not near:
        hint += " (a difference is written A~B, since names hold '-')"
    refuse(f"plot: no variable {spec!r} in the cube{hint} (`scripts/plot list CUBE` lists them)")


def select(ds, da, sel, keep):
    """Fixes every axis not in `keep`: those given with --sel at the nearest value, others must be length 1."""
    fixed = parse_sel(ds, sel)
    if fixed:
        da = da.sel({k: v for k, v in fixed.items() if k in da.dims}, method="nearest")
    for dim in list(da.dims):
        if dim not in keep:
            if da.sizes[dim] == 1:
                da = da.isel({dim: 0})
            else:
                refuse(f"plot: axis {dim!r} has {da.sizes[dim]} values; fix it with --sel {dim}=VALUE")
    return da, fixed


def parse_sel(ds, sel):
    """--sel AXIS=VALUE -> {axis: the grid value used}. A value outside the axis (beyond half a
    step from its ends) is refused rather than silently replaced by the nearest end."""
    fixed = {}
    for item in sel or []:
        key, _, value = item.partition("=")
        if key not in ds.dims:
            refuse(f"plot: --sel {item}: {key!r} is not an axis; axes: {', '.join(ds.dims)}")
        try:
            wanted = float(value)
        except ValueError:
            refuse(f"plot: --sel {item}: {value!r} is not a number")
        coords = np.asarray(ds[key].values, dtype=float)
        lo, hi = float(coords.min()), float(coords.max())
        half = float(np.min(np.abs(np.diff(np.sort(coords))))) / 2 if coords.size > 1 else 0.0
        if not (lo - half - 1e-12 <= wanted <= hi + half + 1e-12):
            refuse(f"plot: --sel {item}: {wanted:g} is outside the axis {key} = [{lo:g}, {hi:g}] ({coords.size} values)")
        fixed[key] = float(coords[int(np.argmin(np.abs(coords - wanted)))])
    return fixed


def spec_fixed_names(ds):
    """The parameters the spec fixed on purpose ([fixed]); the model's defaults are not worth a title."""
    try:
        return list(tomllib.loads(ds.attrs.get("spec", "")).get("fixed", {}))
    except (tomllib.TOMLDecodeError, TypeError):
        return None


def fixed_values(ds):
    """{name: value} of the fixed parameters, from scalar coordinates (cube format 2) or the
    fixed_parameters attribute (older cubes)."""
    values = {}
    for name, c in ds.coords.items():
        if c.ndim == 0 and name not in ds.dims:
            values[name] = float(c.values)
    if not values:
        for part in ds.attrs.get("fixed_parameters", "").split(","):
            k, _, v = part.partition("=")
            try:
                values[k.strip()] = float(v)
            except ValueError:
                pass
    return values


def title_suffix(ds, fixed):
    """The fixed values that matter: those the spec set, then the --sel values actually used."""
    values = fixed_values(ds)
    keep = spec_fixed_names(ds)
    parts = []
    for k, v in values.items():
        if keep is None or k in keep:
            sym = symbol(ds[k]) if k in ds.variables and k in ds.dims else None
            parts.append(f"{sym or (f'${GREEK[k]}$' if k in GREEK else k)} = {v:g}")
    for k, v in fixed.items():
        parts.append(f"{symbol(ds[k]) or k} = {v:.6g}")
    return textwrap.fill(", ".join(parts), 70)


def overlay_thresholds(ax, ds, names, x, y, sel):
    for name in names or []:
        if name not in ds:
            refuse(f"plot: --overlay {name}: no such threshold dataset")
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
            ax.plot(xs, ys, color="red", linewidth=1.2,
                    label=f"boundary located by new solves ({name})" if k == 0 else None)
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
            refuse(f"plot: region map {da.name}: axis {dim!r} has {coords.size} values; fix it with --sel {dim}=VALUE")
        index = index * coords.size + k
    return index


def overlay_region_maps(ax, ds, names, x, y, sel):
    """Draws the boundary segments of region maps (refined by new solves) for the selected slice."""
    from matplotlib.collections import LineCollection

    drawn = False
    for name in names:
        if name not in ds:
            maps = [v for v in ds.data_vars if v.startswith("region_segments.")]
            refuse(f"plot: --overlay {name}: no such region map; region maps in this cube: {', '.join(maps) or 'none'}")
        da = ds[name]
        mx, my = da.attrs.get("x_axis"), da.attrs.get("y_axis")
        if {mx, my} != {x, y}:
            refuse(f"plot: region map {name} is over ({mx}, {my}), not the plot's axes ({x}, {y})")
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


def zoom_to_solved(ax, ds, status, x, y, values):
    """Limits the axes to the cells with a region (plus one cell) when they fill little of the
    plane, so a thin region is not lost in grey; the grey that remains has no region."""
    solved = (np.asarray(status.transpose(y, x)) == 0) & np.isfinite(np.asarray(values, dtype=float))
    if not solved.any():
        return
    rows, cols = np.nonzero(solved)
    xs, ys = np.asarray(ds[x].values), np.asarray(ds[y].values)
    r0, r1 = max(rows.min() - 1, 0), min(rows.max() + 1, ys.size - 1)
    c0, c1 = max(cols.min() - 1, 0), min(cols.max() + 1, xs.size - 1)
    if (r1 - r0 + 1) * (c1 - c0 + 1) < 0.8 * solved.size:
        ax.set_xlim(xs[c0], xs[c1])
        ax.set_ylim(ys[r0], ys[r1])


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
                             cmap=cmap, shading="nearest", vmin=-0.5, vmax=labels.size - 0.5, rasterized=True)
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
                             cmap="viridis", rasterized=True)
        fig.colorbar(mesh, ax=ax, label=label(da))
    overlays = args.overlay or []
    maps = [n for n in overlays if n.startswith("region_segments.")]
    if regions and not getattr(args, "no_region_map", False) and not maps:
        maps = [n for n in (f"region_segments.{args.var}.{args.x}.{args.y}", f"region_segments.{args.var}.{args.y}.{args.x}")
                if n in ds][:1]
    overlay_thresholds(ax, ds, [n for n in overlays if not n.startswith("region_segments.")], args.x, args.y, args.sel)
    overlay_region_maps(ax, ds, maps, args.x, args.y, args.sel)
    if regions:
        from matplotlib.patches import Patch

        handles, _ = ax.get_legend_handles_labels()
        handles.append(Patch(color="0.85", label="grey: no label here (scenario infeasible or point not solved)"))
        ax.legend(handles=handles, loc="best", fontsize=7)
    if regions:
        zoom_to_solved(ax, ds, status, args.x, args.y, values)
    ax.set_xlabel(label(ds[args.x], 70), fontsize=9)
    ax.set_ylabel(label(ds[args.y]), fontsize=9)
    ax.set_title(f"{label(da, 60)}\n{title_suffix(ds, fixed)}", fontsize=9)
    save(fig, args.output)


def with_jumps(xs, ys, jumps):
    """A quantity that jumps at a located threshold (e.g. SC1's switch at sigma_h) is drawn as a
    step there: each side is held flat up to the crossing and joined by a vertical segment, never a
    slope across the grid cell that holds the jump."""
    if not jumps:
        return xs, ys
    out_x, out_y = [xs[0]], [ys[0]]
    for i in range(1, xs.size):
        for c in jumps:
            if min(xs[i - 1], xs[i]) < c < max(xs[i - 1], xs[i]):
                out_x += [c, c]
                out_y += [ys[i - 1], ys[i]]
        out_x.append(xs[i])
        out_y.append(ys[i])
    return np.array(out_x), np.array(out_y)


def common_label(das):
    """A y label for several curves: their shared description and units."""
    if len(das) == 1:
        return label(das[0])
    descs = [short_description(d).split() for d in das]
    shared = []
    for words in zip(*descs):
        if len(set(words)) != 1:
            break
        shared.append(words[0])
    while shared and shared[-1] in ("of", "in", "the", "a", "an", "by", "for"):
        shared.pop()
    text = " ".join(shared) or ", ".join(str(d.name) for d in das)
    units = das[0].attrs.get("units", "")
    return textwrap.fill(text + (f" [{units}]" if units and units != "1" else ""), 48)


def line(args):
    ds = open_cube(args.cube)
    fig, ax = plt.subplots(figsize=(7, 4.5), constrained_layout=True)
    fixed = {}
    jumps = []
    for name in args.mark or []:
        crossings = variable(ds, name)
        crossings, _ = select(ds, crossings, args.sel, keep=set(crossings.dims))
        jumps += [float(v) for v in np.ravel(crossings.values) if np.isfinite(v)]
    plotted = []
    for name in args.var:
        da = variable(ds, name)
        status, _ = select(ds, ds["status"], args.sel, keep={args.x})
        da, fixed = select(ds, da, args.sel, keep={args.x})
        xs, ys = with_jumps(np.asarray(ds[args.x].values, dtype=float), np.asarray(da.where(status == 0), dtype=float), jumps)
        ax.plot(xs, ys, label=textwrap.fill(symbol(da) or str(da.name), 40))
        plotted.append(da)
    ax.set_ylabel(common_label(plotted), fontsize=9)
    for name in args.mark or []:
        # A threshold of a 1-D sweep: its crossings along x, drawn as vertical lines.
        crossings = variable(ds, name)
        crossings, _ = select(ds, crossings, args.sel, keep=set(crossings.dims))
        for k, value in enumerate(np.ravel(crossings.values)):
            if np.isfinite(value):
                ax.axvline(value, color="grey", linestyle="--", linewidth=0.8,
                           label=f"{name} = {value:.8g}" if k == 0 else None)
    ax.set_xlabel(label(ds[args.x], 70), fontsize=9)
    ax.legend(fontsize=8)
    ax.set_title(title_suffix(ds, fixed), fontsize=9)
    save(fig, args.output)


def threshold(args):
    ds = open_cube(args.cube)
    if args.threshold not in ds:
        names = [v for v in ds.data_vars if v.startswith("threshold.")]
        refuse(f"plot: no {args.threshold!r}; thresholds in this cube: {', '.join(names) or 'none'}")
    th = ds[args.threshold]
    crossing_dim = [d for d in th.dims if d.startswith("crossing")][0]
    line_dims = [d for d in th.dims if d != crossing_dim]
    x = args.x or (line_dims[-1] if line_dims else None)
    if x is None:
        refuse("plot: a threshold of a 1-D sweep is a single set of values; use `plot list`")
    th, fixed = select(ds, th, args.sel, keep={x, crossing_dim})
    axis = args.threshold.rsplit(".", 1)[1]
    fig, ax = plt.subplots(figsize=(7, 4.5), constrained_layout=True)
    for k in range(th.sizes[crossing_dim]):
        curve = th.isel({crossing_dim: k})
        if not np.all(np.isnan(curve)):
            ax.plot(ds[x], curve, marker=".", markersize=3, label=f"crossing {k + 1}")
    ax.set_xlabel(label(ds[x]), fontsize=9)
    ax.set_ylabel(label(ds[axis]), fontsize=9)
    ax.set_title(textwrap.fill(f"{args.threshold}: {th.attrs.get('long_name', '')}", 70) + f"\n{title_suffix(ds, fixed)}",
                 fontsize=9)
    ax.legend(fontsize=8)
    save(fig, args.output)


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
