"""open(): a cube as xarray Datasets, also while a run writes it or after one was killed.

The cube is read with h5py in SWMR mode (the engine writes it as an SWMR writer and commits
finished tiles), so unfinished tiles read as their fill values: NaN outputs and status
"not_computed". Datasets, by `group`:

    None             the grid: every output, sensitivity, status, iterations and residual over the
                     axes; fixed parameters as scalar coordinates; provenance in attrs
    "thresholds"     threshold.*, threshold_count.*, threshold_solves.* (over the other axes)
    "region_maps"    region_cells.*, region_segments.*, region_solves.*, region_grid_cells.*
    "sensitivities"  d.*.d.* and elasticity.* (also in the grid Dataset)

Variables with CF flag_values/flag_meanings (status, regimes, labels, predicates) are decoded to
their meanings (strings) unless decode_flags=False; eqsweep.decode_flags() decodes one later.
"""

import json
import time

import h5py
import numpy as np
import xarray as xr

try:
    import hdf5plugin  # noqa: F401 - registers the Blosc filter of the default codec with h5py
except ImportError:  # cubes written with run.compression = "deflate" or "none" still open
    pass

GROUPS = {
    "thresholds": ("threshold.", "threshold_count.", "threshold_solves."),
    "region_maps": ("region_cells.", "region_segments.", "region_solves.", "region_grid_cells."),
    "sensitivities": ("d.", "elasticity."),
}
_NETCDF_DIMENSION_ONLY = "This is a netCDF dimension but not a netCDF variable"


def open(path, group=None, decode_flags=True):  # noqa: A001 - the module's API name, like xarray.open_dataset
    """The cube at `path` as an xarray.Dataset (loaded into memory); see the module doc for `group`."""
    if group is not None and group not in GROUPS:
        raise ValueError(f"group must be None or one of {', '.join(GROUPS)}, not {group!r}")
    # A reader can meet the writer halfway through an update of the file's metadata (stamping
    # the end provenance); the next try sees it whole.
    for attempt in range(20):
        try:
            return _read(path, group, decode_flags)
        except FileNotFoundError:
            raise
        except OSError:
            if attempt == 19:
                raise
            time.sleep(0.05)


def _read(path, group, decode_flags):
    with _open_h5(path) as f:
        # Progress first: what a running writer commits later only adds finished tiles to what
        # is read below, so every tile counted here is complete in the data.
        progress = {}
        if "_eqsweep/tiles_done" in f:
            done = f["_eqsweep/tiles_done"][()]
            progress = {"tiles_done": int(np.count_nonzero(done)), "tiles_total": int(done.size)}
        scales = _dimension_scales(f)
        datasets = {name: obj for name, obj in f.items() if isinstance(obj, h5py.Dataset)}
        coords, data_vars = {}, {}
        named_coordinates = set()  # CF: what a variable's `coordinates` attribute names
        for obj in datasets.values():
            named_coordinates.update(_text(obj.attrs.get("coordinates", "")).split())
        for name, obj in datasets.items():
            if name in scales:
                if scales[name]:
                    coords[name] = xr.Variable((name,), obj[()], _attrs(obj))
                continue
            if name in named_coordinates:
                coords[name] = xr.Variable(tuple(_dim_name(obj, i) for i in range(obj.ndim)), obj[()], _attrs(obj))
                continue
            if not _in_group(name, group):
                continue
            dims = tuple(_dim_name(obj, i) for i in range(obj.ndim))
            data_vars[name] = xr.Variable(dims, obj[()], _attrs(obj))
        attrs = {k: _attr_value(v) for k, v in f.attrs.items()}
        attrs.update(progress)
    used_dims = {d for v in data_vars.values() for d in v.dims}
    coords = {k: v for k, v in coords.items() if v.ndim == 0 or v.dims[0] in used_dims}
    ds = xr.Dataset(data_vars, coords=coords, attrs=attrs)
    if decode_flags:
        for name in list(ds.data_vars):
            if "flag_values" in ds[name].attrs and "flag_meanings" in ds[name].attrs:
                ds[name] = decode_flags_of(ds[name])
    return ds


def decode_flags(da):
    """A CF-flagged integer DataArray as its meanings (strings); cells whose value is not a flag
    value become "" (e.g. a fill value)."""
    return decode_flags_of(da)


def decode_flags_of(da):
    values = np.asarray(da.attrs["flag_values"]).ravel()
    meanings = np.asarray(_text(da.attrs["flag_meanings"]).split())
    if values.size != meanings.size:
        raise ValueError(f"{da.name}: {values.size} flag_values but {meanings.size} flag_meanings")
    codes = np.asarray(da.values)
    out = np.full(codes.shape, "", dtype=meanings.dtype)
    for v, m in zip(values, meanings):
        out[codes == v] = m
    attrs = {k: v for k, v in da.attrs.items() if k not in ("_FillValue",)}
    return xr.DataArray(out, dims=da.dims, coords=da.coords, attrs=attrs, name=da.name)


def _open_h5(path):
    try:
        return h5py.File(path, "r", swmr=True)
    except OSError:
        # A cube in the pre-SWMR file format (or one whose superblock refuses SWMR reads).
        return h5py.File(path, "r")


def _dimension_scales(f):
    """Root dimension scales: name -> whether it is a coordinate variable (False: a netCDF
    dimension without values of its own, e.g. crossing4)."""
    out = {}
    for name, obj in f.items():
        if isinstance(obj, h5py.Dataset) and _text(obj.attrs.get("CLASS", "")) == "DIMENSION_SCALE":
            out[name] = not _text(obj.attrs.get("NAME", "")).startswith(_NETCDF_DIMENSION_ONLY)
    return out


def _dim_name(obj, i):
    scales = list(obj.dims[i].values())
    if scales:
        return scales[0].name.lstrip("/")
    return obj.dims[i].label or f"phony_dim_{i}"


def _in_group(name, group):
    if group is None:
        return not any(name.startswith(p) for key, ps in GROUPS.items() if key != "sensitivities" for p in ps)
    return any(name.startswith(p) for p in GROUPS[group])


def _attrs(obj):
    return {k: _attr_value(v) for k, v in obj.attrs.items() if k not in ("DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME", "coordinates")}


def _attr_value(v):
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, np.ndarray) and v.dtype.kind in "SO":
        return [_text(x) for x in v]
    return v


def _text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def layout(ds):
    """The engine's own record of the cube's layout (the eqsweep_layout attribute), as a dict."""
    return json.loads(ds.attrs["eqsweep_layout"])
