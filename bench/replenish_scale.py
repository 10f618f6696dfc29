"""The whole replenishment plan for 20,000 products × 730 days of demand: time and peak memory.

    .venv/bin/python bench/replenish_scale.py [--products 20000] [--days 730] [--seed 1]

Synthetic demand (a third smooth, a third intermittent, a sixth lumpy, a sixth erratic), lead times per
product, costs, packs and MOQs; then ``domain.plan.replenishment_plan`` exactly as the API runs it.
Peak memory is the process's maximum resident set (ru_maxrss), synthetic history included.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from server.domain.plan import replenishment_plan  # noqa: E402

TARGET_SECONDS, TARGET_MB = 10.0, 1024


def synthetic_demand(rng, products: int, days: int) -> np.ndarray:
    kind = rng.choice(4, size=products, p=[1 / 3, 1 / 3, 1 / 6, 1 / 6])
    rate = np.choose(kind, [rng.uniform(0.5, 1.0, products), rng.uniform(0.02, 0.15, products),
                            rng.uniform(0.01, 0.05, products), rng.uniform(0.3, 0.8, products)])
    size_hi = np.choose(kind, [6, 3, 40, 25])
    occurs = rng.random((products, days)) < rate[:, None]
    sizes = rng.integers(1, size_hi[:, None] + 1, (products, days))
    return np.where(occurs, sizes, 0).astype(np.float64)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--periodic", type=float, default=0.0, metavar="SHARE",
                        help="share of products whose supplier is ordered from every 7 days, (R, S)")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    daily = synthetic_demand(rng, args.products, args.days)
    n = args.products
    started = time.perf_counter()
    plan = replenishment_plan(daily, unit_cost=rng.uniform(1, 200, n), lt_mean=rng.uniform(2, 20, n),
                              lt_sd=rng.uniform(0, 5, n), lt_n=np.where(rng.random(n) < 0.5, rng.integers(4, 60, n),
                                                                         np.nan),
                              moq=rng.choice([0, 6, 12], n), pack=rng.choice([1, 1, 6, 12], n),
                              critical=rng.random(n) < 0.02,
                              review_days=np.where(rng.random(n) < args.periodic, 7.0, np.nan),
                              # 80 % of suppliers with a cost per order (the EOQ), the rest four weeks of demand
                              ordering_cost=np.where(rng.random(n) < 0.8, rng.uniform(10, 80, n), np.nan))
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    push = plan.mode == "push"
    print(f"products {n:,} × days {args.days}: plan in {seconds:.2f} s, peak memory {peak_mb:.0f} MB")
    print("  classes: " + ", ".join(f"{c} {int((plan.demand_class == c).sum())}"
                                     for c in ("smooth", "erratic", "intermittent", "lumpy")))
    periodic = int((~np.isnan(plan.review_days)).sum())
    print(f"  push {int(push.sum())}, pull {int((~push).sum())}; reviewed every 7 days {periodic}; "
          f"mean reorder point (push) {np.nanmean(plan.reorder_point):.1f}; methods: " +
          ", ".join(f"{m} {int((plan.method == m).sum())}" for m in np.unique(plan.method)))
    ok = seconds <= TARGET_SECONDS and peak_mb <= TARGET_MB
    print(f"target (≤ {TARGET_SECONDS:.0f} s and ≤ {TARGET_MB} MB): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
