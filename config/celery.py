"""Celery application. With no broker configured, tasks run eagerly in the request (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("guanai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
