"""Building blocks shared by the wire schemas."""

from datetime import datetime
from typing import Annotated, TypeVar

import msgspec

from domain.unset import UNSET, Unset

T = TypeVar("T")

# Bodies may only carry integers the store can hold.
Int64 = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]
# A timestamp without an offset is ambiguous: refused while decoding.
AwareDatetime = Annotated[datetime, msgspec.Meta(tz=True)]


def text(min_length: int, max_length: int) -> msgspec.Meta:
    """Length bounds in code points (NUL and exact messages are the domain's checks)."""
    return msgspec.Meta(min_length=min_length, max_length=max_length)


class StrictRequest(msgspec.Struct, forbid_unknown_fields=True):
    """A request body: unknown (and server-managed) fields are refused."""


def given(value: T | msgspec.UnsetType) -> T | Unset:
    """msgspec's "field absent" as the domain's ``UNSET``."""
    return UNSET if isinstance(value, msgspec.UnsetType) else value
