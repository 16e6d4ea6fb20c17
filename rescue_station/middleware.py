from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import access_log

# Everything the pages use is served by the app itself: no CDN, no inline script.
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response


class AccessLogMiddleware:
    """Writes the access-log rows of a served page (see rescue_station.access_log): the reads
    its view noted, or, for a case inspector, a row for any page of the inspected apps, so
    that a page added later is logged without a line of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        access_log.write_reads(request, response)
        return response
