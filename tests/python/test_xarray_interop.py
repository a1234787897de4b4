"""The cube must open in the Python stack researchers plot with (Debian's xarray + h5netcdf, h5py).

Usage (as ctest runs it):
    /usr/bin/python3 test_xarray_interop.py <eqsweep binary> <source dir> <work dir>

Writes a small 2-D spec of model ye2025 into the work dir, runs the binary on it, and checks
that xarray sees named dimensions and coordinates with units, that a value selected by
coordinate equals a number worked out by hand, and that h5py sees the dimension scales.
Exits non-zero with a message naming the failed check.
"""

import math
import os
import subprocess
import sys

from ye_specs import ye_theta_t_spec

SPEC = ye_theta_t_spec(theta=(0.25, 0.75, 5), t=(0.0, 0.4, 5), chunk=(2, 3))

# theta = 0.25, 0.375, 0.5, 0.625, 0.75 and t = 0, 0.1, 0.2, 0.3, 0.4 (linspace as numpy spells it)
THETA = [0.25 + 0.5 * i / 4 for i in range(5)]
T = [0.4 * i / 4 for i in range(5)]

# Hand calculation at theta = 1/2, k = 1/2, t = 1/5, sigma = 1, Gamma = 0 (Appendix A.1):
#   p_B = (3/2 + (1/5)(3 + 1/2))/4 = 11/20; q_B = ((1/10)/(1/4))/4 = 1/10; c_B = (1/25)/(1/10) = 2/5
#   pi_R = (1 + (1/25)(1 - 3/4 - 4)/(1/4) + 4 (1/10)/(6/5))/16 = (1 - 3/5 + 1/3)/16 = 11/240
#   pi_M^Y = (1 + (1/4)(1/25)/(1/4) + 1/12)/8 = 337/2400
HAND = {"N.p_B": 11 / 20, "N.q_B": 1 / 10, "N.c_B": 2 / 5, "N.pi_R": 11 / 240, "Y.pi_M": 337 / 2400}


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def close(a, b, rel=1e-12):
    return abs(a - b) <= rel * max(abs(b), 1e-300)


def run_sweep(binary, work):
    os.makedirs(work, exist_ok=True)
    spec = os.path.join(work, "interop.toml")
    cube = os.path.join(work, "interop.h5")
    with open(spec, "w", encoding="utf-8") as f:
        f.write(SPEC)
    result = subprocess.run([binary, "run", spec, "-o", cube, "--overwrite", "--quiet", "--threads", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    check(result.returncode == 0, f"eqsweep run exited with {result.returncode}:\n{result.stdout}")
    check(os.path.isfile(cube), f"eqsweep run did not write {cube}")
    return cube


def check_xarray(cube):
    import hdf5plugin  # noqa: F401  (the Blosc filter of the default codec, as the README shows)
    import numpy as np
    import xarray as xr

    with xr.open_dataset(cube, engine="h5netcdf") as ds:
        check(set(ds.sizes.keys()) == {"theta", "t"},
              f"dimensions are {dict(ds.sizes)}, expected theta and t")
        check(ds.sizes["theta"] == 5 and ds.sizes["t"] == 5, f"dimension sizes are {dict(ds.sizes)}")
        for name in ("theta", "t"):
            check(name in ds.coords, f"{name} is not a coordinate (coords: {list(ds.coords)})")

        theta = ds["theta"].values
        t = ds["t"].values
        check(np.allclose(theta, THETA, rtol=1e-15, atol=0), f"theta coordinate {theta} != {THETA}")
        check(np.allclose(theta, np.linspace(0.25, 0.75, 5), rtol=1e-15, atol=0), "theta != numpy linspace")
        check(np.allclose(t, T, rtol=1e-15, atol=1e-300), f"t coordinate {t} != {T}")
        check(theta[0] == 0.25 and theta[-1] == 0.75 and t[0] == 0.0 and t[-1] == 0.4,
              "linspace end points are not exact")

        outputs = [f"{s}.{q}" for s in ("N", "Y")
                   for q in ("p_A", "p_B", "q_A", "q_B", "w_A", "w_B", "pi_R", "pi_M", "pi_SC", "c_B")]
        for name in outputs + ["status", "iterations", "residual"]:
            check(name in ds.data_vars, f"data variable {name} missing (have {list(ds.data_vars)})")
            check(ds[name].dims == ("theta", "t"), f"{name} has dims {ds[name].dims}, expected (theta, t)")
        for name in ["theta", "t"] + outputs:
            attrs = ds[name].attrs
            check("units" in attrs, f"{name} has no units attribute ({attrs})")
            check(attrs.get("long_name"), f"{name} has no long_name attribute ({attrs})")
        check("θ" in ds["theta"].attrs["long_name"], "theta's long_name does not carry the paper's symbol")

        point = ds.sel(theta=0.5, t=0.2)
        for name, expected in HAND.items():
            value = float(point[name])
            check(close(value, expected), f"{name} at theta=0.5, t=0.2 is {value!r}, hand calculation {expected!r}")
        check(int(point["status"]) == 0, f"status at theta=0.5, t=0.2 is {int(point['status'])}, expected 0 (solved)")

        # t = 0: no customised product is sold, the point is infeasible and its outputs are NaN.
        edge = ds.sel(t=0.0)
        check(bool((edge["status"] == 1).all()), f"status at t = 0 is {edge['status'].values}, expected 1")
        check(bool(np.isnan(edge["N.p_A"]).all()), "outputs at t = 0 are not NaN")

        status = ds["status"]
        check(status.attrs.get("flag_meanings") == "solved infeasible failed not_computed",
              f"status flag_meanings is {status.attrs.get('flag_meanings')!r}")
        check(list(np.asarray(status.attrs.get("flag_values")).ravel()) == [0, 1, 2, 3],
              f"status flag_values is {status.attrs.get('flag_values')!r}")
        check(ds.attrs.get("Conventions") == "CF-1.8", f"Conventions is {ds.attrs.get('Conventions')!r}")
        check(ds.attrs.get("model") == "ye2025", f"model attribute is {ds.attrs.get('model')!r}")
        check(ds.attrs.get("spec") == SPEC, "the spec text stored in the cube differs from the file run")
        check(len(ds.attrs.get("spec_fingerprint", "")) == 64, "spec_fingerprint is not a SHA-256 hex digest")


def check_h5py(cube):
    import h5py
    import hdf5plugin  # noqa: F401

    with h5py.File(cube, "r") as f:
        for name in ("N.p_A", "Y.c_B", "status"):
            check("DIMENSION_LIST" in f[name].attrs, f"{name} has no DIMENSION_LIST attribute")
            dims = f[name].dims
            check(len(dims) == 2, f"{name} has {len(dims)} dimensions")
            check(len(dims[0]) == 1 and len(dims[1]) == 1, f"{name} does not have one scale per dimension")
            check(dims[0][0].name == "/theta" and dims[1][0].name == "/t",
                  f"{name} scales are {dims[0][0].name}, {dims[1][0].name}")
        for name in ("theta", "t"):
            check(f[name].attrs.get("CLASS") == b"DIMENSION_SCALE", f"{name} is not a dimension scale")
        check(f["N.q_A"].chunks == (2, 3), f"N.q_A chunks are {f['N.q_A'].chunks}, the spec says (2, 3)")
        # The default codec: Blosc (filter 32001), LZ4 with byte shuffle at level 5.
        check(f["N.q_A"]._filters.get("32001", ())[4:] == (5, 1, 1), f"N.q_A is not Blosc LZ4+shuffle 5: "
              f"{f['N.q_A']._filters}")
        check(f["_eqsweep/tiles_done"][()].tolist() == [1] * 6, "not every tile is marked done")


def main(argv):
    if len(argv) != 4:
        print(f"usage: {argv[0]} <eqsweep binary> <source dir> <work dir>", file=sys.stderr)
        return 2
    binary, _source, work = argv[1:]
    try:
        cube = run_sweep(binary, work)
        check_xarray(cube)
        check_h5py(cube)
    except CheckFailed as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # an import error or an unreadable file is a failure too, with its cause
        print(f"FAIL: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    print("xarray and h5py open the cube with named coordinates: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
