"""Does one product's policy, as the API computes it, reach its fill-rate target on demand like its own history?

    .venv/bin/python bench/item_sim.py [--sku BAT-0138] [--review 7] [--years 2000] [--database-url URL]

The demo is built on a fresh SQLite file (1–1.5 min; the file is kept and named on stderr, for --database-url).
``--review R`` sets the supplier's review period as PATCH /api/v1/suppliers/<code> does (put back afterwards).
The policy is ``queries.planning.explain``'s, as GET /api/v1/products/<sku>/policy. Each simulated year (120
warm-up days + 365) draws demand by 28-day circular block bootstrap of its 364-day history, at the history's
rate and thinned to the forecast (a demand day kept with probability forecast / history mean), and lead times
from the product's receptions (fractional days rounded at random); ``policy_sim.simulate`` plays it. Fill rate:
units served from stock / units demanded, all years pooled; the least level reaching β is bisected on the same draws.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.policy_sim import MEASURE_DAYS, WARMUP_DAYS, simulate  # noqa: E402

BLOCK = 28
BISECTION_STEPS = 16


def read_policy(args):
    """(explained policy, the product's own measured lead times in days), from the app's own code path."""
    from flask_migrate import upgrade
    from server import create_app
    from server.extensions import db
    from server.models import Product, Supplier
    from server.models.base import utcnow
    from server.queries import leadtimes, planning
    from server.services import demo, master
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='item_sim-')) / 'demo.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if not args.database_url:
            upgrade()
            demo.generate(seed=args.demo_seed, days=args.demo_days, echo=lambda *_: None)
            print(f"demo (seed {args.demo_seed}, {args.demo_days} days) built; run again on it with "
                  f"--database-url {url}", file=sys.stderr)
        product = master.get(Product, args.sku)
        supplier = db.session.get(Supplier, product.supplier_id)
        before = supplier.review_period_days
        if args.review is not None:
            master.update(Supplier, supplier.code, {"review_period_days": args.review})
        try:
            explained = planning.explain(master.get(Product, args.sku), utcnow().date())
        finally:
            if args.review is not None:
                master.update(Supplier, supplier.code, {"review_period_days": before})
        lead = [t for h in leadtimes.line_histories(product_id=product.id) if h.available
                and h.supplier_id == product.supplier_id and (t := h.breakdown().total) is not None]
        return explained, np.array(lead), supplier.code


def bootstrap(rng, history, years, days, keep=1.0):
    """(years, days) of demand: 28-day blocks of the history from random starts (wrapping round), each demand
    day kept with probability ``keep``."""
    starts = rng.integers(0, history.size, (years, -(-days // BLOCK)))
    index = (starts[:, :, None] + np.arange(BLOCK)) % history.size
    out = history[index].reshape(years, -1)[:, :days]
    return out * (rng.random(out.shape) < keep) if keep < 1 else out     # (a forecast above the history: unthinned)


def lead_times(rng, receptions, years, days):
    raw = rng.choice(receptions, (years, days))
    return (np.floor(raw) + (rng.random(raw.shape) < raw % 1.0)).astype(int)


def fill_rate(demand, lead, level, q, review):
    lanes = np.ones(demand.shape[0])
    served, demanded, _ = simulate(demand, lead, level * lanes, q * lanes, review=review)
    return served.sum() / demanded.sum()


def least_level(demand, lead, beta, q, review, hi):
    while fill_rate(demand, lead, hi, q, review) < beta:
        hi *= 2
    lo = 0.0
    for _ in range(BISECTION_STEPS):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if fill_rate(demand, lead, mid, q, review) >= beta else (mid, hi)
    return hi


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sku", default="BAT-0138")
    parser.add_argument("--review", type=int, help="set the supplier's review period R (days) first: (R, S)")
    parser.add_argument("--years", type=int, default=2000, help="simulated years per world")
    parser.add_argument("--seed", type=int, default=1, help="the simulation's draws")
    parser.add_argument("--database-url", help="an existing database (default: the demo on a fresh SQLite file)")
    parser.add_argument("--demo-seed", type=int, default=7)
    parser.add_argument("--demo-days", type=int, default=365)
    args = parser.parse_args()
    started = time.perf_counter()
    explained, receptions, supplier = read_policy(args)
    policy, history = explained.policy, explained.daily
    review = int(policy.review_period_days) if policy.review_period_days else None
    if policy.mode != "push" or policy.service_kind != "fill_rate" or receptions.size == 0:
        sys.exit(f"{args.sku}: {policy.mode}, {policy.service_kind}, {receptions.size} receptions: not simulated")
    level, q = (policy.order_up_to, 1.0) if review else (policy.reorder_point, policy.order_quantity)
    name = "S" if review else "s"
    forecast, mean, beta = explained.inputs.demand_mean, history.mean(), policy.service_target
    print(f"{args.sku} ({supplier}, {policy.variability_class}, {policy.distribution} X): "
          + (f"R = {review}, S = {level:.1f}" if review else f"daily review, s = {level:.1f}, Q = {q:g}")
          + f", β = {beta:g}; history {history.size} d at {mean:.3f}/d, forecast {forecast:.3f}/d; lead time from "
          f"{receptions.size} receptions, mean {receptions.mean():.2f} d")
    rng, days = np.random.default_rng(args.seed), WARMUP_DAYS + MEASURE_DAYS
    print(f"{'world':<34} {'fill at ' + name:>10} {'least ' + name + ' for β':>14} {'product ' + name:>10}")
    worlds = ((f"bootstrap, history rate {mean:.2f}/d", 1.0),
              (f"thinned to forecast {forecast:.2f}/d", forecast / mean))
    for world, k in worlds:
        demand = bootstrap(rng, history, args.years, days, k)
        lead = lead_times(rng, receptions, args.years, days)
        print(f"{world:<34} {fill_rate(demand, lead, level, q, review):>10.4f} "
              f"{least_level(demand, lead, beta, q, review, max(level, 1.0)):>14.1f} {level:>10.1f}")
    print(f"{args.years} years per world, seed {args.seed}; {time.perf_counter() - started:.1f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
