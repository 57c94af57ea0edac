"""Models of the project app: the append-only history of changes."""

from .history.models import HistoryEvent

__all__ = ["HistoryEvent"]
