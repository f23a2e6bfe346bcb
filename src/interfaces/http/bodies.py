"""Strict request bodies: decoded from raw bytes by msgspec, never coerced.

Litestar's own ``data`` decoding converts leniently (numbers as timestamps, ``"true"`` as
a boolean), which the contract forbids, so handlers take the raw body and decode it here.
"""

import re
from typing import Generic, TypeVar

import msgspec

from domain.errors import FieldProblem, InvalidInputError

T = TypeVar("T")

# msgspec: "Expected `str`, got `null` - at `$.items[3].title`"
_LOCATED = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_NAMED = re.compile(r"^Object (?P<kind>contains unknown|missing required) field `(?P<name>[^`]*)`$")
_NAMED_MESSAGES = {"contains unknown": "is not allowed", "missing required": "is required"}


class StrictDecoder(Generic[T]):
    """Decodes one request schema; every failure is an ``InvalidInputError`` naming the field."""

    __slots__ = ("_decoder",)

    def __init__(self, schema: type[T]) -> None:
        self._decoder = msgspec.json.Decoder(schema)

    def decode(self, raw: bytes | msgspec.Raw, *, root: str = "body") -> T:
        """The decoded document; ``root`` names the document itself in errors (an item of
        a batch passes ``""``: its errors are then relative to the item).
        """
        try:
            return self._decoder.decode(raw)
        except msgspec.ValidationError as error:
            if _FLOAT_FOR_INT in str(error) and (whole := _whole_numbers(raw)) is not None:
                return self.decode(whole, root=root)
            raise invalid_input(str(error), root) from None
        except msgspec.DecodeError:
            raise _invalid(root, "is not valid JSON") from None


# JSON Schema (and so the API document) counts 3.0 as an integer; msgspec does not.
_FLOAT_FOR_INT = "Expected `int"


def _whole_numbers(raw: bytes | msgspec.Raw) -> bytes | None:
    """The document with every integral float written as an integer (``3.0`` as ``3``);
    ``None`` when it has none, so that the first error stands. No request field is a
    float, so nothing else can change meaning.
    """
    found = False

    def rewrite(node: object) -> object:
        nonlocal found
        if isinstance(node, float) and node.is_integer():
            found = True
            return int(node)
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        if isinstance(node, dict):
            return {key: rewrite(value) for key, value in node.items()}
        return node

    document = rewrite(msgspec.json.decode(raw))
    return msgspec.json.encode(document) if found else None


def invalid_input(msgspec_message: str, root: str = "body") -> InvalidInputError:
    """Turn a msgspec validation message into our error, the field named as the client
    wrote it (``items[3].title``; ``root`` when the document itself is wrong).
    """
    located = _LOCATED.match(msgspec_message)
    assert located is not None  # the pattern matches any text
    message, path = located["message"], (located["path"] or "").lstrip(".")
    if named := _NAMED.match(message):
        path = join_field(path, named["name"])
        message = _NAMED_MESSAGES[named["kind"]]
    return _invalid(path or root, message)


def join_field(parent: str, child: str) -> str:
    """``parent.child``, or ``parent[3]`` for an index; either may be empty."""
    if not parent or not child:
        return parent or child
    return f"{parent}{child}" if child.startswith("[") else f"{parent}.{child}"


def _invalid(field: str, message: str) -> InvalidInputError:
    detail = f"{field}: {message}" if field else message
    return InvalidInputError(detail, (FieldProblem(field, message),))
