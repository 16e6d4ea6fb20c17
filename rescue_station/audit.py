"""Audit helpers: every write made through a service records who made it.

History itself is kept by django-simple-history (a ``history = HistoricalRecords()`` on each
model). The request middleware names the user for writes made in a view; services are also called
from commands and imports, so they name the acting user explicitly with ``save_audited``.
"""

from __future__ import annotations

from typing import Any

from django.db import models


def save_audited(obj: models.Model, *, acting_user: Any, reason: str = "") -> models.Model:
    """Validate and save ``obj``, recording ``acting_user`` (and a reason) in its history row."""
    obj.full_clean()
    if acting_user is not None and getattr(acting_user, "is_authenticated", False):
        obj._history_user = acting_user
    if reason:
        obj._change_reason = reason
    obj.save()
    return obj


def delete_audited(obj: models.Model, *, acting_user: Any, reason: str = "") -> None:
    """Delete ``obj``, recording who deleted it in its history."""
    if acting_user is not None and getattr(acting_user, "is_authenticated", False):
        obj._history_user = acting_user
    if reason:
        obj._change_reason = reason
    obj.delete()


def _readable(field: models.Field, value: Any) -> Any:
    """A stored value as people read it: a choice's label, a related record's name."""
    if value is None or value == "":
        return value
    if field.many_to_one:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value


def history_rows(obj: models.Model, limit: int = 50) -> list[dict[str, Any]]:
    """The record's history, newest first: when, who, what changed and how."""
    rows = []
    records = list(
        obj.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(rows) == limit:
            break
        changes = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older)
            for change in delta.changes:
                field = obj._meta.get_field(change.field)
                changes.append(
                    {
                        "field": getattr(field, "verbose_name", change.field),
                        "old": _readable(field, change.old),
                        "new": _readable(field, change.new),
                    }
                )
        rows.append(
            {
                "when": newer.history_date,
                "who": newer.history_user,
                "type": newer.get_history_type_display(),
                "reason": newer.history_change_reason or "",
                "changes": changes,
            }
        )
    return rows
