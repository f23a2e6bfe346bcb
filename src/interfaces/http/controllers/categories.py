"""The caller's categories."""

from litestar import Controller, delete, get, patch, post
from litestar.params import RawBody

from application.use_cases import categories
from domain.paging import PageWindow
from interfaces.http import paths
from interfaces.http.bodies import StrictDecoder
from interfaces.http.markers import CallerDep
from interfaces.http.openapi import BEARER, json_body
from interfaces.http.queries import DEFAULT_LIMIT, Limit, Offset
from interfaces.http.schemas.categories import (
    CategoryCreateRequest,
    CategoryPageResponse,
    CategoryResponse,
    CategoryUpdateRequest,
)

_create = StrictDecoder(CategoryCreateRequest)
_update = StrictDecoder(CategoryUpdateRequest)


class CategoryController(Controller):
    """``/categories``: others' categories are 404."""

    path = "/categories"
    tags = ["categories"]
    security = BEARER

    @post("/", operation_class=json_body(CategoryCreateRequest))
    async def create_category(self, body: RawBody, me: CallerDep) -> CategoryResponse:
        """Create a category; 409 when the name is taken in any letter case."""
        command = _create.decode(body).to_command()
        return CategoryResponse.of(await me.run(categories.create_category, me.id, command))

    @get("/")
    async def list_categories(
        self,
        me: CallerDep,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> CategoryPageResponse:
        """A page of the caller's categories in creation order."""
        page = await me.run(categories.list_categories, me.id, PageWindow(limit, offset))
        return CategoryPageResponse.of(page)

    @get("/{category_id:str}")
    async def get_category(
        self,
        category_id: paths.PathId,
        me: CallerDep,
    ) -> CategoryResponse:
        """One category."""
        category = await me.run(categories.get_category, me.id, paths.category_id(category_id))
        return CategoryResponse.of(category)

    @patch("/{category_id:str}", operation_class=json_body(CategoryUpdateRequest))
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

    @delete("/{category_id:str}")
    async def delete_category(
        self,
        category_id: paths.PathId,
        me: CallerDep,
    ) -> None:
        """Delete a category; its tasks stay, with ``category_id`` null."""
        await me.run(categories.delete_category, me.id, paths.category_id(category_id))
