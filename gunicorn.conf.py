"""gunicorn settings for Tendu (``gunicorn -c gunicorn.conf.py wsgi:app``); environment overrides."""
import os
import shutil as _shutil
import tempfile as _tempfile
from pathlib import Path as _Path

bind = os.environ.get("TENDU_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("TENDU_WORKERS", 2))
# Threads, not an async worker: measured with 20 open dashboards (bench/README.sse.md), 32 threads per
# worker keep scanning fast while live streams each hold a thread; 4 or 8 let the streams starve scans.
# gthread, with one change (server/keepalive.py): a thread that answered a kept-alive connection serves that
# connection's next request itself if it comes within 50 ms, instead of handing it back to the main thread.
worker_class = "server.keepalive.KeepAliveThreadWorker"
threads = int(os.environ.get("TENDU_THREADS", 32))
# ...but only this many requests of a worker run at once (server/admission.py): more, and they fight over the
# interpreter lock while one of them holds SQLite's write lock. The live feed streams are not counted.
# 0 lets every thread run (the gunicorn default).
_active_requests = int(os.environ.get("TENDU_ACTIVE_REQUESTS", 1))
# Kept-alive connections move off a worker that holds more than its share (server/spread.py). 0: off.
_spread = None
if os.environ.get("TENDU_SPREAD_CONNECTIONS", "1").strip() not in ("0", ""):
    from server.spread import Spread
    _spread = Spread()
timeout = 30
graceful_timeout = 20
# Tendu writes its own line per request (logger tendu.request: request id, user, route, duration), so
# gunicorn's access log says little more and costs as much again per request. Kept by default with text
# logs, as before; off with TENDU_LOG_FORMAT=json, where each request is one JSON object for a log shipper
# (gunicorn's own start/stop messages stay plain text). TENDU_ACCESS_LOG=- (stdout), a path or off decides.
_json_logs = os.environ.get("TENDU_LOG_FORMAT", "text").strip().lower() == "json"
_access = os.environ.get("TENDU_ACCESS_LOG", "off" if _json_logs else "-")
accesslog = None if _access.strip().lower() in ("", "off", "0", "false", "no") else _access
# Paths without query strings: the live feed may carry its token in the URL.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(f)s" "%(a)s"'

# Prometheus multiprocess mode (server/observability/metrics.py): each worker writes its metrics to files in
# one directory and a scrape through any worker adds them up. The directory must start empty; it is made
# here at start (or PROMETHEUS_MULTIPROC_DIR names one) before the workers fork and inherit the variable.
# With preload_app the app is imported before on_starting: then set PROMETHEUS_MULTIPROC_DIR outside.
_metrics_dir = None  # made by this master, removed when it exits


def on_starting(server):
    global _metrics_dir
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if given is None:
        _metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"] = _tempfile.mkdtemp(prefix="tendu-metrics-")
    elif "GUNICORN_PID" not in os.environ:  # not a USR2 re-exec, whose old workers still write there
        _Path(given).mkdir(parents=True, exist_ok=True)
        for stale in _Path(given).glob("*.db"):
            stale.unlink()


def pre_fork(server, worker):
    if _spread:
        _spread.assign(worker)


# gunicorn drains at most 64 KiB of a body the app did not read (a 401 or 413 refuses a photo before reading
# it) and then hangs up, after its answer has promised keep-alive: the client's next request on that
# connection fails unanswered. A body that may be larger is answered with "Connection: close" instead.
_DRAINABLE = 64 * 1024


def pre_request(worker, req):
    held = getattr(worker, "nr_conns", None)  # gthread counts its connections; sync has one at a time
    if _spread and held is not None and _spread.should_close(worker.spread_slot, held):
        req.force_close()  # answered with "Connection: close": the device reconnects to a less busy worker
    elif _may_exceed(req.headers, _DRAINABLE):
        req.force_close()


def _may_exceed(headers, size: int) -> bool:
    """Whether a request's body may be longer than ``size`` bytes (chunked: its length is not known)."""
    for name, value in headers:  # gunicorn has checked and upper-cased them
        if name == "TRANSFER-ENCODING" or (name == "CONTENT-LENGTH" and int(value) > size):
            return True
    return False


def post_worker_init(worker):
    if _active_requests:
        from server.admission import Admission
        worker.wsgi = Admission(worker.wsgi, _active_requests, exempt=("/api/v1/events/stream",))


def child_exit(server, worker):
    if _spread:
        _spread.release(worker)
    # A dead worker's counters stay (they are part of the totals); only "live" gauges go. Tendu has none
    # yet: this keeps one added later right.
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    # A master killed with SIGKILL cannot: its directory stays in the temp folder (a few small files).
    if _metrics_dir:
        _shutil.rmtree(_metrics_dir, ignore_errors=True)
