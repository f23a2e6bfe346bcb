"""The docs page and its assets come from the service; other ``/schema`` paths are 404s."""

import re
from importlib.metadata import version

import pytest

from interfaces.http.docs_page import ASSETS_PACKAGE, PAGE_ASSETS
from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio

ASSETS = f"/schema/assets/{version(ASSETS_PACKAGE)}"


@pytest.mark.parametrize("path", ["/schema", "/schema/swagger"])
async def test_the_docs_page_links_only_its_own_assets(api: Api, path: str) -> None:
    response = await api.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    links = re.findall(r"""(?:src|href)=["']([^"']+)""", response.text)
    assert {f"{ASSETS}/{name}" for name in PAGE_ASSETS} == set(links)


@pytest.mark.parametrize("name", sorted(PAGE_ASSETS))
async def test_assets_are_served_with_a_long_cache_lifetime(api: Api, name: str) -> None:
    response = await api.get(f"{ASSETS}/{name}")
    assert response.status_code == 200
    assert len(response.content) > 1000
    cache = response.headers["cache-control"]
    assert "immutable" in cache
    assert "max-age=31536000" in cache


@pytest.mark.parametrize(
    "path",
    [
        "/schema/nope",
        "/schema/redoc",
        "/schema/elements",
        "/schema/rapidoc",
        "/schema/openapi.yaml",
        "/schema/a/b",
        f"{ASSETS}/swagger-editor-bundle.js",  # in the wheel, but not the page's
        f"{ASSETS}/",
        f"{ASSETS}/nested/swagger-ui.css",
        "/schema/assets/0.0.0/swagger-ui.css",
    ],
)
async def test_unknown_schema_paths_are_problem_404s(api: Api, path: str) -> None:
    body = assert_problem(await api.get(path), 404)
    # Exactly what any unknown route answers; nothing names a server directory.
    assert body == (await api.get("/no/such/route")).json()


async def test_the_openapi_document_stays_at_openapi_json(api: Api) -> None:
    response = await api.get("/schema/openapi.json")
    assert response.status_code == 200
    assert "/tasks/{task_id}" in response.json()["paths"]
