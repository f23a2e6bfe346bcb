"""``Idempotency-Key`` on the creating POSTs: the header, the request's fingerprint, and
one way to answer, keyed or not.

A handler renders its success as a ``Reply`` (status, body bytes, ``Location``,
``ETag``) whether or not the request is keyed, so a replay is byte for byte what the
first request answered.
"""

import hashlib
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Request, Response
from litestar.params import HeaderParameter

from application.idempotency import Effect, KeyedRequest, Reply, run_once
from domain.errors import InvalidInputError
from domain.idempotency import KEY_MAX_LENGTH, is_valid_key
from interfaces.http.dependencies import Caller

T = TypeVar("T")

IDEMPOTENCY_KEY = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
_JSON = "application/json"

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name=IDEMPOTENCY_KEY,
        required=False,
        description=(
            "Makes the request safe to send again: a retry with the same key and the same "
            "request gets the first answer (with `Idempotent-Replayed: true`) and changes "
            "nothing; 409 while the first is still running, 422 for a different request."
        ),
        schema_extra={
            "minLength": 1,
            "maxLength": KEY_MAX_LENGTH,
            "pattern": "^[\\x21-\\x7E]+$",
        },
    ),
]


def fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    """A digest of the request: method, path, query string and the body as parsed JSON
    (re-encoded with sorted keys, so spacing and key order do not matter).
    """
    try:
        canonical = msgspec.json.encode(msgspec.json.decode(body), order="sorted")
    except msgspec.DecodeError:
        canonical = body
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, canonical):
        # Length-prefixed, so no two different requests run together into one input.
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def keyed_request(
    request: Request[Any, Any, Any], key: str | None, body: bytes
) -> KeyedRequest | None:
    """The request's key and fingerprint; ``None`` without the header, 400 for a key that
    is not 1..255 visible ASCII characters.
    """
    if key is None:
        return None
    if not is_valid_key(key):
        raise InvalidInputError.for_field(
            IDEMPOTENCY_KEY, f"must be 1 to {KEY_MAX_LENGTH} visible ASCII characters"
        )
    query = request.scope.get("query_string", b"")
    return KeyedRequest(key, fingerprint(request.method, request.url.path, query, body))


def json_reply(
    status: int, payload: object, *, location: str | None = None, etag: str | None = None
) -> Reply:
    """A JSON success, encoded now (as Litestar would), so it can be remembered."""
    return Reply(status, msgspec.json.encode(payload), location, etag)


def as_response(reply: Reply) -> Response[Any]:
    """The HTTP response of a reply, marked when it is a replay."""
    headers: dict[str, str] = {}
    if reply.location is not None:
        headers["Location"] = reply.location
    if reply.etag is not None:
        headers["ETag"] = reply.etag
    if reply.replayed:
        headers[REPLAYED] = "true"
    return Response(reply.body, status_code=reply.status, media_type=_JSON, headers=headers)


async def respond(
    me: Caller,
    keyed: KeyedRequest | None,
    unkeyed: Callable[[], Awaitable[T]],
    effect: Effect[T],
    render: Callable[[T], Reply],
) -> Response[Any]:
    """Without a key, ``unkeyed()`` (the use case as usual); with one, ``effect`` at most
    once per key (``application.idempotency.run_once``). Either way ``render`` answers.
    """
    if keyed is None:
        return as_response(render(await unkeyed()))
    return as_response(await me.run(run_once, me.id, keyed, effect, render))
