"""gunicorn settings for Tendu (``gunicorn -c gunicorn.conf.py wsgi:app``); environment overrides."""
import os

bind = os.environ.get("TENDU_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("TENDU_WORKERS", 2))
worker_class = "gthread"
threads = int(os.environ.get("TENDU_THREADS", 4))
timeout = 30
graceful_timeout = 20
accesslog = "-"
