"""The eqsweep Python module (python/): models, describe, solve, run, open.

Usage (as ctest runs it, with PYTHONPATH=BUILD/python):
    /usr/bin/python3 test_module.py <eqsweep binary> <work dir>
"""

import math
import os
import shutil
import signal
import subprocess
import sys
import time
import unittest

import h5py
import numpy as np

import eqsweep

CLI = sys.argv[1] if len(sys.argv) > 1 else "eqsweep"
WORK = sys.argv[2] if len(sys.argv) > 2 else "python_module_work"
SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

# Model Y on a theta x t grid, everything else fixed (the fixed values as in test_xarray_interop.py).
SPEC = {
    "model": "ye2025",
    "variant": "published",
    "outputs": ["N.pi_M", "Y.pi_M", "Y.pi_R", "Y.pi_SC", "Y.regime"],
    "fixed": {"k": 0.5, "sigma": 1.0, "Gamma": 0.0},
    "axis": [{"name": "theta", "linspace": [0.25, 0.75, 5]}, {"name": "t", "linspace": [0.0, 0.4, 5]}],
    "run": {"chunk": [2, 3]},
}


def work(name):
    os.makedirs(WORK, exist_ok=True)
    path = os.path.join(WORK, name)
    for p in (path, path + ".lock"):
        if os.path.exists(p):
            os.remove(p)
    return path


class Describe(unittest.TestCase):
    def test_models_lists_every_builtin_model(self):
        names = list(eqsweep.models().index)
        self.assertIn("ye2025", names)
        self.assertIn("ma_sue", names)

    def test_describe_gives_parameters_with_domains_units_and_defaults(self):
        info = eqsweep.describe("ye2025")
        theta = info.parameter("theta")
        self.assertEqual(theta["symbol"], "θ")
        self.assertEqual((theta["domain"]["lo"], theta["domain"]["hi"]), (0.0, 1.0))
        self.assertTrue(theta["domain"]["lo_open"])
        table = info.parameters_table()
        self.assertEqual(list(table.index), [p["name"] for p in info.parameters])
        self.assertIn("units", table.columns)
        self.assertIn("Y.pi_M", list(info.outputs_table().index))
        self.assertIn("published", [v["name"] for v in info.variants])

    def test_variants_say_which_outputs_they_write(self):
        info = eqsweep.describe("ye2025")
        by_variant = info.outputs_by_variant()
        self.assertEqual(list(by_variant.columns), [v["name"] for v in info.variants])
        # Only "both" fills the 'derived.' block; the other variants' default output sets leave it out.
        self.assertFalse(by_variant.loc["derived.Y.pi_M", "published"])
        self.assertFalse(by_variant.loc["derived.Y.pi_M", "derived"])
        self.assertTrue(by_variant.loc["derived.Y.pi_M", "both"])
        self.assertTrue(by_variant.loc["Y.pi_M"].all())
        self.assertTrue(by_variant.any().all())
        counts = info.variants_table()["outputs"]
        self.assertEqual(counts.to_dict(), by_variant.sum().to_dict())

    def test_unknown_model_names_the_models(self):
        with self.assertRaisesRegex(ValueError, "unknown model 'ye2052'.*ye2025"):
            eqsweep.describe("ye2052")


class Solve(unittest.TestCase):
    def test_solve_matches_the_sweep_at_the_same_point(self):
        out = work("solve_vs_run.h5")
        ds = eqsweep.run(SPEC, output=out, progress=False)
        point = ds.sel(theta=0.5, t=0.2)
        one = eqsweep.solve("ye2025", variant="published", k=0.5, sigma=1.0, Gamma=0.0, theta=0.5, t=0.2)
        self.assertEqual(one["status"], "solved")
        self.assertEqual(str(point.status.values), "solved")
        for name in ("N.pi_M", "Y.pi_M", "Y.pi_R", "Y.pi_SC"):
            self.assertEqual(one[name], float(point[name]), name)  # the same solver: the same bits
        # The chain's profit is its members' profits (the model's own accounting, not a printed number).
        self.assertTrue(math.isclose(one["Y.pi_SC"], one["Y.pi_M"] + one["Y.pi_R"], rel_tol=1e-12))
        self.assertEqual(one["parameters"]["theta"], 0.5)

    def test_bad_parameter_raises_spec_error_naming_key_and_range(self):
        with self.assertRaisesRegex(eqsweep.SpecError, r"theta.*allowed \(0, 1\)"):
            eqsweep.solve("ye2025", k=0.5, sigma=1.0, Gamma=0.0, theta=1.5, t=0.2)
        with self.assertRaisesRegex(eqsweep.SpecError, "thetta"):
            eqsweep.solve("ye2025", k=0.5, sigma=1.0, Gamma=0.0, theta=0.5, thetta=0.5, t=0.2)


class Run(unittest.TestCase):
    def test_run_from_toml_text_with_override_and_callback_progress(self):
        out = work("text.h5")
        calls = []
        text = eqsweep._spec.to_toml(SPEC)
        ds = eqsweep.run(text, output=out, progress=lambda done, total: calls.append((done, total)), fixed__k=0.4)
        self.assertEqual(ds.attrs["tiles_done"], ds.attrs["tiles_total"])
        self.assertIn("fixed.k = 0.4", ds.attrs["spec_overrides"])
        self.assertFalse((ds.status == "not_computed").any())
        self.assertTrue((ds.status == "solved").any())
        self.assertTrue(calls and calls[-1] == (25, 25), calls)
        # The override reached the solver: the same point solved with k = 0.4.
        one = eqsweep.solve("ye2025", variant="published", k=0.4, sigma=1.0, Gamma=0.0, theta=0.25, t=0.1)
        self.assertEqual(one["Y.pi_M"], float(ds["Y.pi_M"].sel(theta=0.25, t=0.1)))

    def test_refused_output_raises_run_failed(self):
        os.makedirs(WORK, exist_ok=True)
        with self.assertRaises(eqsweep.RunFailed):
            eqsweep.run(SPEC, output=WORK, progress=False)  # a directory

    def test_ctrl_c_stops_cleanly_and_a_rerun_resumes_to_the_same_cube(self):
        big = dict(SPEC, outputs=["Y.pi_M"], axis=[{"name": "theta", "linspace": [0.02, 0.98, 400]},
                                                   {"name": "t", "linspace": [0.0, 1.0, 2000]}])
        big["run"] = {"chunk": [2, 2000], "threads": 1}
        out = work("interrupted.h5")

        def ctrl_c(done, total):  # Ctrl-C as the terminal sends it, at the first progress report
            os.kill(os.getpid(), signal.SIGINT)

        with self.assertRaises(KeyboardInterrupt):
            eqsweep._eqsweep.run_spec(eqsweep._spec.to_toml(big), "<dict>", out, [], 0, ctrl_c, 0.001, False)
        partial = eqsweep.open(out)
        self.assertGreater(partial.attrs["tiles_total"], partial.attrs["tiles_done"])
        self.assertTrue((partial.status == "not_computed").any())
        resumed = eqsweep.run(big, output=out, progress=False)
        self.assertEqual(resumed.attrs["resumes"], 1.0)
        fresh = eqsweep.run(big, output=work("uninterrupted.h5"), progress=False)
        np.testing.assert_array_equal(resumed["Y.pi_M"].values, fresh["Y.pi_M"].values)


class Open(unittest.TestCase):
    def test_open_reads_a_cube_while_it_is_written_and_after_a_kill(self):
        # Model M with segmentation costs ~2 ms a point: one thread writes 600 small tiles
        # over seconds, so the cube is seen part-way whatever the machine's speed.
        spec_path = os.path.join(SOURCE, "sweeps", "ma_sue", "fig7_sigma_central.toml")
        sets = {"axis[0].linspace": [0.08, 0.16, 6000], "run.chunk": [10], "run.commit_interval": 0.01}
        out = work("killed.h5")
        args = [CLI, "run", spec_path, "-o", out, "--quiet", "--threads", "1"]
        for key, value in sets.items():
            args += ["--set", f"{key}={eqsweep._spec.toml_value(value)}"]
        proc = subprocess.Popen(args)
        try:
            running = None
            deadline = time.time() + 120
            while time.time() < deadline and proc.poll() is None:
                try:
                    ds = eqsweep.open(out)
                    if 0 < ds.attrs["tiles_done"] < ds.attrs["tiles_total"]:
                        running = ds
                        break
                except FileNotFoundError:
                    pass  # not created yet
                time.sleep(0.01)
            proc.send_signal(signal.SIGKILL)
            self.assertIsNotNone(running, "never saw the cube part-way written")
            self.assertTrue((running.status == "solved").any())
            self.assertTrue((running.status == "not_computed").any())
            self.assertTrue(np.isnan(running["profit.SC1"].values[running.status.values == "not_computed"]).all())
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        killed = eqsweep.open(out)
        with h5py.File(out, "r", swmr=True) as f:  # a killed writer leaves the file marked open for write
            done = np.repeat(f["_eqsweep/tiles_done"][()].astype(bool), 10)  # tile i: points 10i..10i+9
        self.assertEqual(killed.attrs["tiles_done"], int(done.sum()) // 10)
        self.assertGreater(killed.attrs["tiles_total"], killed.attrs["tiles_done"])
        self.assertFalse((killed.status.values[done] == "not_computed").any())
        # A rerun resumes the killed cube and finishes it.
        resumed = eqsweep.run(spec_path, output=out, progress=False, threads=2, **sets)
        self.assertEqual(resumed.attrs["tiles_done"], resumed.attrs["tiles_total"])
        self.assertEqual(resumed.attrs["resumes"], 1.0)
        self.assertFalse((resumed.status == "not_computed").any())

    def test_open_keeps_codes_without_decoding(self):
        ds = eqsweep.run(SPEC, output=work("codes.h5"), progress=False)
        codes = eqsweep.open(work_path("codes.h5"), decode_flags=False)
        self.assertEqual(codes.status.dtype, np.uint8)
        self.assertTrue((eqsweep.decode_flags(codes.status) == ds.status).all())


def work_path(name):
    return os.path.join(WORK, name)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
