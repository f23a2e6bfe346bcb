"""Building blocks shared by the wire schemas."""

from datetime import datetime
from typing import Annotated, Self, TypeVar

import msgspec

from domain.unset import UNSET, Unset

T = TypeVar("T")

# Bodies may only carry integers the store can hold.
Int64 = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]
# A timestamp without an offset is ambiguous: refused while decoding.
AwareDatetime = Annotated[datetime, msgspec.Meta(tz=True)]


# Every list's continuation (see interfaces/http/cursors.py).
NextCursor = Annotated[
    str | None,
    msgspec.Meta(description="Send as `cursor` for the page after this one; null on the last page"),
]

# Documented, not enforced here: the domain refuses NUL with its own message.
NO_NUL = "^[^\\u0000]*$"


def text(min_length: int, max_length: int, pattern: str = NO_NUL) -> msgspec.Meta:
    """Length bounds in code points; ``pattern`` (no NUL by default) is published in the
    API document only, since the domain checks it with exact messages.
    """
    return msgspec.Meta(
        min_length=min_length, max_length=max_length, extra_json_schema={"pattern": pattern}
    )


def component_ref(name: str) -> dict[str, str]:
    """A JSON Schema reference to the API document's component ``name``."""
    return {"$ref": f"#/components/schemas/{name}"}


def by_name(value: object, into: type[T]) -> T:
    """``value`` as ``into``: each field read from the attribute of its name, nested
    values alike. How bodies become commands and entities become bodies.
    """
    return msgspec.convert(value, into, from_attributes=True)


class StrictRequest(msgspec.Struct, forbid_unknown_fields=True):
    """A request body: unknown (and server-managed) fields are refused."""

    def to(self, command: type[T]) -> T:
        """This body as the application's ``command`` (fields of the same names)."""
        return by_name(self, command)


class AttributesResponse(msgspec.Struct):
    """A response body read off an object: each field from the attribute of its name."""

    @classmethod
    def of(cls, value: object) -> Self:
        """``value`` as this body; nested bodies are read the same way."""
        return by_name(value, cls)


def given(value: T | msgspec.UnsetType) -> T | Unset:
    """msgspec's "field absent" as the domain's ``UNSET``."""
    return UNSET if isinstance(value, msgspec.UnsetType) else value
