"""Which events belong to one item: the row itself and the rows that hang under it."""

from __future__ import annotations

from django.db.models import Q

ITEM_KINDS = ("recommendation", "response", "measure")

_CHILDREN = {
    "recommendation": (
        "recommendation_id",
        (
            "recommendations_followup",
            "recommendations_answer",
            "recommendations_recommendation_questions",
            "recommendations_measure_recommendations",
        ),
    ),
    "response": (
        "response_id",
        ("recommendations_answer", "recommendations_decisionitem", "recommendations_measure"),
    ),
    "measure": ("measure_id", ("recommendations_measure_recommendations",)),
}


def refers_to(key: str, pks: object) -> Q:
    """Events whose row (before or after the change) has `key` among `pks`."""
    return Q(**{f"after__{key}__in": pks}) | Q(**{f"before__{key}__in": pks})


def item_events(kind: str, pk: int) -> Q:
    key, child_tables = _CHILDREN[kind]
    return Q(table_name=f"recommendations_{kind}", object_pk=pk) | (
        Q(table_name__in=child_tables) & refers_to(key, [pk])
    )
