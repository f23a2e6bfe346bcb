"""The Authorization value read straight from the ASGI scope, as Litestar's Headers reads it."""

from typing import Any

import pytest
from litestar.datastructures import Headers

from domain.errors import AuthenticationError
from interfaces.http.bearer import authorization_of, bearer_token


def _scope(*headers: tuple[bytes, bytes]) -> Any:
    return {"type": "http", "headers": list(headers)}


@pytest.mark.parametrize(
    "headers",
    [
        (),
        ((b"accept", b"*/*"),),
        ((b"authorization", b"Bearer one"), (b"authorization", b"Bearer two")),
        ((b"host", b"t"), (b"authorization", b"Bearer caf\xe9")),
        ((b"authorization", b""),),
    ],
)
def test_the_value_is_the_one_litestars_headers_give(headers: tuple[tuple[bytes, bytes]]) -> None:
    scope = _scope(*headers)
    assert authorization_of(scope) == Headers.from_scope(scope).get("authorization")


def test_the_first_value_is_the_token_read() -> None:
    scope = _scope((b"authorization", b"bearer first"), (b"authorization", b"Bearer second"))
    assert bearer_token(authorization_of(scope)) == "first"


def test_no_header_is_an_authentication_error() -> None:
    with pytest.raises(AuthenticationError):
        bearer_token(authorization_of(_scope((b"accept", b"*/*"))))
