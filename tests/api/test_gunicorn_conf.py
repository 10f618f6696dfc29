"""gunicorn.conf.py wraps each worker's app in the admission gate, leaving the live feed's real route out, and spreads
kept-alive connections over the workers."""
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


class Request:
    closed = False

    def __init__(self, headers=()):
        self.headers = list(headers)  # as gunicorn parsed them: upper-case names

    def force_close(self):
        self.closed = True


@pytest.mark.parametrize("headers, closed", [
    ((), False),
    ((("CONTENT-LENGTH", "65536"),), False),             # gunicorn drains this much of an unread body
    ((("CONTENT-LENGTH", "65537"),), True),              # past it, it would hang up after promising keep-alive
    ((("TRANSFER-ENCODING", "chunked"),), True),         # no length given: it may be longer
])
def test_a_body_that_may_exceed_what_gunicorn_drains_is_answered_connection_close(monkeypatch, headers, closed):
    monkeypatch.setenv("TENDU_SPREAD_CONNECTIONS", "0")
    req = Request(headers)
    load_conf(monkeypatch).pre_request(Worker(None), req)
    assert req.closed is closed


def test_a_gthread_worker_with_more_than_its_share_closes_connections(monkeypatch, tmp_path):
    monkeypatch.delenv("TENDU_SPREAD_CONNECTIONS", raising=False)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))  # child_exit also tells the metrics
    conf = load_conf(monkeypatch)
    busy, idle = Worker(None), Worker(None)
    conf.pre_fork(None, busy)
    conf.pre_fork(None, idle)
    idle.nr_conns, busy.nr_conns = 3, 13
    conf.pre_request(idle, Request())  # publishes 3
    shed, kept = Request(), Request()
    conf.pre_request(busy, shed)
    conf.pre_request(idle, kept)
    assert shed.closed and not kept.closed
    idle.pid = 999999
    conf.child_exit(None, idle)
    alone = Request()
    conf.pre_request(busy, alone)
    assert not alone.closed


def test_spreading_is_a_setting_and_sync_workers_are_left_alone(monkeypatch):
    off = load_conf(monkeypatch, TENDU_SPREAD_CONNECTIONS="0")
    worker, req = Worker(None), Request()
    off.pre_fork(None, worker)
    worker.nr_conns = 50
    off.pre_request(worker, req)
    assert not req.closed
    on = load_conf(monkeypatch, TENDU_SPREAD_CONNECTIONS="1")
    sync, other = Worker(None), Worker(None)  # a sync worker has no nr_conns
    on.pre_fork(None, sync)
    on.pre_fork(None, other)
    other.nr_conns = 0
    on.pre_request(other, Request())
    on.pre_request(sync, req)
    assert not req.closed
