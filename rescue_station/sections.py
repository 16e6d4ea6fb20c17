"""Back to the section of a long page that was just saved, its confirmation shown in it.

A page of several sections saved one by one (a stay's record, the self-evaluation form) used to
redirect to its top, or to the section's anchor with the "Saved." at the top of the page, out of
view. ``saved_in_section`` redirects to ``#section`` and tags the message with the section; the
page's ``{% section_messages "section" %}`` draws it there and the layout leaves it out of its
own list.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect

TAG = "section-"


def section_tag(section: str) -> str:
    """The ``extra_tags`` of a message shown in ``section``."""
    return f"{TAG}{section}"


def saved_in_section(
    request: HttpRequest, url: str, section: str, text: Any
) -> HttpResponseRedirect:
    messages.success(request, text, extra_tags=section_tag(section))
    return redirect(f"{url}#{section}")


def section_of(message: Any) -> str:
    """The section a message belongs to ("" for the page as a whole)."""
    for tag in (message.extra_tags or "").split():
        if tag.startswith(TAG):
            return tag.removeprefix(TAG)
    return ""
