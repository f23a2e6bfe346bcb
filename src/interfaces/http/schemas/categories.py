"""Bodies of the category routes."""

from datetime import datetime
from typing import Annotated

import msgspec

from domain.category import (
    COLOR_PATTERN,
    NAME_MAX_LENGTH,
    NAME_MIN_LENGTH,
    Category,
    CategoryChanges,
)
from domain.paging import Page
from interfaces.http.schemas.common import (
    AttributesResponse,
    NextCursor,
    StrictRequest,
    given,
    text,
)

Name = Annotated[str, text(NAME_MIN_LENGTH, NAME_MAX_LENGTH)]
# Documented only: the domain refuses other forms with its own message.
Color = Annotated[str, msgspec.Meta(extra_json_schema={"pattern": COLOR_PATTERN})]


class CategoryCreateRequest(StrictRequest):
    """A new category; colour as ``#rrggbb`` in either case, or null."""

    name: Name
    color: Color | None = None


class CategoryUpdateRequest(StrictRequest):
    """Fields to change; absent fields keep their value, a null colour clears it."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    color: Color | msgspec.UnsetType | None = msgspec.UNSET

    def to_changes(self) -> CategoryChanges:
        return CategoryChanges(
            name=given(self.name),
            color=given(self.color),
        )


class CategoryResponse(AttributesResponse):
    """A category."""

    id: int
    name: str
    color: str | None
    created_at: datetime
    updated_at: datetime


class CategoryPageResponse(msgspec.Struct):
    """One page of categories."""

    items: list[CategoryResponse]
    total: int
    limit: int
    offset: int
    next_cursor: NextCursor

    @classmethod
    def of(cls, page: Page[Category], next_cursor: str | None) -> "CategoryPageResponse":
        return cls(
            items=[CategoryResponse.of(category) for category in page.items],
            total=page.total,
            limit=page.limit,
            offset=page.offset,
            next_cursor=next_cursor,
        )
