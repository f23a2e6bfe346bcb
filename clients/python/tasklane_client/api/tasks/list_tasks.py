from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_tasks_priority import ListTasksPriority
from ...models.list_tasks_sort import ListTasksSort
from ...models.problem import Problem
from ...models.task_page_response import TaskPageResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    completed: bool | Unset = UNSET,
    category_id: int | Unset = UNSET,
    priority: ListTasksPriority | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: ListTasksSort | Unset = "-created_at",
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    params: dict[str, Any] = {}

    params["completed"] = completed

    params["category_id"] = category_id

    json_priority: str | Unset = UNSET
    if not isinstance(priority, Unset):
        json_priority = priority

    params["priority"] = json_priority

    params["q"] = q

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort

    params["sort"] = json_sort

    params["limit"] = limit

    params["offset"] = offset

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/tasks",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Problem | TaskPageResponse | None:
    if response.status_code == 200:
        response_200 = TaskPageResponse.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 431:
        response_431 = Problem.from_dict(response.json())

        return response_431

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | Problem | TaskPageResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    completed: bool | Unset = UNSET,
    category_id: int | Unset = UNSET,
    priority: ListTasksPriority | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: ListTasksSort | Unset = "-created_at",
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Problem | TaskPageResponse]:
    """ListTasks

    Args:
        completed (bool | Unset): Only done (true) or open (false) tasks
        category_id (int | Unset): Only tasks in this category
        priority (ListTasksPriority | Unset): Only tasks of this priority
        q (str | Unset): Case-insensitive title substring, at most 200 characters
        sort (ListTasksSort | Unset): Sort order, `-` for descending; ties go by id the same way
            Default: '-created_at'.
        limit (int | Unset): Page size, 1..100 (default 20) Default: 20.
        offset (int | Unset): Items to skip (default 0) Default: 0.
        cursor (str | Unset): Continue after the page whose `next_cursor` this is: same sort and
            filters, no `offset`; `limit` may change from page to page
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | TaskPageResponse]
    """

    kwargs = _get_kwargs(
        completed=completed,
        category_id=category_id,
        priority=priority,
        q=q,
        sort=sort,
        limit=limit,
        offset=offset,
        cursor=cursor,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    completed: bool | Unset = UNSET,
    category_id: int | Unset = UNSET,
    priority: ListTasksPriority | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: ListTasksSort | Unset = "-created_at",
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | Problem | TaskPageResponse | None:
    """ListTasks

    Args:
        completed (bool | Unset): Only done (true) or open (false) tasks
        category_id (int | Unset): Only tasks in this category
        priority (ListTasksPriority | Unset): Only tasks of this priority
        q (str | Unset): Case-insensitive title substring, at most 200 characters
        sort (ListTasksSort | Unset): Sort order, `-` for descending; ties go by id the same way
            Default: '-created_at'.
        limit (int | Unset): Page size, 1..100 (default 20) Default: 20.
        offset (int | Unset): Items to skip (default 0) Default: 0.
        cursor (str | Unset): Continue after the page whose `next_cursor` this is: same sort and
            filters, no `offset`; `limit` may change from page to page
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | TaskPageResponse
    """

    return sync_detailed(
        client=client,
        completed=completed,
        category_id=category_id,
        priority=priority,
        q=q,
        sort=sort,
        limit=limit,
        offset=offset,
        cursor=cursor,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    completed: bool | Unset = UNSET,
    category_id: int | Unset = UNSET,
    priority: ListTasksPriority | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: ListTasksSort | Unset = "-created_at",
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Problem | TaskPageResponse]:
    """ListTasks

    Args:
        completed (bool | Unset): Only done (true) or open (false) tasks
        category_id (int | Unset): Only tasks in this category
        priority (ListTasksPriority | Unset): Only tasks of this priority
        q (str | Unset): Case-insensitive title substring, at most 200 characters
        sort (ListTasksSort | Unset): Sort order, `-` for descending; ties go by id the same way
            Default: '-created_at'.
        limit (int | Unset): Page size, 1..100 (default 20) Default: 20.
        offset (int | Unset): Items to skip (default 0) Default: 0.
        cursor (str | Unset): Continue after the page whose `next_cursor` this is: same sort and
            filters, no `offset`; `limit` may change from page to page
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | TaskPageResponse]
    """

    kwargs = _get_kwargs(
        completed=completed,
        category_id=category_id,
        priority=priority,
        q=q,
        sort=sort,
        limit=limit,
        offset=offset,
        cursor=cursor,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    completed: bool | Unset = UNSET,
    category_id: int | Unset = UNSET,
    priority: ListTasksPriority | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: ListTasksSort | Unset = "-created_at",
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | Problem | TaskPageResponse | None:
    """ListTasks

    Args:
        completed (bool | Unset): Only done (true) or open (false) tasks
        category_id (int | Unset): Only tasks in this category
        priority (ListTasksPriority | Unset): Only tasks of this priority
        q (str | Unset): Case-insensitive title substring, at most 200 characters
        sort (ListTasksSort | Unset): Sort order, `-` for descending; ties go by id the same way
            Default: '-created_at'.
        limit (int | Unset): Page size, 1..100 (default 20) Default: 20.
        offset (int | Unset): Items to skip (default 0) Default: 0.
        cursor (str | Unset): Continue after the page whose `next_cursor` this is: same sort and
            filters, no `offset`; `limit` may change from page to page
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | TaskPageResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            completed=completed,
            category_id=category_id,
            priority=priority,
            q=q,
            sort=sort,
            limit=limit,
            offset=offset,
            cursor=cursor,
            if_none_match=if_none_match,
        )
    ).parsed
