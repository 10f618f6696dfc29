"""Forecast accuracy on the carparts data set (see shared/data/README.md for the protocol).

    .venv/bin/python bench/forecast_carparts.py [--inner] [path/to/carparts.csv]

1. Reproduces the published seasonal-naive figures (Chronos, Benchmark II): last 12 months as test,
   MASE scaled by the in-sample mean absolute lag-12 difference (missing values ignored), series
   with a non-finite MASE dropped (2,493 remain); WQL = Σ|error| / Σ|actual| over every series.
2. Runs every method and the automatic selection on the 2,509 complete series: MASE (m=12) and
   RMSSE (lag 1) averaged over the series where they are finite, pooled bias Σ(f − a) / Σ a.
   The selection sees only the 39 training months (rolling origins inside them).
3. With ``--inner``, also the evidence the selection's settings were chosen on: 13 splits made
   inside the 39 training months (train on the first t months, t = 15..27, test on the next 12),
   a grid of 112 designs scored on each, and the rule that picked the default from them.
   The last 12 months never take part.
Exits 0 and says why when the data file is absent; 1 when the acceptance or a reproduction fails.
"""
from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.domain import accuracy, forecast  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "carparts.csv"
HORIZON = 12
SEASON = 12

# statsforecast 2.1.1 figures from shared/data/README.md: (MASE, RMSSE, bias).
REFERENCE = {
    "Naive": (1.2125, 0.8746, 0.227),
    "SES alpha=0.1": (1.1162, 0.7150, 0.166),
    "Croston alpha=0.1": (1.3100, 0.8116, 0.279),
    "SBA": (1.2826, 0.8016, 0.215),
    "TSB (0.1, 0.1)": (1.1332, 0.7250, 0.234),
    "ADIDA": (1.0751, 0.7144, 0.037),
    "IMAPA": (1.0782, 0.7101, 0.072),
    "all-zero forecast": (0.7958, 0.7208, -1.0),
}
METHODS = {
    "Naive": forecast.naive,
    "SES alpha=0.1": forecast.ses,
    "Croston alpha=0.1": forecast.croston,
    "SBA": forecast.sba,
    "TSB (0.1, 0.1)": forecast.tsb,
    "ADIDA": forecast.adida,
    "IMAPA": forecast.imapa,
    "all-zero forecast": forecast.zero,
}
IMAPA_RMSSE = REFERENCE["IMAPA"][1]


def load(path: Path) -> np.ndarray:
    """(series × months) array, NaN for the empty cells."""
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    values = [[float(cell) if cell else np.nan for cell in row[1:]] for row in rows]
    return np.array(values, dtype=np.float64).T


def reproduce_seasonal_naive(data: np.ndarray) -> tuple[float, int, float]:
    train, test = data[:, :-HORIZON], data[:, -HORIZON:]
    path = forecast.seasonal_naive(train, SEASON).path(HORIZON)
    mase, count = accuracy.finite_mean(accuracy.mase(test, path, train, SEASON))
    return mase, count, accuracy.wql(test, path)


def scores(train, test, level) -> tuple[float, float, float, int]:
    path = np.repeat(level[:, None], HORIZON, axis=1)
    mase, _ = accuracy.finite_mean(accuracy.mase(test, path, train, SEASON))
    rmsse, count = accuracy.finite_mean(accuracy.rmsse(test, path, train, 1))
    return mase, rmsse, accuracy.bias(test, path), count


INNER_SPLITS = tuple(range(15, 28))   # training months; each tested on the 12 months after them
BASE = ("ses", "tsb", "adida", "imapa")
EXTRAS = (("zero",), ("ses_0.2",), ("tsb_0.2",), ("zero", "ses_0.2"), ("zero", "tsb_0.2"),
          ("zero", "ses_0.2", "tsb_0.2"))
PREVIOUS = (BASE, 0.5, 0.0)   # candidates, IMAPA weight, bias weight: the selection before issue 5
CHOSEN = (forecast.DEFAULT_CANDIDATES, 0.5, forecast.DEFAULT_BIAS_WEIGHT)


def design_level(selection: forecast.Selection, candidates, anchor_weight: float,
                 bias_weight: float) -> np.ndarray:
    """What ``select_forecast`` would give with a subset of candidates and other weights, from
    one run with every candidate (scores are per candidate, so a subset is a column choice)."""
    cols = [selection.candidates.index(name) for name in candidates]
    n = selection.n_scored[:, None]
    rmse, bias = selection.rmse[:, cols], selection.bias[:, cols]
    score = np.where(n > 0, n * (rmse * rmse + bias_weight * bias * bias), 0.0)
    choice = np.argmin(score, axis=1)   # unscored rows: all 0, argmin → first candidate
    level = selection.levels[:, cols][np.arange(choice.size), choice]
    imapa = selection.levels[:, selection.candidates.index("imapa")]
    return (1.0 - anchor_weight) * level + anchor_weight * imapa


def inner_splits(complete: np.ndarray) -> None:
    """The evidence the selection's settings were chosen on: 13 splits inside the training months
    (train on the first t months, test on the next 12, t = 15..27), every design of the grid
    scored on each. The last 12 months never take part."""
    designs = {}
    for extra in ((),) + EXTRAS:
        for weight in (0.0, 0.25, 0.5, 0.75):
            for lam in (0.0, 1.0, 2.0, 4.0):
                designs[(BASE + extra, weight, lam)] = ([], [])
    imapa_rmsse = []
    for t in INNER_SPLITS:
        train, test = complete[:, :t], complete[:, t:t + HORIZON]
        everything = forecast.select_forecast(train, HORIZON, candidates=forecast.DEFAULT_CANDIDATES)
        imapa_rmsse.append(scores(train, test, forecast.imapa(train).level)[1])
        for design, (rmsses, biases) in designs.items():
            _, rmsse, bias, _ = scores(train, test, design_level(everything, *design))
            rmsses.append(rmsse)
            biases.append(bias)
    imapa_rmsse = np.array(imapa_rmsse)

    def label(design):
        candidates, weight, lam = design
        extra = "+".join(candidates[len(BASE):]) or "—"
        return f"{extra} | {weight:.2f} | {lam:g}"

    print(f"\nInner splits t = {INNER_SPLITS[0]}..{INNER_SPLITS[-1]} (train on months [0, t), test "
          f"on [t, t+12), all inside the 39 training months); IMAPA mean RMSSE "
          f"{imapa_rmsse.mean():.4f}")
    print("Per split, RMSSE / bias: IMAPA, previous selection, chosen selection")
    print("| t | IMAPA | previous | chosen |")
    print("|---|---|---|---|")
    for i, t in enumerate(INNER_SPLITS):
        train, test = complete[:, :t], complete[:, t:t + HORIZON]
        _, _, imapa_bias, _ = scores(train, test, forecast.imapa(train).level)
        cells = [f"{imapa_rmsse[i]:.4f} / {imapa_bias:+.1%}"]
        for design in (PREVIOUS, CHOSEN):
            rmsses, biases = designs[design]
            cells.append(f"{rmsses[i]:.4f} / {biases[i]:+.1%}")
        print(f"| {t} | " + " | ".join(cells) + " |")
    print(f"\nGrid ({len(designs)} designs: candidates added to {'/'.join(BASE)}, IMAPA weight, "
          "bias weight λ). Rule: beat IMAPA's RMSSE on every split, then the smallest mean |bias|.")
    print("| added candidates | IMAPA weight | λ | mean RMSSE | mean bias | mean abs bias | "
          "splits beating IMAPA |")
    print("|---|---|---|---|---|---|---|")
    rows = []
    for design, (rmsses, biases) in designs.items():
        wins = int((np.array(rmsses) < imapa_rmsse).sum())
        rows.append((wins < len(INNER_SPLITS), np.mean(np.abs(biases)), design, rmsses, biases, wins))
    rows.sort(key=lambda row: (row[0], row[1]))
    shown = rows[:8] + [row for row in rows[8:] if row[2] == PREVIOUS]
    for _, abs_bias, design, rmsses, biases, wins in shown:
        mark = " (chosen)" if design == CHOSEN else " (previous)" if design == PREVIOUS else ""
        print(f"| {label(design)}{mark} | {np.mean(rmsses):.4f} | {np.mean(biases):+.2%} | "
              f"{abs_bias:.2%} | {wins}/{len(INNER_SPLITS)} |")
    best = rows[0][2]
    print(f"Rule's pick: {label(best)} — {'the default' if best == CHOSEN else 'NOT the default'}")


def main(argv: list[str]) -> int:
    inner = "--inner" in argv
    argv = [arg for arg in argv if arg != "--inner"]
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_DATA
    if not path.exists():
        print(f"SKIP: {path} not found (carparts data set; see shared/data/README.md).")
        return 0
    data = load(path)
    mase, count, wql = reproduce_seasonal_naive(data)
    print(f"carparts: {data.shape[0]} series × {data.shape[1]} months, test = last {HORIZON}")
    print(f"Seasonal naive on all series: MASE {mase:.4f} over {count} finite series "
          f"(published 1.2015 / 2,493), WQL {wql:.5f} (published 1.5999, i.e. truncated)")
    reproduced = round(mase, 4) == 1.2015 and count == 2493 and np.floor(wql * 1e4) == 15999

    complete = data[~np.isnan(data).any(axis=1)]
    train, test = complete[:, :-HORIZON], complete[:, -HORIZON:]
    print(f"\nComplete series: {complete.shape[0]}; scores over the series where they are finite\n")
    print("| method | MASE (m=12) | RMSSE | bias | statsforecast 2.1.1 (MASE / RMSSE / bias) | s |")
    print("|---|---|---|---|---|---|")
    all_match = True
    for name, method in METHODS.items():
        started = time.perf_counter()
        level = method(train).level
        seconds = time.perf_counter() - started
        m, r, b, _ = scores(train, test, level)
        ref = REFERENCE[name]
        match = (round(m, 4), round(r, 4), round(b, 3)) == ref
        all_match &= match
        print(f"| {name} | {m:.4f} | {r:.4f} | {b:+.1%} | {ref[0]:.4f} / {ref[1]:.4f} / "
              f"{ref[2]:+.1%} {'=' if match else 'DIFFERS'} | {seconds:.2f} |")

    started = time.perf_counter()
    selection = forecast.select_forecast(train, HORIZON)
    seconds = time.perf_counter() - started
    m, r, b, count = scores(train, test, selection.level)
    print(f"| **automatic selection** | {m:.4f} | {r:.4f} | {b:+.1%} | — | {seconds:.2f} |")
    counts = np.bincount(selection.choice, minlength=len(selection.candidates))
    chosen = ", ".join(f"{name} {n}" for name, n in zip(selection.candidates, counts))
    origins = ", ".join(str(t) for t in forecast.rolling_origins(train.shape[1], HORIZON, 4))
    print(f"\nSelection: origins at months {origins} of {train.shape[1]} training months; "
          f"chosen: {chosen}; averaged with IMAPA; RMSSE over {count} series")
    if inner:
        inner_splits(complete)
    accepted = r < IMAPA_RMSSE and abs(b) <= 0.05
    print(f"Acceptance (RMSSE < {IMAPA_RMSSE} and |bias| <= 5%): {'PASS' if accepted else 'FAIL'}")
    print(f"Published figures reproduced: {'yes' if reproduced and all_match else 'NO'}")
    return 0 if accepted and reproduced and all_match else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
