#!/usr/bin/env python3
"""Prints the issue-4 target ratios from one ma_sue_bench JSON run (bench/ma_sue_bench.cpp).

   python3 models/ma_sue/tools/bench_ratios.py ma_sue.json
"""
import json
import sys

with open(sys.argv[1]) as f:
    data = json.load(f)
rate, bench = {}, {}
for b in data["benchmarks"]:
    if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
        continue
    name = b["run_name"] if "run_name" in b else b["name"]
    rate[name] = b.get("items_per_second", 0.0)
    bench[name] = b

ctx = data.get("context", {})
print(f"{ctx.get('num_cpus')} CPUs, load average at start {ctx.get('load_avg')}")
for name, r in rate.items():
    extra = {k: bench[name][k] for k in ("iterations_per_solve", "failed", "final_error",
                                         "kkt_residual", "deviation_gain", "solved_fraction") if k in bench[name]}
    if "Projection" in name:
        extra["solver_iterations"] = bench[name]["solver_iterations"]
    print(f"{name:45} {r:12.4g} /s  {extra}")
proj = rate.get("BM_ProjectionPrinted/min_time:0.000", 0) or next((v for k, v in rate.items() if "Projection" in k), 0)
for name in [k for k in rate if k.startswith("BM_FastSolve")]:
    print(f"ratio {name} / projection (printed rho, epsilon): {rate[name] / proj:.4g}  (target >= 1e4)")
sweep2 = next((v for k, v in rate.items() if k.startswith("BM_Sweep/threads:2")), 0)
sweep1 = next((v for k, v in rate.items() if k.startswith("BM_Sweep/threads:1")), 0)
print(f"sweep points/s at 2 threads: {sweep2:.4g} (target >= 1e6 verified solves/s; 1e6 points in "
      f"{1e6 / sweep2 if sweep2 else float('nan'):.3g} s, target < 10 s); 2/1-thread speed-up {sweep2 / sweep1 if sweep1 else 0:.3g}")
