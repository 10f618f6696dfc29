"""Settings from the environment: a value that would break the plan is refused at start, not per request."""
import pytest

from server.config import from_environment


def test_the_holding_rate_defaults_to_a_quarter_a_year(monkeypatch):
    monkeypatch.delenv("TENDU_HOLDING_RATE", raising=False)
    assert from_environment()["TENDU_HOLDING_RATE"] == 0.25
    monkeypatch.setenv("TENDU_HOLDING_RATE", "0.18")
    assert from_environment()["TENDU_HOLDING_RATE"] == 0.18


@pytest.mark.parametrize("wrong", ["0", "-0.2", "nan"])
def test_a_holding_rate_that_is_not_positive_stops_the_start(monkeypatch, wrong):
    monkeypatch.setenv("TENDU_HOLDING_RATE", wrong)
    with pytest.raises(ValueError, match="TENDU_HOLDING_RATE must be more than 0"):
        from_environment()


@pytest.mark.parametrize("percent", ["25", "1.5", "inf"])
def test_a_holding_rate_written_in_percent_stops_the_start(monkeypatch, percent):
    """TENDU_HOLDING_RATE=25 (meant as 25 %) started Tendu with stock costing 25 times its value a year: every EOQ
    ten times too small, silently. The rate is a share of the unit cost, at most 1."""
    monkeypatch.setenv("TENDU_HOLDING_RATE", percent)
    with pytest.raises(ValueError, match="0.25 for 25 %"):
        from_environment()
    monkeypatch.setenv("TENDU_HOLDING_RATE", "1")
    assert from_environment()["TENDU_HOLDING_RATE"] == 1
