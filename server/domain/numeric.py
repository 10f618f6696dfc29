"""Numerical helpers shared by the policy maths: scalar-or-array results and a bracketed root finder."""
from __future__ import annotations

import numpy as np


def as_float(x: np.ndarray) -> float | np.ndarray:
    return float(x) if np.ndim(x) == 0 else x


def solve_decreasing(f, target, lo, hi, iterations: int = 200, tol: float = 1e-12):
    """Root of f(x, idx) = target[idx] for f decreasing in x, elementwise. x and idx are flat: idx says
    which (flattened) elements x holds, so only the unsolved ones are evaluated.

    Illinois false position: a secant step inside the bracket [lo, hi], halving the value kept at an end
    that survives twice in a row so the bracket cannot stall on one side (plain Newton overshoots on the
    convex tail of a loss function). Needs no derivative and always keeps the root bracketed."""
    target = np.asarray(target, dtype=float)
    shape = target.shape
    lo = np.array(np.broadcast_to(lo, shape), dtype=float).ravel()
    hi = np.array(np.broadcast_to(hi, shape), dtype=float).ravel()
    t = target.ravel()
    every = np.arange(t.size)
    gap_lo = np.asarray(f(lo, every), dtype=float) - t          # > 0
    gap_hi = np.asarray(f(hi, every), dtype=float) - t          # ≤ 0
    root = 0.5 * (lo + hi)
    todo = every
    x = lo.copy()
    last = np.zeros(t.size)
    for _ in range(iterations):
        l, h, gl, gh = lo[todo], hi[todo], gap_lo[todo], gap_hi[todo]
        with np.errstate(divide="ignore", invalid="ignore"):
            x_new = l + gl * (h - l) / (gl - gh)
        x_new = np.where(np.isfinite(x_new) & (x_new > l) & (x_new < h), x_new, 0.5 * (l + h))
        scale = tol * (1.0 + np.abs(x_new))
        done = (np.abs(x_new - x[todo]) <= scale) | (h - l <= scale)
        root[todo[done]] = x_new[done]
        todo, x_new = todo[~done], x_new[~done]
        if todo.size == 0:
            break
        x[todo] = x_new
        gap = np.asarray(f(x_new, todo), dtype=float) - t[todo]
        above = gap > 0
        prev = last[todo]
        gap_hi[todo] = np.where(above & (prev > 0), 0.5 * gap_hi[todo], gap_hi[todo])
        gap_lo[todo] = np.where(~above & (prev < 0), 0.5 * gap_lo[todo], gap_lo[todo])
        lo[todo] = np.where(above, x_new, lo[todo])
        gap_lo[todo] = np.where(above, gap, gap_lo[todo])
        hi[todo] = np.where(above, hi[todo], x_new)
        gap_hi[todo] = np.where(above, gap_hi[todo], gap)
        last[todo] = np.where(above, 1.0, -1.0)
    root[todo] = x[todo]
    return root.reshape(shape)
