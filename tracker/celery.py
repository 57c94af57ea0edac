"""The Celery app. Workers and beat run with `celery -A tracker worker|beat`."""

import os
from typing import Any

from celery import Celery, Task
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _history_names_the_task(task_id: str, task: Task, **kwargs: Any) -> None:
    # Changes a task makes are recorded under its name (see tracker/history/context.py).
    from tracker.history.context import enter

    task.request.history_token = enter(task=task.name)


@task_postrun.connect
def _history_task_done(task_id: str, task: Task, **kwargs: Any) -> None:
    from tracker.history.context import leave

    token = getattr(task.request, "history_token", None)
    if token is not None:
        leave(token)
