"""Celery tasks of the audits app."""

from __future__ import annotations

from celery import shared_task

from .exports import jobs


@shared_task(name="audits.tasks.render_export")
def render_export(export_id: str) -> None:
    jobs.run(export_id)
