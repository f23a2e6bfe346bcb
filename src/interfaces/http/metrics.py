"""``GET /metrics``: Prometheus's text format, no token; request series per route template.

The request series (``interfaces/http/request_metrics.py``) count and time every routed
request by method, route template (``/tasks/{task_id}``, never the raw path) and status;
unrouted paths (404 before routing) add no series. The endpoint itself is left out of
the API document and of the request series.
"""

from collections.abc import Awaitable, Callable

from litestar import Response, get
from litestar.handlers import HTTPRouteHandler
from prometheus_client import CONTENT_TYPE_LATEST

from interfaces.http.request_metrics import NOT_MEASURED

METRICS_PATH = "/metrics"


def metrics_route(render: Callable[[], Awaitable[bytes]]) -> HTTPRouteHandler:
    """The scrape endpoint; ``render`` reads the figures and writes the exposition."""

    @get(METRICS_PATH, include_in_schema=False, opt={NOT_MEASURED: True}, cache=False)
    async def metrics() -> Response[bytes]:
        return Response(await render(), media_type=CONTENT_TYPE_LATEST)

    return metrics
