"""The API docs page: Swagger UI, its assets served by this service, never by a CDN.

The assets are the Swagger UI dist files shipped in the pinned ``swagger-ui-py`` wheel.
Their URL carries the wheel's version, so browsers may cache them for a year.
"""

from dataclasses import dataclass
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from litestar import Request, Response, Router
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.openapi.plugins import OpenAPIRenderPlugin, SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from litestar.status_codes import HTTP_404_NOT_FOUND

from interfaces.http.errors import http_error_response

ASSETS_PACKAGE = "swagger-ui-py"
# What the page loads; the wheel's other files (editor bundles, source maps) stay unserved.
PAGE_ASSETS = frozenset(
    {
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "swagger-ui.css",
        "favicon-32x32.png",
    }
)
_ONE_YEAR_S = 365 * 24 * 3600


@dataclass(frozen=True, slots=True)
class DocsSite:
    """What ``OpenAPIConfig`` needs to serve the docs page under ``router``'s path."""

    render_plugins: list[OpenAPIRenderPlugin]
    router: Router


def docs_site(path: str) -> DocsSite:
    """Swagger UI at ``path`` and ``path/swagger``; the JSON document stays at
    ``path/openapi.json`` and every other path under ``path`` is a problem+json 404.
    """
    assets = f"/assets/{version(ASSETS_PACKAGE)}"
    url = f"{path}{assets}"
    swagger = SwaggerRenderPlugin(
        js_url=f"{url}/swagger-ui-bundle.js",
        css_url=f"{url}/swagger-ui.css",
        standalone_preset_js_url=f"{url}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{url}/favicon-32x32.png'>",
    )
    static = create_static_files_router(
        assets,
        directories=[_assets_directory()],
        name="docs-assets",
        before_request=_only_page_assets,
        cache_control=CacheControlHeader(public=True, max_age=_ONE_YEAR_S, immutable=True),
    )
    # Litestar answers unknown paths under the docs router with an HTML page it returns
    # (not raises), so the app's exception handlers never see it: the hook replaces it.
    router = Router(
        path,
        route_handlers=[static],
        after_request=_problem_for_not_found,
        include_in_schema=False,
    )
    return DocsSite([swagger], router)


def _assets_directory() -> Path:
    # find_spec locates the package without importing it (and its Jinja templates).
    spec = find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{ASSETS_PACKAGE} is not installed: the docs page has no assets")
    return Path(spec.submodule_search_locations[0]) / "static"


async def _only_page_assets(request: Request[Any, Any, Any]) -> None:
    # Also keeps the static handler's own 404, whose detail names the server's
    # directory, from ever being raised.
    if str(request.path_params.get("file_path", "")).lstrip("/") not in PAGE_ASSETS:
        raise NotFoundException()


async def _problem_for_not_found(response: Response[Any]) -> Response[Any]:
    if response.status_code == HTTP_404_NOT_FOUND:
        return http_error_response(NotFoundException())
    return response
