"""gunicorn settings for Tendu (``gunicorn -c gunicorn.conf.py wsgi:app``); environment overrides."""
import os

bind = os.environ.get("TENDU_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("TENDU_WORKERS", 2))
# Threads, not an async worker: measured with 20 open dashboards (bench/README.sse.md), 32 threads per
# worker keep scanning fast while live streams each hold a thread; 4 or 8 let the streams starve scans.
worker_class = "gthread"
threads = int(os.environ.get("TENDU_THREADS", 32))
timeout = 30
graceful_timeout = 20
accesslog = "-"
# Paths without query strings: the live feed may carry its token in the URL.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(f)s" "%(a)s"'
