"""solve(): one point of a model, through the solver a sweep uses."""

import os

from . import _eqsweep
from ._describe import _option_text
from ._spec import to_toml


def solve(model, variant=None, options=None, base_dir=".", **params):
    """Solves one point: `params` are the model's parameters by name (those with a default may be
    left out). Returns a dict with every output, `status` ("solved", "infeasible", "failed"),
    `iterations`, `residual` and `parameters` (every value used). Bad input raises
    eqsweep.SpecError naming the key and the allowed range, as a spec file would."""
    options = dict(options or {})
    declared = _eqsweep.describe(model, {k: _option_text(v) for k, v in options.items()}, os.fspath(base_dir))
    # The spec reader wants one axis: the first parameter with a value becomes a one-point axis.
    axis = None
    for p in declared["parameters"]:
        value = params.get(p["name"], p["default"])
        if value is not None:
            axis = (p["name"], float(value))
            break
    spec = {"model": model, "outputs": ["*"]}
    if variant is not None:
        spec["variant"] = variant
    if options:
        spec["options"] = options
    fixed = {k: v for k, v in params.items() if axis is None or k != axis[0]}
    if fixed:
        spec["fixed"] = fixed
    if axis is not None:
        spec["axis"] = [{"name": axis[0], "values": [axis[1]]}]
    return _eqsweep.solve_spec(to_toml(spec), os.path.join(os.fspath(base_dir), f"solve({model})"))
