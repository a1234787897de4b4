"""eqsweep from Python: the engine's models, one-point solves, whole sweeps and their cubes.

    import eqsweep
    eqsweep.models()                       # the built-in models
    info = eqsweep.describe("ye2025")      # parameters, outputs, variants, options
    eqsweep.solve("ye2025", variant="published", theta=0.5, t=0.2, k=0.5, sigma=1, Gamma=0)
    ds = eqsweep.run("sweeps/demo.toml", output="demo.h5")   # an xarray.Dataset
    th = eqsweep.open("demo.h5", group="thresholds")

docs/python.md walks through it.
"""

from ._eqsweep import SpecError, __version__, git_revision
from ._describe import ModelInfo, describe, models
from ._open import open, decode_flags
from ._run import RunFailed, run
from ._solve import solve

__all__ = ["models", "describe", "solve", "run", "open", "decode_flags", "ModelInfo", "SpecError", "RunFailed",
           "__version__", "git_revision"]
