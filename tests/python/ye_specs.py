"""The model Y (published forms) spec the Python tests run: a θ × t grid with k, σ, Γ fixed.
One builder, so that each test states only what it varies."""


def ye_theta_t_spec(theta, t, k=0.5, outputs=("N.*", "Y.*"), chunk=None, tail=""):
    """TOML text of a ye2025 published-forms sweep over θ = linspace(*theta) and t = linspace(*t)."""
    lines = ['model = "ye2025"', 'variant = "published"']
    if outputs:
        lines.append("outputs = [" + ", ".join(f'"{o}"' for o in outputs) + "]")
    lines += ["", "[fixed]", f"k = {k}", "sigma = 1.0", "Gamma = 0.0"]
    for name, (lo, hi, n) in (("theta", theta), ("t", t)):
        lines += ["", "[[axis]]", f'name = "{name}"', f"linspace = [{lo}, {hi}, {n}]"]
    if chunk:
        lines += ["", "[run]", f"chunk = [{chunk[0]}, {chunk[1]}]"]
    text = "\n".join(lines) + "\n"
    return text + ("\n" + tail if tail else "")
