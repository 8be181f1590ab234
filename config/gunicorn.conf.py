"""gunicorn settings for production (`make prod`, deploy/guanai-web.service). Read by
`gunicorn -c config/gunicorn.conf.py config.wsgi`; every value can be overridden from the environment
(GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT).

Threaded workers (gthread): a slow report keeps one thread busy, not a whole process, so the login page
does not wait behind dashboards; background jobs never run here (production refuses to start without a
Celery broker, config/settings.py)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then (bounded memory), staggered by the jitter
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The client address comes from nginx's X-Real-IP (TRUST_X_REAL_IP), never from X-Forwarded-For.
forwarded_allow_ips = "127.0.0.1"
