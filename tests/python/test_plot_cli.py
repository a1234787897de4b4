#!/usr/bin/python3
"""scripts/plot on the command line: an --sel value outside its axis is refused (exit 2, nothing
written) and the value actually used is the one in the title; A~B differences work for names that
hold '-' (Y-C.pi_M), and A-B is not silently split.

usage: test_plot_cli.py EQSWEEP SOURCE_DIR WORK_DIR
"""
import os
import shutil
import subprocess
import sys

eqsweep, source, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
plot = [sys.executable, os.path.join(source, "scripts", "eqplot.py")]
cube = os.path.join(work, "c.h5")
spec = os.path.join(work, "c.toml")
with open(spec, "w") as f:
    f.write('model = "ye2025"\nvariant = "published"\noutputs = ["Y.*", "Y-C.*"]\n'
            "[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\n"
            '[[axis]]\nname = "theta"\nlinspace = [0.2, 0.98, 5]\n[[axis]]\nname = "t"\nlinspace = [0.0, 1.0, 6]\n')
subprocess.run([eqsweep, "run", spec, "-o", cube, "-q"], check=True)
failures = []


def run(args):
    return subprocess.run(plot + args, capture_output=True, text=True)


# theta runs over [0.2, 0.98]: 5 is outside and must be refused, not drawn at 0.98.
out = os.path.join(work, "outside.png")
r = run(["line", cube, "Y.pi_M", "--x", "t", "--sel", "theta=5", "-o", out])
if r.returncode != 2 or "outside the axis theta" not in r.stderr or os.path.exists(out):
    failures.append(f"--sel theta=5 not refused: rc {r.returncode}, {r.stderr!r}")

# Inside the axis: the nearest grid value (0.785 for 0.8) is what the title says.
sys.path.insert(0, os.path.join(source, "scripts"))
import eqplot  # noqa: E402

ds = eqplot.open_cube(cube)
used = eqplot.parse_sel(ds, ["theta=0.8"])
if abs(used["theta"] - 0.785) > 1e-12:
    failures.append(f"--sel theta=0.8 used {used}, not the grid value 0.785")
if "0.785" not in eqplot.title_suffix(ds, used):
    failures.append(f"title does not show the value used: {eqplot.title_suffix(ds, used)!r}")

# A~B with '-' in the names: the difference is Y-C.pi_M - Y.pi_M, point by point.
d = eqplot.variable(ds, "Y-C.pi_M~Y.pi_M")
expected = ds["Y-C.pi_M"] - ds["Y.pi_M"]
if not bool(((d == expected) | (d.isnull() & expected.isnull())).all()):
    failures.append("Y-C.pi_M~Y.pi_M is not the difference of the two variables")
r = run(["line", cube, "Y-C.pi_M~Y.pi_M", "--x", "t", "--sel", "theta=0.5", "-o", os.path.join(work, "diff.png")])
if r.returncode != 0:
    failures.append(f"plotting Y-C.pi_M~Y.pi_M failed: {r.stderr}")
# The old syntax is not split at the first '-' into 'Y' and 'C.pi_M-Y.pi_M'.
r = run(["line", cube, "Y-C.pi_M-Y.pi_M", "--x", "t", "--sel", "theta=0.5", "-o", os.path.join(work, "old.png")])
if r.returncode != 2 or "no variable 'Y-C.pi_M-Y.pi_M'" not in r.stderr:
    failures.append(f"A-B not refused clearly: rc {r.returncode}, {r.stderr!r}")

# A PDF heat map keeps its mesh rasterised: small whatever the grid.
pdf = os.path.join(work, "map.pdf")
r = run(["heatmap", cube, "Y.pi_M", "--x", "t", "--y", "theta", "-o", pdf])
if r.returncode != 0 or os.path.getsize(pdf) > 200_000:
    failures.append(f"heat map PDF: rc {r.returncode}, {os.path.getsize(pdf) if os.path.exists(pdf) else 0} bytes")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
