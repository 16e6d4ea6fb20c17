from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html

from rescue_station import registry
from rescue_station.formatting import format_wan
from rescue_station.models import Plausible
from rescue_station.navigation import may_open as _may_open
from rescue_station.navigation import page_label as _page_label
from rescue_station.sections import section_of
from rescue_station.selectors import record_type_label as _record_type_label
from rescue_station.validators import mask_id_number

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters replaced (for paging and sorting links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def wan(amount: Decimal | None) -> str:
    """Yuan shown in 万元 with 2 places."""
    return format_wan(amount)


@register.filter
def mask_id(value: str | None) -> str:
    return mask_id_number(value)


@register.filter
def record_type_label(value: str) -> str:
    """An access-log record type ("minors.child") by its model's name."""
    return _record_type_label(value)


@register.filter
def metric_label(key: str) -> str:
    """A registered metric's label, for pages that list metric keys read from a file."""
    return registry.label_of(key) if key else ""


@register.filter
def page_label(view_name: str) -> str:
    """A page by what it is called ("cases:stay_list" → 救助记录), for the access log."""
    return _page_label(view_name)


@register.inclusion_tag("includes/plausibility.html")
def plausibility_warning(*records: object) -> dict[str, object]:
    """What the saved records break of rules made since (their next edit must correct it)."""
    problems = [
        line
        for record in records
        if isinstance(record, Plausible) and record.pk is not None
        for line in record.plausibility_problems()
    ]
    return {"problems": problems}


@register.simple_tag(takes_context=True)
def sort_header(context: template.Context, sorting: Any, key: str, label: str) -> str:
    """A list's column header that sorts the list by ``key`` (``Sorting`` of ``page_of``):
    ascending first, descending when clicked again; the filters kept, back to the first page."""
    if key not in sorting.keys:
        raise template.TemplateSyntaxError(f"the list has no sort key {key!r}")
    current = sorting.key == key
    query = context["request"].GET.copy()
    query.pop("page", None)
    query["sort"] = f"-{key}" if current and not sorting.descending else key
    if current:
        state = "descending" if sorting.descending else "ascending"
        arrow = format_html(
            ' <span aria-hidden="true">{}</span>', "▼" if sorting.descending else "▲"
        )
    else:
        state, arrow = "none", ""
    return format_html(
        '<th aria-sort="{}"><a class="sort" href="?{}">{}{}</a></th>',
        state,
        query.urlencode(),
        label,
        arrow,
    )


@register.inclusion_tag("includes/messages.html", takes_context=True)
def section_messages(context: template.Context, section: str = "") -> dict[str, object]:
    """The messages of one section of the page (``rescue_station.sections``); without a section,
    those of the page as a whole (the layout's list)."""
    shown = [m for m in context.get("messages", []) if section_of(m) == section]
    return {"shown": shown, "section": section}


@register.filter
def in_section(messages: Any, section: str) -> bool:
    """Whether one of the page's messages belongs to ``section``."""
    return any(section_of(m) == section for m in messages or [])


@register.filter
def may_open(path: str, user: Any) -> bool:
    """Whether ``user`` may open the page at ``path`` (rescue_station.navigation.may_open)."""
    return _may_open(user, path)
