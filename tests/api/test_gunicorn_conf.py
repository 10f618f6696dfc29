"""gunicorn.conf.py wraps each worker's app in the admission gate, leaving the live feed's real route out."""
import importlib.util
from pathlib import Path

import pytest

from server.admission import Admission

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def load_conf(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gunicorn_conf_under_test", CONF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Worker:
    def __init__(self, wsgi):
        self.wsgi = wsgi


def test_each_worker_runs_one_request_at_a_time_except_the_feed(app, monkeypatch):
    monkeypatch.delenv("TENDU_ACTIVE_REQUESTS", raising=False)
    worker = Worker(app.wsgi_app)
    load_conf(monkeypatch).post_worker_init(worker)
    assert isinstance(worker.wsgi, Admission) and worker.wsgi.slots == 1
    (exempt,) = worker.wsgi.exempt
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert exempt in rules and exempt.endswith("/events/stream")


@pytest.mark.parametrize("value, slots", [("3", 3), ("0", None)])
def test_the_number_is_a_setting(app, monkeypatch, value, slots):
    inner = app.wsgi_app
    worker = Worker(inner)
    load_conf(monkeypatch, TENDU_ACTIVE_REQUESTS=value).post_worker_init(worker)
    if slots is None:
        assert worker.wsgi is inner  # 0: no limit, the app as it is
    else:
        assert worker.wsgi.slots == slots
