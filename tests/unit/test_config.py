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


def test_working_days_default_to_monday_to_friday(monkeypatch):
    monkeypatch.delenv("TENDU_WORKING_DAYS", raising=False)
    assert from_environment()["TENDU_WORKING_DAYS"] == "mon-fri"
    monkeypatch.setenv("TENDU_WORKING_DAYS", "Lun-Sam")
    assert from_environment()["TENDU_WORKING_DAYS"] == "lun-sam"


@pytest.mark.parametrize("wrong", ["weekdays", "mon-fri;sat", "mon-"])
def test_working_days_that_cannot_be_read_stop_the_start(monkeypatch, wrong):
    monkeypatch.setenv("TENDU_WORKING_DAYS", wrong)
    with pytest.raises(ValueError, match=r"TENDU_WORKING_DAYS must be working days such as mon-fri, mon-sat or "
                                         r"mon,tue,wed,thu,fri \(lun-ven in French\), not '"):
        from_environment()
