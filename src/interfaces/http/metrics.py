"""``GET /metrics``: Prometheus's text format, no token; request series per route template.

Litestar's ``PrometheusMiddleware`` counts and times every routed request by method,
route template (``group_path``: ``/tasks/{task_id}``, never the raw path) and status.
Unrouted paths (404 before routing) never reach it, so they cannot add series either.
The endpoint itself is left out of the API document and of the request series.
"""

from collections.abc import Awaitable, Callable

from litestar import Response, get
from litestar.enums import ScopeType
from litestar.handlers import HTTPRouteHandler
from litestar.plugins.prometheus import PrometheusConfig
from prometheus_client import CONTENT_TYPE_LATEST

METRICS_PATH = "/metrics"
_NOT_MEASURED = "exclude_from_metrics"


def request_metrics_config() -> PrometheusConfig:
    """``tasklane_requests_total``, ``tasklane_request_duration_seconds`` and friends,
    labelled ``method``, ``path`` (the route template), ``status_code``, ``app_name``.
    """
    return PrometheusConfig(
        app_name="tasklane",
        prefix="tasklane",
        group_path=True,
        exclude_opt_key=_NOT_MEASURED,
        # Websockets: none; only HTTP is measured.
        scopes={ScopeType.HTTP},
    )


def metrics_route(render: Callable[[], Awaitable[bytes]]) -> HTTPRouteHandler:
    """The scrape endpoint; ``render`` reads the figures and writes the exposition."""

    @get(METRICS_PATH, include_in_schema=False, opt={_NOT_MEASURED: True}, cache=False)
    async def metrics() -> Response[bytes]:
        return Response(await render(), media_type=CONTENT_TYPE_LATEST)

    return metrics
