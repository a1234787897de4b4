"""run(): a whole sweep in the engine's threads, with a progress bar, Ctrl-C and resume."""

import os
import pathlib
import warnings

from . import _eqsweep
from ._open import open as open_cube
from ._spec import override_pairs, spec_source


class RunFailed(RuntimeError):
    """The run failed or was refused; `summary` holds the engine's run summary (a dict)."""

    def __init__(self, summary):
        super().__init__(summary.get("message") or summary.get("outcome"))
        self.summary = summary


def run(spec, output=None, threads=None, progress=True, dry_run=False, **overrides):
    """Runs `spec` (a path, TOML text or a dict shaped like the TOML) into the HDF5 cube `output`
    and returns eqsweep.open(output).

    output: default the spec file's name with .h5 (required for text and dict specs).
    threads: default the spec's run.threads (0 there: all cores).
    progress: True for a tqdm bar (notebook or terminal), False for none, or a callable
        progress(points_done, points_total) called a few times a second.
    overrides: spec keys as `--set` takes them; write dots as double underscores
        (fixed__k=0.6) or pass a dict (**{"fixed.k": 0.6}).

    Ctrl-C (KeyboardInterrupt) stops the run cleanly: the tiles in flight are finished and
    committed, then the KeyboardInterrupt propagates; the same call again resumes. A run that
    fails or is refused raises RunFailed (bad specs raise SpecError before any work); a run whose
    points failed beyond run.max_failed_fraction warns and returns the cube.
    dry_run: return the size estimate (a dict) without running.
    """
    text, path = spec_source(spec)
    if output is None:
        if text:
            raise ValueError("output= is required when the spec is TOML text or a dict")
        output = pathlib.Path(path).with_suffix(".h5")
    output = os.fspath(output)
    pairs = override_pairs(overrides)
    callback, bar = _progress(progress)
    try:
        summary = _eqsweep.run_spec(text, path, output, pairs, int(threads or 0), callback, 0.2, bool(dry_run))
    finally:
        if bar is not None:
            bar.close()
    if dry_run:
        return summary
    if not summary["ok"]:
        raise RunFailed(summary)
    if summary.get("too_many_failed"):
        warnings.warn(summary["summary"], RuntimeWarning, stacklevel=2)
    return open_cube(output)


def _progress(progress):
    if callable(progress):
        return progress, None
    if not progress:
        return None, None
    from tqdm.auto import tqdm

    bar = tqdm(total=None, unit="pt", unit_scale=True, desc="eqsweep", smoothing=0.1)

    def update(done, total):
        if bar.total != total:
            bar.reset(total=total)
        bar.update(done - bar.n)

    return update, bar
