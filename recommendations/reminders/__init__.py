"""Deadline reminders: a ledger (the outbox), set-based sweeps that fill it, and delivery
that claims one row at a time so no reminder is lost or sent twice."""
