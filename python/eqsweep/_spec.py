"""Specs from Python: a path, TOML text or a dict, and keyword overrides as `--set` takes them."""

import json
import math
import os

import toml


def spec_source(spec):
    """(text, path) for the engine: text empty when the spec is a file to read."""
    if isinstance(spec, dict):
        return to_toml(spec), "<dict>"
    if isinstance(spec, os.PathLike):
        return "", os.fspath(spec)
    if isinstance(spec, str):
        # TOML text always has a `=`; a path never needs one.
        if "=" in spec or "\n" in spec:
            return spec, "<text>"
        return "", spec
    raise TypeError(f"spec must be a path, TOML text or a dict, not {type(spec).__name__}")


def to_toml(spec):
    return toml.dumps(_plain(spec))


def _plain(value):
    """numpy scalars and arrays as Python numbers and lists, which the TOML writer knows."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):  # numpy array or scalar
        return _plain(value.tolist())
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return value


def toml_value(value):
    """One value as TOML text, for an override ("fixed.k" = 0.6 -> "0.6")."""
    value = _plain(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string: JSON's escapes are TOML's
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as a TOML value")


def override_pairs(overrides):
    """Keyword overrides as (key, TOML value) pairs; `fixed__k=0.6` is the keyword spelling of "fixed.k"."""
    return [(key.replace("__", "."), toml_value(value)) for key, value in overrides.items()]
