"""gunicorn settings for aftersales: ``gunicorn -c deploy/gunicorn.conf.py config.wsgi``.

Everything that differs between machines comes from the environment (deploy/aftersales.env.example lists it):
GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS, TRUSTED_PROXIES.
Logs go to stdout/stderr (systemd's journal): the access log is one key=value line per request.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001").split(",")
# CPU-bound pages (PDFs, the board): about two processes per core.
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
# Long work (imports, rollups, batch PDFs) runs in Celery; a request taking this long is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5
# Recycle a worker now and then so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 2000)
max_requests_jitter = max_requests // 10
# Load the app once in the master: a broken settings file stops the start instead of looping worker boots.
preload_app = True

# Only nginx talks to gunicorn: believe its X-Forwarded-* headers (same list as the app's TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES") or "127.0.0.1"

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
# One line per request, key=value (client is the first X-Forwarded-For address nginx added; D is microseconds).
access_log_format = (
    'access time=%(t)s client=%({x-forwarded-for}i)s method=%(m)s path="%(U)s" query="%(q)s" status=%(s)s '
    'bytes=%(B)s duration_us=%(D)s host="%({host}i)s" agent="%(a)s" pid=%(p)s'
)
proc_name = "aftersales"
