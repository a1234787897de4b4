"""models() and describe(): what a model declares, as Python objects and pandas tables."""

import dataclasses
import os

from . import _eqsweep

try:
    import pandas as _pd
except ImportError:  # pandas is optional: the tables are then lists of dicts
    _pd = None


@dataclasses.dataclass(frozen=True)
class ModelInfo:
    """A model's declarations. `parameters`, `outputs`, `variants` and `options` are lists of
    dicts; the `*_table()` methods give the same as pandas DataFrames indexed by name."""

    name: str
    description: str
    source: str
    parameters: list
    outputs: list
    variants: list
    options: list

    def _table(self, rows, flatten_domain=True):
        if _pd is None:
            raise ImportError("pandas is not installed (Debian: python3-pandas); use the lists instead")
        flat = []
        for row in rows:
            row = dict(row)
            if flatten_domain and "domain" in row:
                d = row.pop("domain")
                row["domain"] = d["text"] if d else ""
            if "choices" in row:
                row["choices"] = "|".join(row["choices"])
            flat.append(row)
        return _pd.DataFrame(flat).set_index("name")

    def parameters_table(self):
        return self._table(self.parameters)

    def outputs_table(self):
        return self._table(self.outputs)

    def variants_table(self):
        """One row per variant: its description, how many outputs it writes, and the globs of those it never
        writes (a spec without an `outputs` list stores the rest)."""
        rows = [{"name": v["name"], "description": v["description"], "outputs": len(v["outputs"]),
                 "unwritten_outputs": " ".join(v["unwritten_outputs"])} for v in self.variants]
        return self._table(rows)

    def outputs_by_variant(self):
        """A boolean table: one row per output, one column per variant, True where the variant writes it."""
        if _pd is None:
            raise ImportError("pandas is not installed (Debian: python3-pandas); use the lists instead")
        names = [o["name"] for o in self.outputs]
        return _pd.DataFrame({v["name"]: [n in set(v["outputs"]) for n in names] for v in self.variants},
                             index=_pd.Index(names, name="output"))

    def options_table(self):
        return self._table(self.options)

    def parameter(self, name):
        for p in self.parameters:
            if p["name"] == name:
                return p
        raise KeyError(f"model {self.name} has no parameter '{name}'")

    def __repr__(self):
        return (f"ModelInfo({self.name!r}: {len(self.parameters)} parameters, {len(self.outputs)} outputs, "
                f"variants {[v['name'] for v in self.variants]})")


def models():
    """The built-in models, as a DataFrame (name, description, source) or, without pandas, a list of dicts."""
    rows = _eqsweep.models()
    return _pd.DataFrame(rows).set_index("name") if _pd is not None else rows


def describe(model, base_dir=".", **options):
    """The declarations of `model`. Options that decide a model's structure (model M's `network`
    file) are given as keywords; relative paths resolve against `base_dir`."""
    d = _eqsweep.describe(model, {k: _option_text(v) for k, v in options.items()}, os.fspath(base_dir))
    return ModelInfo(d["name"], d["description"], d["source"], d["parameters"], d["outputs"], d["variants"],
                     d["options"])


def _option_text(value):
    # Option values are text in the engine (a spec's [options] table); numbers as the spec reader prints them.
    return value if isinstance(value, str) else repr(value) if not isinstance(value, os.PathLike) else os.fspath(value)
