#!/usr/bin/python3
"""Propositions 2 and 4 of Ma, Nault & Tu checked over eqsweep cubes of the Example 3 network.

Every claim is a sign (or an ordering) of a change between two neighbouring grid points along one
axis. A grid cell counts only when both of its points are verified equilibria (status 0); the
script prints, per claim, the cells checked, the share where the claim holds, and the first
counter-example (coordinates and values). docs/model-m.md ("Propositions 2-4") states the claims
and gives the commands:

    for f in sweeps/ma_sue/prop2_*.toml sweeps/ma_sue/prop4_sigma_*.toml sweeps/ma_sue/prop4_beta_*.toml; do
        build/cli/eqsweep run $f -o out/props/$(basename $f .toml).h5; done
    /usr/bin/python3 models/ma_sue/tools/check_propositions.py out/props

A second argument picks the Proposition 4 readings (the cubes' name suffix), comma-separated, and
leaves Proposition 2 out; e.g. `check_propositions.py out/props latent` for demand = "latent_class".

Proposition 3 (sigma_h^D > sigma_h^C) is checked in docs/model-m.md, "sigma_h".
"""

import math
import os
import sys
import tomllib

import hdf5plugin  # noqa: F401  (the Blosc filter: cubes are Blosc-compressed by default)
import h5py
import numpy as np

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
SWEEPS = os.path.join(ROOT, "sweeps", "ma_sue")
REL_TIE = 1e-9  # changes smaller than this (relative) count as "no change" (the claim fails)


class Cube:
    def __init__(self, path):
        self.path = path
        self.f = h5py.File(path, "r")
        st = self.f["status"]
        self.axes = [self.f[ref[0]].name.lstrip("/") for ref in st.attrs["DIMENSION_LIST"]]
        self.coords = {a: self.f[a][:] for a in self.axes}
        self.ok = st[:] == 0
        self.n_failed = int((~self.ok).sum())
        self.n = int(self.ok.size)

    def __getitem__(self, k):
        return self.f[k][:]

    def has(self, k):
        return k in self.f

    def options(self, chain):
        k = 1
        while self.has(f"p.{chain}.{k}"):
            k += 1
        return k - 1

    def point(self, idx):
        return ", ".join(f"{a} = {self.coords[a][i]:.6g}" for a, i in zip(self.axes, idx))


def cells(cube, axis):
    """Index pairs (lo, hi) of neighbouring verified points along `axis`."""
    ax = cube.axes.index(axis)
    shape = cube.ok.shape
    for idx in np.ndindex(*shape):
        if idx[ax] + 1 >= shape[ax]:
            continue
        nxt = list(idx)
        nxt[ax] += 1
        nxt = tuple(nxt)
        if cube.ok[idx] and cube.ok[nxt]:
            yield idx, nxt


class Tally:
    def __init__(self, claim, source):
        self.claim, self.source = claim, source
        self.checked = self.held = 0
        self.example = None

    def add(self, holds, describe):
        self.checked += 1
        if holds:
            self.held += 1
        elif self.example is None:
            self.example = describe()

    def row(self):
        share = f"{100.0 * self.held / self.checked:.1f} %" if self.checked else "-"
        ex = self.example or "none"
        return f"| {self.claim} | {self.source} | {self.checked} | {self.held} | {share} | {ex} |"


def decreasing(d, scale):
    return d < -REL_TIE * max(abs(scale), 1.0)


def increasing(d, scale):
    return d > REL_TIE * max(abs(scale), 1.0)


def load(d, name):
    p = os.path.join(d, name + ".h5")
    if not os.path.exists(p):
        sys.exit(f"{p}: missing; run sweeps/ma_sue/{name}.toml first (see the docstring)")
    return Cube(p)


def chain_flow(cube, chain):
    return sum(cube[f"x.{chain}.{k}"] for k in range(1, cube.options(chain) + 1))


# ---------------------------------------------------------------- Proposition 2
def proposition2(d, out):
    for k in ("one", "two"):
        C, D = load(d, f"prop2_central_{k}"), load(d, f"prop2_decentral_{k}")
        for cube, tag in ((C, "C"), (D, "D")):
            x = chain_flow(cube, "SC1")
            n_opt = cube.options("SC1")
            for axis in ("a1.a", "a3.a"):
                src = f"`{os.path.basename(cube.path)}` along {axis}"
                ta = Tally(f"2(a) SC1 flow decreases in {axis} ({tag}, {k} option)", src)
                tb = Tally(f"2(b) SC1 lead times increase in {axis} ({tag}, {k} option)", src)
                for lo, hi in cells(cube, axis):
                    dx = x[hi] - x[lo]
                    ta.add(decreasing(dx, x[lo]),
                           lambda: f"{cube.point(lo)} -> {axis} = {cube.coords[axis][hi[cube.axes.index(axis)]]:.6g}: "
                                   f"x {x[lo]:.6g} -> {x[hi]:.6g}")
                    for o in range(1, n_opt + 1):
                        T = cube[f"T.SC1.{o}"]
                        tb.add(increasing(T[hi] - T[lo], T[lo]),
                               lambda: f"option {o}, {cube.point(lo)} -> {axis} = "
                                       f"{cube.coords[axis][hi[cube.axes.index(axis)]]:.6g}: T {T[lo]:.6g} -> {T[hi]:.6g}")
                out += [ta, tb]
        # (c): the impact in D is lower than in C, cell by cell on the common grid.
        xC, xD = chain_flow(C, "SC1"), chain_flow(D, "SC1")
        for axis in ("a1.a", "a3.a"):
            src = f"`prop2_{{central,decentral}}_{k}` along {axis}"
            tx = Tally(f"2(c) abs. flow change D < C in {axis} ({k} option)", src)
            tr = Tally(f"2(c) relative flow change D < C in {axis} ({k} option)", src)
            tt = Tally(f"2(c) lead-time change D < C in {axis} ({k} option)", src)
            okC = set(cells(C, axis))
            for lo, hi in cells(D, axis):
                if (lo, hi) not in okC:
                    continue
                dC, dD = xC[hi] - xC[lo], xD[hi] - xD[lo]
                tx.add(abs(dD) < abs(dC), lambda: f"{D.point(lo)}: |dx| D {abs(dD):.6g} vs C {abs(dC):.6g}")
                rC, rD = math.log(xC[hi] / xC[lo]), math.log(xD[hi] / xD[lo])
                tr.add(abs(rD) < abs(rC), lambda: f"{D.point(lo)}: |dln x| D {abs(rD):.6g} vs C {abs(rC):.6g}")
                for o in range(1, C.options("SC1") + 1):
                    TC, TD = C[f"T.SC1.{o}"], D[f"T.SC1.{o}"]
                    eC, eD = TC[hi] - TC[lo], TD[hi] - TD[lo]
                    tt.add(abs(eD) < abs(eC) * (1 - REL_TIE),
                           lambda: f"option {o}, {D.point(lo)}: |dT| D {abs(eD):.6g} vs C {abs(eC):.6g}")
            out += [tx, tr, tt]


# ---------------------------------------------------------------- Proposition 4
def segments(spec_name):
    """(chain, option) -> (lo, hi) of its segment, from the network of a spec (boundaries fixed)."""
    spec = tomllib.load(open(os.path.join(SWEEPS, spec_name + ".toml"), "rb"))
    net = tomllib.load(open(os.path.join(SWEEPS, spec["options"]["network"]), "rb"))
    lower = net["market"].get("beta_lower", 0.0)
    seg = {}
    for ch in net["chain"]:
        b = ch.get("boundaries", [])
        if ch.get("options", 1) > 1 and len(b) != ch["options"] - 1:
            sys.exit(f"{spec_name}: chain {ch['name']} needs explicit boundaries for Proposition 4")
        edges = [lower] + list(b) + [math.inf]
        for k in range(ch.get("options", 1)):
            seg[(ch["name"], k + 1)] = (edges[k], edges[k + 1])
    return seg


def inside(seg, mean, sigma):
    lo, hi = seg
    return lo >= mean - sigma and hi <= mean + sigma


def proposition4(d, out, readings=("conditional", "partial")):
    for b in readings:
        C, D = load(d, f"prop4_sigma_central_{b}"), load(d, f"prop4_sigma_decentral_{b}")
        seg = segments(f"prop4_sigma_central_{b}")
        for cube, tag in ((C, "C"), (D, "D")):
            src = f"`{os.path.basename(cube.path)}`"
            said = {("a", True): "price falls", ("a", False): "price rises",
                    ("b", True): "lead time rises", ("b", False): "lead time falls"}
            t = {(c, w): Tally(f"4({c}) {'inside' if w else 'outside'}: {said[(c, w)]} in sigma ({tag}, {b})", src)
                 for c in ("a", "b") for w in (True, False)}
            m_ax = cube.axes.index("beta_mean")
            s_ax = cube.axes.index("sigma")
            for lo, hi in cells(cube, "sigma"):
                mean = cube.coords["beta_mean"][lo[m_ax]]
                s0, s1 = cube.coords["sigma"][lo[s_ax]], cube.coords["sigma"][hi[s_ax]]
                for (chain, o), sg in seg.items():
                    w0, w1 = inside(sg, mean, s0), inside(sg, mean, s1)
                    if w0 != w1:
                        continue  # the segment crosses beta_mean +- sigma inside this cell
                    p, T = cube[f"p.{chain}.{o}"], cube[f"T.{chain}.{o}"]
                    dp, dT = p[hi] - p[lo], T[hi] - T[lo]
                    what = lambda q, v: (f"{chain}.{o} segment ({sg[0]:g}, {sg[1]:g}), {cube.point(lo)} -> sigma = {s1:.6g}: "
                                         f"{q} {v[lo]:.6g} -> {v[hi]:.6g}")
                    t[("a", w0)].add(decreasing(dp, p[lo]) if w0 else increasing(dp, p[lo]), lambda: what("p", p))
                    t[("b", w0)].add(increasing(dT, T[lo]) if w0 else decreasing(dT, T[lo]), lambda: what("T", T))
            out += [t[k] for k in sorted(t)]
        # (c): outside segments, the retail price moves more with sigma in D than in C.
        tc = Tally(f"4(c) outside: abs. price change D > C ({b})", f"`prop4_sigma_{{central,decentral}}_{b}`")
        okC = set(cells(C, "sigma"))
        m_ax, s_ax = D.axes.index("beta_mean"), D.axes.index("sigma")
        for lo, hi in cells(D, "sigma"):
            if (lo, hi) not in okC:
                continue
            mean = D.coords["beta_mean"][lo[m_ax]]
            s0, s1 = D.coords["sigma"][lo[s_ax]], D.coords["sigma"][hi[s_ax]]
            for (chain, o), sg in seg.items():
                if inside(sg, mean, s0) or inside(sg, mean, s1):
                    continue
                pC, pD = C[f"p.{chain}.{o}"], D[f"p.{chain}.{o}"]
                dC, dD = pC[hi] - pC[lo], pD[hi] - pD[lo]
                tc.add(abs(dD) > abs(dC), lambda: f"{chain}.{o}, {D.point(lo)} -> sigma = {s1:.6g}: "
                                                  f"|dp| D {abs(dD):.6g} vs C {abs(dC):.6g}")
        out.append(tc)
        # (d): decentralized, prices rise in beta_mean, retail more than wholesale.
        B = load(d, f"prop4_beta_decentral_{b}")
        src = f"`{os.path.basename(B.path)}`"
        tw = Tally(f"4(d) wholesale price rises in mean beta (D, {b})", src)
        tp = Tally(f"4(d) retail price rises in mean beta (D, {b})", src)
        tm = Tally(f"4(d) retail rises more than wholesale (D, {b})", src)
        for lo, hi in cells(B, "beta_mean"):
            m1 = B.coords["beta_mean"][hi[B.axes.index("beta_mean")]]
            for chain in ("SC1", "SC2"):
                for o in range(1, B.options(chain) + 1):
                    p, wp = B[f"p.{chain}.{o}"], B[f"wp.{chain}.{o}"]
                    dp, dw = p[hi] - p[lo], wp[hi] - wp[lo]
                    head = f"{chain}.{o}, {B.point(lo)} -> beta_mean = {m1:.6g}"
                    tw.add(increasing(dw, wp[lo]), lambda: f"{head}: wholesale {wp[lo]:.6g} -> {wp[hi]:.6g}")
                    tp.add(increasing(dp, p[lo]), lambda: f"{head}: retail {p[lo]:.6g} -> {p[hi]:.6g}")
                    tm.add(dp > dw, lambda: f"{head}: d retail {dp:.6g} vs d wholesale {dw:.6g}")
        out += [tw, tp, tm]


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "out", "props")
    out = []
    if len(sys.argv) > 2:
        proposition4(d, out, tuple(sys.argv[2].split(",")))
    else:
        proposition2(d, out)
        proposition4(d, out)
    print("| claim | cube | cells | holds | share | first counter-example |")
    print("|---|---|---|---|---|---|")
    for t in out:
        print(t.row())


if __name__ == "__main__":
    main()
