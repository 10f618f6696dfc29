"""The split policy modules: predictive lead-time sd, the normal/gamma choice, and the re-exports that keep
``from server.domain.policy import …`` working."""
import math

import numpy as np
import pytest

from server.domain import classify, gamma, leadtime_demand, normal, numeric, policy, promise, quantities, reorder
from server.domain.leadtime_demand import predictive_lead_time_sd
from server.domain.reorder import GAMMA, NORMAL, distribution_for_class, reorder_points


def test_predictive_lead_time_sd_by_hand():
    # n = 20: √((1 + 1/20)·19/17) = √1.1735294 = 1.0832956
    assert predictive_lead_time_sd(3.0, 20) == pytest.approx(3.0 * math.sqrt(1.05 * 19 / 17), rel=1e-12)
    # n = 100: √(1.01·99/97) = 1.0153… — a long record hardly moves
    assert predictive_lead_time_sd(3.0, 100) == pytest.approx(3.0 * math.sqrt(1.01 * 99 / 97), rel=1e-12)
    # below 5 receptions the factor is taken at 5: √(1.2·4/2) = √2.4
    assert predictive_lead_time_sd(1.0, 2) == pytest.approx(math.sqrt(2.4), rel=1e-12)
    assert predictive_lead_time_sd(2.5, None) == 2.5
    np.testing.assert_allclose(predictive_lead_time_sd(np.array([1.0, 2.0]), np.array([20, 100])),
                               [math.sqrt(1.05 * 19 / 17), 2 * math.sqrt(1.01 * 99 / 97)], rtol=1e-12)


def test_predictive_sd_shrinks_towards_the_sample_sd_as_n_grows():
    factors = [predictive_lead_time_sd(1.0, n) for n in (5, 10, 20, 50, 200, 5000)]
    assert all(a > b for a, b in zip(factors, factors[1:])) and factors[-1] == pytest.approx(1.0, abs=1e-3)


def test_distribution_choice():
    assert distribution_for_class("lumpy") == GAMMA and distribution_for_class("intermittent", 0.0) == GAMMA
    assert distribution_for_class("smooth") == NORMAL and distribution_for_class("erratic", 0.0) == NORMAL
    assert distribution_for_class("smooth", 1.5) == GAMMA            # late deliveries skew X to the right


def test_gamma_falls_back_to_the_normal_when_it_is_one():
    # X mean ≈ 10 000·10 = 100 000, sd ≈ √(10·100²) = 316: α = 1e5 > GAMMA_MAX_SHAPE → normal
    r = reorder_points(10_000, 100, 10, 0, 5_000, fill_rate=0.95, gamma=True, undershoot=False)
    n = reorder_points(10_000, 100, 10, 0, 5_000, fill_rate=0.95, gamma=False, undershoot=False)
    assert r.gamma is False and r.reorder_point == pytest.approx(n.reorder_point, rel=1e-12)
    # just below the cut (mean 3 000, sd √(10·30²) = 94.87: α = 1 000, skewness 0.06) the two nearly agree
    g = reorder_points(300, 30, 10, 0, 300, fill_rate=0.95, gamma=True, undershoot=False)
    n = reorder_points(300, 30, 10, 0, 300, fill_rate=0.95, undershoot=False)
    assert g.gamma is True and g.reorder_point == pytest.approx(n.reorder_point, rel=2e-3)


def test_gamma_protects_more_than_the_normal_when_the_lead_time_is_skewed():
    kw = dict(fill_rate=0.98)
    assert (reorder_points(10, 2, 10, 4, 50, gamma=True, **kw).reorder_point
            > reorder_points(10, 2, 10, 4, 50, gamma=False, **kw).reorder_point)


@pytest.mark.parametrize("module", [classify, gamma, leadtime_demand, normal, numeric, promise, quantities, reorder])
def test_every_public_name_is_still_importable_from_policy(module):
    public = [n for n in vars(module) if not n.startswith("_") and getattr(getattr(module, n), "__module__", module.__name__)
              == module.__name__ and not isinstance(getattr(module, n), type(math))]
    missing = [n for n in public if not hasattr(policy, n)]
    # the helpers shared between modules need not be re-exported
    assert set(missing) <= {"as_float", "solve_decreasing", "check_fill_rate", "one_target_", "PREDICTIVE_MIN_N",
                            "DAYS_PER_YEAR", "GammaDistribution"}, missing
