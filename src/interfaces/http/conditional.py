"""Conditional reads: a response that answers 304 Not Modified when the request's
``If-None-Match`` names its entity tag (or is ``*``).

The tag is the ``ETag`` header the handler set (a task's version), else a weak tag of
the encoded body, so whatever the body holds (``next_cursor`` included) is covered.
Either way the 304 comes after the same database read as the 200, never an extra one.
"""

from typing import Any, TypeVar

from litestar import Litestar, Request, Response
from litestar.response.base import ASGIResponse
from litestar.status_codes import HTTP_304_NOT_MODIFIED
from litestar.types import Scope

from interfaces.http.etags import none_match, weak_etag
from interfaces.http.raw_headers import header_values

T = TypeVar("T")
_IF_NONE_MATCH = b"if-none-match"


def if_none_match(scope: Scope) -> str | None:
    """The request's ``If-None-Match``, its lines joined as one list; ``None`` if absent.
    Read from the raw headers: this runs on every conditional route, sent or not.
    """
    sent = header_values(scope, _IF_NONE_MATCH)
    return b", ".join(sent).decode("latin-1") if sent else None


class Conditional(Response[T]):
    """A GET answer carrying an ``ETag``, and 304 with that tag and no body when the
    client already holds it.
    """

    __slots__ = ()

    def to_asgi_response(
        self, app: Litestar | None, request: Request[Any, Any, Any], **options: Any
    ) -> ASGIResponse:
        wanted = if_none_match(request.scope)
        tag: str | None = self.headers.get("ETag")
        if tag is None:
            # Only the encoded body can tell: encode it once, for the 200 or to compare.
            full = super().to_asgi_response(app, request, **options)
            tag = weak_etag(full.body)
            full.headers["ETag"] = tag
            if wanted is None or not none_match(wanted, tag):
                return full
        elif wanted is None or not none_match(wanted, tag):
            return super().to_asgi_response(app, request, **options)
        # RFC 9110 §15.4.5: the headers a 200 would carry, without the content.
        headers = {**(options.get("headers") or {}), **self.headers, "ETag": tag}
        return ASGIResponse(status_code=HTTP_304_NOT_MODIFIED, headers=headers)
