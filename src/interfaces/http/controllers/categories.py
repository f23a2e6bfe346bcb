"""The caller's categories."""

from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import RawBody

from application.dto import CreateCategoryCommand
from application.idempotency import Reply
from application.use_cases import categories
from domain.category import Category
from domain.paging import Position
from interfaces.http import errors, paths, queries
from interfaces.http.bodies import StrictDecoder
from interfaces.http.conditional import Conditional
from interfaces.http.dependencies import CallerDep
from interfaces.http.idempotency import IdempotencyKey, json_reply, keyed_request, respond
from interfaces.http.openapi import AUTHENTICATED, BEARER, BY_ID, KEYED, WEAK_ETAG, documented
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


def _created(category: Category) -> Reply:
    return json_reply(201, CategoryResponse.of(category))


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
            problems=(*AUTHENTICATED, errors.CONFLICT, *KEYED),
        ),
    )
    async def create_category(
        self,
        request: Request[Any, Any, Any],
        body: RawBody,
        me: CallerDep,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[CategoryResponse]:
        """Create a category; 409 when the name is taken in any letter case."""
        keyed = keyed_request(request, idempotency_key, body)
        command = _create.decode(body).to(CreateCategoryCommand)
        return await respond(
            me,
            keyed,
            lambda: me.run(categories.create_category, me.id, command),
            lambda uow: categories.add_category(uow, me.id, command),
            _created,
        )

    @get(
        "/",
        response_class=Conditional,
        **documented(
            "listCategories", problems=(*AUTHENTICATED, errors.VALIDATION), conditional=WEAK_ETAG
        ),
    )
    async def list_categories(
        self,
        me: CallerDep,
        limit: Limit = None,
        offset: Offset = None,
        cursor: Cursor = None,
    ) -> CategoryPageResponse:
        """A page of the caller's categories in creation order (by offset, or after a
        cursor), with a weak ``ETag`` of the page.
        """
        page_of = queries.page(limit, offset)
        window = me.cursors.window(me.id, _FILTERS, page_of, offset is not None, cursor)
        page = await me.run(categories.list_categories, me.id, window)
        following = me.cursors.next_cursor(me.id, _FILTERS, page, _position)
        return CategoryPageResponse.of(page, following)

    # Categories have no version: their tag is the weak one of the body, which also
    # changes with every write (updated_at moves).
    @get(
        "/{category_id:str}",
        response_class=Conditional,
        **documented("getCategory", problems=BY_ID, conditional=WEAK_ETAG),
    )
    async def get_category(
        self,
        category_id: paths.PathId,
        me: CallerDep,
    ) -> CategoryResponse:
        """One category, with a weak ``ETag``; 304 when ``If-None-Match`` names it."""
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
