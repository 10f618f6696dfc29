"""The daily-review fill-rate equation of ``reorder_points`` against the shortage it stands for.

With daily review, backorders and the position after ordering uniform on (s, s + Q], a day's expected
shortage is (1/Q)∫ E[(D_L + D − y)⁺ − (D_L − y)⁺] dy over y in (s, s + Q]; the policy writes it as
d̄·[E(X − s)⁺ − E(X − s − Q)⁺]/Q with X = D_L + U, U the residual of one day's demand (density P(D > u)/d̄).
"""
import numpy as np
import pytest

from server.domain.policy import reorder_points, undershoot_moments


def _plus(x):
    return np.maximum(x, 0.0)


def _lead_time_demand(sizes, probs, lead_days):
    """Distribution of the demand of ``lead_days`` independent days, by convolution."""
    values, weights = np.array([0.0]), np.array([1.0])
    for _ in range(lead_days):
        v = (values[:, None] + sizes[None, :]).ravel()
        p = (weights[:, None] * probs[None, :]).ravel()
        values, inverse = np.unique(v, return_inverse=True)
        weights = np.bincount(inverse, weights=p)
    return values, weights


def shortage_per_day(sizes, probs, lead_days, s, q, grid=200_001):
    """Left side, by brute force: every (D_L, D) pair, y on a fine grid over (s, s + Q]."""
    sizes, probs = np.asarray(sizes, float), np.asarray(probs, float)
    dl_values, dl_probs = _lead_time_demand(sizes, probs, lead_days)
    y = np.linspace(s, s + q, grid)
    total = 0.0
    for dl, pl in zip(dl_values, dl_probs):
        for d, pd in zip(sizes, probs):
            total += pl * pd * np.trapezoid(_plus(dl + d - y) - _plus(dl - y), y)
    return total / q


def shortage_from_x(sizes, probs, lead_days, s, q, grid=400_001):
    """Right side: d̄·[E(X − s)⁺ − E(X − s − Q)⁺]/Q, X = D_L + U, U of density P(D > u)/d̄ (numerically)."""
    sizes, probs = np.asarray(sizes, float), np.asarray(probs, float)
    mean = float(sizes @ probs)
    u = np.linspace(0.0, sizes.max(), grid)
    density = (probs[None, :] * (sizes[None, :] > u[:, None])).sum(axis=1) / mean     # P(D > u)/d̄
    dl_values, dl_probs = _lead_time_demand(sizes, probs, lead_days)
    loss = 0.0
    for dl, pl in zip(dl_values, dl_probs):
        loss += pl * np.trapezoid(density * (_plus(dl + u - s) - _plus(dl + u - s - q)), u)
    return mean * loss / q


def test_shortage_identity_by_hand():
    # D = 0 or 2 with probability ½ (d̄ = 1), L = 1 day, s = 1, Q = 2.
    # Left: pairs (D_L, D) each ¼: (0, 2) gives ∫₁³(2 − y)⁺ = ½; (2, 2) gives ∫₁³(4 − y) − ∫₁³(2 − y)⁺ = 4 − ½;
    # the others 0 → (½ + 3½)/4 = 1, over Q = 2: ½ unit short a day, so β = 1 − ½/d̄ = 0.5.
    # Right: U uniform on (0, 2); D_L = 0: E(U − 1)⁺ = ¼, E(U − 3)⁺ = 0; D_L = 2: E(1 + U) = 2, E(U − 1)⁺ = ¼
    # → ½·¼ + ½·(2 − ¼) = 1, × d̄/Q = ½. The same.
    assert shortage_per_day([0, 2], [0.5, 0.5], 1, 1.0, 2.0) == pytest.approx(0.5, abs=1e-6)
    assert shortage_from_x([0, 2], [0.5, 0.5], 1, 1.0, 2.0) == pytest.approx(0.5, abs=1e-4)


@pytest.mark.parametrize("sizes, probs, lead_days, s, q", [
    ([0, 1, 3], [0.5, 0.3, 0.2], 3, 2.5, 4.0),
    ([0, 5], [0.8, 0.2], 4, 3.0, 6.0),           # intermittent, lumpy sizes
    ([2, 3, 4], [0.2, 0.5, 0.3], 2, 5.0, 3.0),   # demand every day
])
def test_shortage_identity_on_other_cases(sizes, probs, lead_days, s, q):
    assert shortage_from_x(sizes, probs, lead_days, s, q) == pytest.approx(
        shortage_per_day(sizes, probs, lead_days, s, q), rel=2e-3, abs=1e-5)


def test_undershoot_moments_are_the_residual_of_one_day():
    # D = 0 or 2 (½ each): U uniform on (0, 2): E[U] = 1 = E[D²]/(2E[D]) = 2/2; E[U²] = 4/3 = E[D³]/(3E[D]) = 4/3
    mean, sd = undershoot_moments(1.0, 1.0, 4.0)            # d̄ 1, σ_d 1 (E[D²] = 2), E[D³] = 4
    assert mean == pytest.approx(1.0) and sd == pytest.approx(np.sqrt(4 / 3 - 1))


def test_reorder_point_meets_the_brute_force_shortage_when_x_is_known():
    # X given exactly (lead-time demand + undershoot as a gamma of that mean and sd, no extra undershoot):
    # at the reorder point the shortage per cycle is Q(1 − β)
    r = reorder_points(1, 1, 2, 0, 4, fill_rate=0.9, ltd_mean=2.0, ltd_sd=2.0, undershoot=False, gamma=True)
    theta, s, q = 2.0, r.reorder_point, 4.0
    assert theta * np.exp(-s / theta) * (1 - np.exp(-q / theta)) == pytest.approx(q * 0.1, abs=1e-9)
