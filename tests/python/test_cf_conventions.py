"""CF conventions of a cube, checked with tools outside eqsweep: every `units` attribute parses
with UDUNITS-2 (libudunits2, as the CF checker does), CF flags decode, and the fixed parameters are
scalar coordinates along which two cubes concatenate in xarray. Also the declared units of every
output and parameter of every model (model M on its example networks), through the Python module.

Usage (as ctest runs it, with PYTHONPATH=BUILD/python):
    /usr/bin/python3 test_cf_conventions.py <eqsweep binary> <source dir> <work dir>
"""

import ctypes
import fnmatch
import glob
import os
import subprocess
import sys
import unittest

import h5py
import hdf5plugin  # noqa: F401 - the default codec's filter
import numpy as np
import xarray as xr

import eqsweep

from ye_specs import ye_theta_t_spec

CLI, SOURCE, WORK = sys.argv[1:4] if len(sys.argv) >= 4 else ("eqsweep", ".", "python_cf_work")

SPEC = ye_theta_t_spec(theta=(0.25, 0.75, 5), t=(0.0, 0.4, 4), k="{k}", outputs=None,
                       tail='[[threshold]]\nindicator = "Y.pi_M"\nminus = "N.pi_M"\naxis = "t"\n')


class Udunits:
    """UDUNITS-2's parser through its C library (Debian libudunits2-0)."""

    def __init__(self):
        self.lib = ctypes.CDLL("libudunits2.so.0")
        self.lib.ut_read_xml.restype = ctypes.c_void_p
        self.lib.ut_read_xml.argtypes = [ctypes.c_char_p]
        self.lib.ut_parse.restype = ctypes.c_void_p
        self.lib.ut_parse.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        self.lib.ut_free.argtypes = [ctypes.c_void_p]
        self.lib.ut_set_error_message_handler(self.lib.ut_ignore)
        self.system = self.lib.ut_read_xml(None)
        if not self.system:
            raise RuntimeError("UDUNITS-2 could not read its unit database")

    def parses(self, text):
        unit = self.lib.ut_parse(self.system, text.encode("utf-8"), 0)  # 0: UT_ASCII
        if unit:
            self.lib.ut_free(unit)
        return bool(unit)


UDUNITS = Udunits()


def run_cube(name, k):
    os.makedirs(WORK, exist_ok=True)
    spec = os.path.join(WORK, name + ".toml")
    out = os.path.join(WORK, name + ".h5")
    with open(spec, "w") as f:
        f.write(SPEC.format(k=k))
    for p in (out, out + ".lock"):
        if os.path.exists(p):
            os.remove(p)
    subprocess.run([CLI, "run", spec, "-o", out, "--quiet"], check=True)
    return out


class CfCube(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.a = run_cube("cf_k04", 0.4)
        cls.b = run_cube("cf_k05", 0.5)

    def test_the_udunits_check_itself_rejects_what_udunits_cannot_parse(self):
        self.assertTrue(UDUNITS.parses("1"))
        self.assertTrue(UDUNITS.parses("m s-1"))
        self.assertFalse(UDUNITS.parses("money"))

    def test_every_units_attribute_parses_with_udunits(self):
        seen = []
        with h5py.File(self.a, "r") as f:
            def visit(name, obj):
                if "units" in obj.attrs:
                    units = obj.attrs["units"]
                    units = units.decode() if isinstance(units, bytes) else str(units)
                    seen.append(name)
                    self.assertTrue(UDUNITS.parses(units), f"{name}: units {units!r} does not parse with UDUNITS-2")
            f.visititems(visit)
        self.assertGreater(len(seen), 10)

    def test_flags_decode(self):
        ds = xr.open_dataset(self.a, engine="h5netcdf")
        flagged = [v for v in ds.variables if "flag_values" in ds[v].attrs]
        self.assertIn("status", flagged)
        for name in flagged:
            values = np.atleast_1d(ds[name].attrs["flag_values"])
            meanings = ds[name].attrs["flag_meanings"].split()
            self.assertEqual(len(values), len(meanings), name)
            self.assertEqual(len(set(values.tolist())), len(values), f"{name}: repeated flag values")
            stored = np.unique(ds[name].values[~np.isnan(ds[name].values.astype(float))])
            self.assertTrue(set(stored.tolist()) <= set(values.tolist()), f"{name}: {stored} outside {values}")
        self.assertIn("Y.regime", flagged)  # categorical outputs are integers with flags too
        self.assertEqual(ds["Y.regime"].encoding["dtype"], np.int32)
        codes = xr.open_dataset(self.a, engine="h5netcdf", mask_and_scale=False)
        decoded = eqsweep.decode_flags(codes.status)
        self.assertEqual(set(np.unique(decoded.values)) - {"solved", "infeasible"}, set())
        self.assertTrue((decoded == "solved").any())
        regime = eqsweep.decode_flags(codes["Y.regime"])
        self.assertTrue((regime == "equilibrium").where(decoded == "solved", True).all())  # solved: Y is in equilibrium

    def test_fixed_parameters_are_scalar_coordinates_that_concatenate(self):
        a = xr.open_dataset(self.a, engine="h5netcdf")
        b = xr.open_dataset(self.b, engine="h5netcdf")
        for name in ("k", "sigma", "Gamma"):
            self.assertIn(name, a.coords)
            self.assertEqual(a.coords[name].ndim, 0)
        self.assertEqual(float(a.k), 0.4)
        both = xr.concat([a[["Y.pi_M", "status"]], b[["Y.pi_M", "status"]]], dim="k")
        self.assertEqual(both["Y.pi_M"].dims, ("k", "theta", "t"))
        np.testing.assert_array_equal(both.k.values, [0.4, 0.5])
        np.testing.assert_array_equal(both["Y.pi_M"].sel(k=0.5).values, b["Y.pi_M"].values)

    def test_the_module_opens_it_with_fixed_parameters_and_thresholds(self):
        ds = eqsweep.open(self.a)
        self.assertEqual(float(ds.k), 0.4)
        self.assertEqual(ds.attrs["eqsweep_cube_format"], "2")
        th = eqsweep.open(self.a, group="thresholds")
        self.assertIn("threshold.Y.pi_M-N.pi_M.t", th.data_vars)
        self.assertEqual(th["threshold.Y.pi_M-N.pi_M.t"].dims[0], "theta")


class DeclaredUnits(unittest.TestCase):
    def test_every_model_declares_udunits_units(self):
        described = [eqsweep.describe("ye2025")]
        networks = sorted(glob.glob(os.path.join(SOURCE, "sweeps", "ma_sue", "networks", "*.toml")))
        self.assertTrue(networks, "no model M network files found")
        for network in networks:
            described.append(eqsweep.describe("ma_sue", network=os.path.abspath(network)))
        for info in described:
            for item in info.parameters + info.outputs:
                self.assertTrue(UDUNITS.parses(item["units"]),
                                f"{info.name}: {item['name']} has units {item['units']!r}")


class OutputSelection(unittest.TestCase):
    def test_default_outputs_leave_out_what_the_variant_never_writes(self):
        out = os.path.join(WORK, "default_outputs.h5")
        spec = {"model": "ye2025", "variant": "published", "fixed": {"k": 0.5, "sigma": 1.0, "Gamma": 0.0, "t": 0.2},
                "axis": [{"name": "theta", "linspace": [0.25, 0.75, 3]}]}
        ds = eqsweep.run(spec, output=out, progress=False, run__overwrite=True)
        names = [o["name"] for o in eqsweep.describe("ye2025").outputs]
        expected = [n for n in names if not n.startswith("derived.")]
        self.assertEqual(sorted(v for v in ds.data_vars if v in names), sorted(expected))

    def test_outputs_take_full_globs(self):
        out = os.path.join(WORK, "glob_outputs.h5")
        spec = {"model": "ye2025", "variant": "published", "outputs": ["*.pi_M", "[NY].q_?"],
                "fixed": {"k": 0.5, "sigma": 1.0, "Gamma": 0.0, "t": 0.2},
                "axis": [{"name": "theta", "linspace": [0.25, 0.75, 3]}]}
        ds = eqsweep.run(spec, output=out, progress=False, run__overwrite=True)
        names = [o["name"] for o in eqsweep.describe("ye2025").outputs]
        expected = [n for n in names if fnmatch.fnmatchcase(n, "*.pi_M") or fnmatch.fnmatchcase(n, "[NY].q_?")]
        self.assertIn("Y.q_B", expected)
        self.assertEqual(sorted(v for v in ds.data_vars if v in names), sorted(expected))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
