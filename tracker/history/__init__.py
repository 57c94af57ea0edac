"""Append-only history of every change to the audit records.

On PostgreSQL, row triggers write the events, so bulk updates, shell sessions,
migrations and raw SQL are recorded too, and the event table refuses UPDATE and DELETE.
On SQLite (the demo), Django's signals record what the ORM sees.
"""
