"""Every error becomes ``application/problem+json``, mapped here in one table.

Problem ``type`` URIs are ``https://tasklane.dev/problems/<slug>``, one per kind of
problem below; they are stable identifiers for clients to branch on, not links (RFC 9457
allows types that do not resolve). Errors Litestar raises itself are mapped by status;
anything unexpected is a 500 whose body says nothing but the request id, while the
traceback goes to the log.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, InternalServerException, ValidationException
from litestar.types import ExceptionHandlersMap

from application.ports import NO_TELEMETRY, Telemetry
from domain.errors import (
    AuthenticationError,
    ConflictError,
    DomainError,
    InvalidInputError,
    ItemFailedError,
    NotFoundError,
    PreconditionFailedError,
    TooManyRequestsError,
    UnavailableError,
)
from domain.idempotency import KeyInUseError, KeyReusedError
from interfaces.http.bodies import join_field
from interfaces.http.problems import FieldError, problem_response
from interfaces.http.request_id import request_id_of

logger = logging.getLogger("tasklane.http")

RETRY_AFTER_SECONDS = "2"
# What Litestar (2.25, ``Request.stream``) raises when the client hangs up mid-body.
_CLIENT_GONE = "client disconnected prematurely"
_UNAUTHORIZED_HEADERS = {"WWW-Authenticate": "Bearer"}
_UNAVAILABLE_HEADERS = {"Retry-After": RETRY_AFTER_SECONDS}


@dataclass(frozen=True, slots=True)
class Kind:
    """How one kind of problem answers."""

    status: int
    slug: str
    title: str
    headers: Mapping[str, str] | None = None


VALIDATION = Kind(400, "validation", "Invalid request")
UNAUTHORIZED = Kind(401, "unauthorized", "Authentication required", _UNAUTHORIZED_HEADERS)
NOT_FOUND = Kind(404, "not-found", "Not found")
METHOD_NOT_ALLOWED = Kind(405, "method-not-allowed", "Method not allowed")
CONFLICT = Kind(409, "conflict", "Conflict")
# The first request under an Idempotency-Key is still running (with Retry-After).
IN_PROGRESS = Kind(409, "request-in-progress", "Request in progress")
PRECONDITION_FAILED = Kind(412, "precondition-failed", "Precondition failed")
TOO_LARGE = Kind(413, "payload-too-large", "Request body too large")
KEY_REUSED = Kind(422, "idempotency-key-reused", "Idempotency key reused")
# Answered to no one (the client is gone), but the access log records a status.
INCOMPLETE = Kind(400, "incomplete-request", "Incomplete request")
TOO_MANY_REQUESTS = Kind(429, "too-many-requests", "Too many requests")
HEADERS_TOO_LARGE = Kind(431, "headers-too-large", "Request headers too large")
UNAVAILABLE = Kind(503, "unavailable", "Service unavailable", _UNAVAILABLE_HEADERS)
INTERNAL = Kind(500, "internal", "Internal server error")
# Every kind, in the order the API document lists them.
KINDS = (
    VALIDATION,
    INCOMPLETE,
    UNAUTHORIZED,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    CONFLICT,
    IN_PROGRESS,
    PRECONDITION_FAILED,
    TOO_LARGE,
    KEY_REUSED,
    TOO_MANY_REQUESTS,
    HEADERS_TOO_LARGE,
    INTERNAL,
    UNAVAILABLE,
)

# The one table: domain error -> answer.
DOMAIN_KINDS: dict[type[DomainError], Kind] = {
    InvalidInputError: VALIDATION,
    AuthenticationError: UNAUTHORIZED,
    NotFoundError: NOT_FOUND,
    ConflictError: CONFLICT,
    KeyInUseError: IN_PROGRESS,
    KeyReusedError: KEY_REUSED,
    PreconditionFailedError: PRECONDITION_FAILED,
    TooManyRequestsError: TOO_MANY_REQUESTS,
    UnavailableError: UNAVAILABLE,
}
# Litestar's own HTTP errors, by status.
STATUS_KINDS: dict[int, Kind] = {
    kind.status: kind
    for kind in (
        VALIDATION,
        UNAUTHORIZED,
        NOT_FOUND,
        METHOD_NOT_ALLOWED,
        TOO_LARGE,
        HEADERS_TOO_LARGE,
        UNAVAILABLE,
    )
}


def kind_of(error: DomainError) -> Kind | None:
    """The answer to a domain error (its nearest mapped class)."""
    for cls in type(error).__mro__:
        if kind := DOMAIN_KINDS.get(cls):
            return kind
    return None


def status_of(error: DomainError) -> int:
    """The status a domain error answers with."""
    kind = kind_of(error)
    return kind.status if kind is not None else INTERNAL.status


def domain_error_response(error: DomainError) -> Response[bytes] | None:
    """A domain error as problem details (batch failures answer with their cause's
    status); ``None`` for a kind the table does not know.
    """
    cause, prefix = error, ""
    if isinstance(error, ItemFailedError):
        cause, prefix = error.cause, f"items[{error.index}]"
    kind = kind_of(cause)
    if kind is None:
        return None
    errors = None
    if isinstance(cause, InvalidInputError) and cause.problems:
        errors = [FieldError(join_field(prefix, p.field), p.message) for p in cause.problems]
    headers = None
    if isinstance(cause, TooManyRequestsError | KeyInUseError):
        headers = {"Retry-After": str(cause.retry_after_s)}
    return _answer(kind, error.detail, errors=errors, headers=headers)


def http_error_response(error: HTTPException) -> Response[bytes]:
    """One of Litestar's client errors (unknown route, bad query, body too large, ...)."""
    kind = STATUS_KINDS.get(error.status_code)
    if isinstance(error, ValidationException) and (errors := _litestar_fields(error)):
        # Its detail echoes the URL; the field list says everything useful.
        return _answer(VALIDATION, "the request failed validation", errors=errors)
    headers = {**(error.headers or {}), **((kind.headers or {}) if kind else {})}
    if kind is None:
        phrase = HTTPStatus(error.status_code).phrase
        kind = Kind(error.status_code, phrase.lower().replace(" ", "-"), phrase)
    return _answer(kind, error.detail or kind.title, headers=headers)


def handle_exception(request: Request[Any, Any, Any], error: Exception) -> Response[bytes]:
    """The single exception handler of the app."""
    response = None
    if isinstance(error, DomainError):
        response = domain_error_response(error)
    elif isinstance(error, HTTPException) and error.status_code < 500:
        response = http_error_response(error)
    if response is not None:
        return response
    if isinstance(error, InternalServerException) and error.detail == _CLIENT_GONE:
        # The client's doing, not a fault of ours: one line, no traceback.
        logger.info(
            "client disconnected before sending its whole request: %s %s (request %s)",
            request.method,
            request.url.path,
            request_id_of(request.scope),
        )
        return _answer(INCOMPLETE, "the client disconnected before the request body ended")
    logger.error(
        "unhandled error in %s %s (request %s)",
        request.method,
        request.url.path,
        request_id_of(request.scope),
        exc_info=error,
    )
    # Never the exception's text: it may hold SQL, paths or secrets.
    return _answer(INTERNAL, "an unexpected error occurred; quote the X-Request-ID to report it")


def unavailable_cause(error: Exception) -> str | None:
    """Why a 503 answers ``error`` (an ``UnavailableCause`` value); ``None`` if it is not
    a 503 of ours.
    """
    if isinstance(error, ItemFailedError):
        error = error.cause
    return str(error.cause) if isinstance(error, UnavailableError) else None


def exception_handlers(telemetry: Telemetry = NO_TELEMETRY) -> ExceptionHandlersMap:
    """Handlers for the app; the 500 key also stops plugins adding theirs (they back off
    when any status handler exists). Every 503 is counted by cause in ``telemetry``.
    """

    def handle(request: Request[Any, Any, Any], error: Exception) -> Response[bytes]:
        if (cause := unavailable_cause(error)) is not None:
            telemetry.unavailable(cause)
        return handle_exception(request, error)

    return {Exception: handle, 500: handle}


def _answer(
    kind: Kind,
    detail: str,
    *,
    errors: list[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response[bytes]:
    return problem_response(
        kind.status,
        kind.slug,
        kind.title,
        detail,
        errors=errors,
        headers=headers if headers is not None else kind.headers,
    )


def _litestar_fields(error: ValidationException) -> list[FieldError]:
    extra = error.extra if isinstance(error.extra, list) else []
    return [
        FieldError(str(item.get("key", "request")), str(item.get("message", "is invalid")))
        for item in extra
        if isinstance(item, dict)
    ]
