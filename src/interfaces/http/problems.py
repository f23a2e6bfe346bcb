"""RFC 9457 problem details: the one shape of every error response."""

from collections.abc import Mapping, Sequence

import msgspec
from litestar import Response

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://tasklane.dev/problems/"


class FieldError(msgspec.Struct):
    """One invalid input field."""

    field: str
    message: str


class Problem(msgspec.Struct, omit_defaults=True):
    """A problem document; ``errors`` only on validation failures."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


_encode = msgspec.json.Encoder().encode


def problem_type(slug: str) -> str:
    """The stable type URI of a kind of problem."""
    return PROBLEM_TYPE_BASE + slug


def problem_document(status: int, slug: str, title: str, detail: str) -> bytes:
    """A problem document's bytes, for answers sent below the framework."""
    return _encode(Problem(problem_type(slug), title, status, detail))


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str,
    *,
    errors: Sequence[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response[bytes]:
    """A ``application/problem+json`` response."""
    problem = Problem(problem_type(slug), title, status, detail, list(errors) if errors else None)
    return Response(
        content=_encode(problem),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=dict(headers) if headers else None,
    )
