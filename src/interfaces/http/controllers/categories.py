"""The caller's categories."""

from litestar import Controller, delete, get, patch, post
from litestar.params import RawBody

from application.dto import CreateCategoryCommand
from application.use_cases import categories
from domain.category import Category
from domain.paging import Position
from interfaces.http import errors, paths, queries
from interfaces.http.bodies import StrictDecoder
from interfaces.http.dependencies import CallerDep
from interfaces.http.openapi import AUTHENTICATED, BEARER, BY_ID, documented
from interfaces.http.queries import Cursor, Limit, Offset
from interfaces.http.schemas.categories import (
    CategoryCreateRequest,
    CategoryPageResponse,
    CategoryResponse,
    CategoryUpdateRequest,
)

_create = StrictDecoder(CategoryCreateRequest)
_update = StrictDecoder(CategoryUpdateRequest)
# Categories have no filters and one order, by id; their cursors are bound to that.
_FILTERS = ("categories",)


def _position(category: Category) -> Position:
    return Position(None, category.id)


class CategoryController(Controller):
    """``/categories``: others' categories are 404."""

    path = "/categories"
    tags = ["categories"]
    security = BEARER

    @post(
        "/",
        **documented(
            "createCategory",
            body=CategoryCreateRequest,
            problems=(*AUTHENTICATED, errors.CONFLICT),
        ),
    )
    async def create_category(self, body: RawBody, me: CallerDep) -> CategoryResponse:
        """Create a category; 409 when the name is taken in any letter case."""
        command = _create.decode(body).to(CreateCategoryCommand)
        return CategoryResponse.of(await me.run(categories.create_category, me.id, command))

    @get("/", **documented("listCategories", problems=(*AUTHENTICATED, errors.VALIDATION)))
    async def list_categories(
        self,
        me: CallerDep,
        limit: Limit = None,
        offset: Offset = None,
        cursor: Cursor = None,
    ) -> CategoryPageResponse:
        """A page of the caller's categories in creation order: by offset, or after a
        cursor.
        """
        page_of = queries.page(limit, offset)
        window = me.cursors.window(me.id, _FILTERS, page_of, offset is not None, cursor)
        page = await me.run(categories.list_categories, me.id, window)
        following = me.cursors.next_cursor(me.id, _FILTERS, page, _position)
        return CategoryPageResponse.of(page, following)

    @get("/{category_id:str}", **documented("getCategory", problems=BY_ID))
    async def get_category(
        self,
        category_id: paths.PathId,
        me: CallerDep,
    ) -> CategoryResponse:
        """One category."""
        category = await me.run(categories.get_category, me.id, paths.category_id(category_id))
        return CategoryResponse.of(category)

    @patch(
        "/{category_id:str}",
        **documented(
            "updateCategory",
            body=CategoryUpdateRequest,
            problems=(*BY_ID, errors.CONFLICT),
        ),
    )
    async def update_category(
        self,
        category_id: paths.PathId,
        body: RawBody,
        me: CallerDep,
    ) -> CategoryResponse:
        """Rename or recolour a category."""
        target = paths.category_id(category_id)
        changes = _update.decode(body).to_changes()
        category = await me.run(categories.update_category, me.id, target, changes)
        return CategoryResponse.of(category)

    @delete("/{category_id:str}", **documented("deleteCategory", problems=BY_ID))
    async def delete_category(
        self,
        category_id: paths.PathId,
        me: CallerDep,
    ) -> None:
        """Delete a category; its tasks stay, with ``category_id`` null."""
        await me.run(categories.delete_category, me.id, paths.category_id(category_id))
