"""The request series: every routed request counted and timed by method, route template
and status, recorded where each request's status and duration are already noted (the
access line's wrapper), with one dict lookup per request.

Names, labels and help texts are those of Litestar's ``PrometheusMiddleware`` with
``prefix="tasklane"``, ``app_name="tasklane"`` and ``group_path=True``, which this
replaces (it cost about 0.1 ms a request: a ``Request``, the URL, label dicts and four
``.labels()`` calls per request), so dashboards keep their queries:

- ``tasklane_requests_total``, ``tasklane_request_duration_seconds`` (default buckets)
  and ``tasklane_requests_error_total`` (status 500 and above), labelled ``method``,
  ``path`` (the route template, never an id), ``status_code`` and ``app_name``;
- ``tasklane_requests_in_progress`` (summed over live processes in multiprocess mode),
  labelled alike with ``status_code`` always ``200``, as Litestar's was; raised by a
  ``before_request`` hook (``count_in_progress``), the first point where the route is
  known, and lowered with the request's count.

A request is measured only once routed (``path_template`` in its scope), so unknown
paths (404 before routing, 405, 431) never add series, and never when its route handler
opts out (``opt={NOT_MEASURED: True}``: the scrape itself). A request that ended without
starting a response has no status to count it by: only its access line tells of it.

The metric objects are process-wide (prometheus-client's default registry), created once
at import however many apps a process builds; so is the cache of labelled children.
"""

from typing import Any

from litestar import Request
from litestar.enums import ScopeType
from litestar.types import Scope
from prometheus_client import Counter, Gauge, Histogram

APP_NAME = "tasklane"
# A route handler whose ``opt`` holds this key (true) is not measured.
NOT_MEASURED = "exclude_from_metrics"
_LABELS = ("method", "path", "status_code", "app_name")
# The first status at which a request is also counted as an error.
_ERROR_STATUS = 500

_REQUESTS = Counter("tasklane_requests_total", "Total requests", _LABELS)
_DURATION = Histogram("tasklane_request_duration_seconds", "Request duration, in seconds", _LABELS)
_ERRORS = Counter("tasklane_requests_error_total", "Total errors in requests", _LABELS)
_IN_PROGRESS = Gauge(
    "tasklane_requests_in_progress",
    "Total requests currently in progress",
    _LABELS,
    multiprocess_mode="livesum",
)

# The labelled children of a (method, route, status), or None when that route is not
# measured. ``.labels()`` stringifies every value, takes a lock and looks the child up:
# done once per key, not once per request. Bounded by routes x methods x statuses.
_Children = tuple[Counter, Histogram, Counter | None]
_children: dict[tuple[str, str, int], _Children | None] = {}
_in_progress: dict[tuple[str, str], Gauge | None] = {}
# Where a request counted in progress keeps its gauge child, to be lowered at its end.
_COUNTED_IN_PROGRESS = "tasklane_in_progress"


def _measured(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    return handler is None or not handler.opt.get(NOT_MEASURED, False)


def _labelled(scope: Scope, key: tuple[str, str, int]) -> _Children | None:
    if not _measured(scope):
        return None
    method, route, status = key
    values = (method, route, str(status), APP_NAME)
    errors = _ERRORS.labels(*values) if status >= _ERROR_STATUS else None
    return _REQUESTS.labels(*values), _DURATION.labels(*values), errors


def record_request(scope: Scope, status: int, seconds: float) -> None:
    """Count and time one request that answered ``status`` after ``seconds``; nothing
    for an unrouted one, an unmeasured route, or one that never answered (status 0).
    """
    in_progress = scope["state"].pop(_COUNTED_IN_PROGRESS, None)
    if in_progress is not None:
        in_progress.dec()
    route = scope.get("path_template")
    if route is None or not status or scope["type"] != ScopeType.HTTP:
        return
    key = (scope["method"], route, status)
    try:
        children = _children[key]
    except KeyError:
        children = _children[key] = _labelled(scope, key)
    if children is not None:
        requests, duration, errors = children
        requests.inc()
        duration.observe(seconds)
        if errors is not None:
            errors.inc()


async def count_in_progress(request: Request[Any, Any, Any]) -> None:
    """``before_request`` hook raising ``tasklane_requests_in_progress``: it runs once
    routed, where the route template is known (the access line's wrapper runs before
    routing); ``record_request`` lowers it again however the request ends. A hook, not a
    route middleware: any route middleware makes Litestar add an exception-handling layer
    to every route (about 6 us a request). Handlers with a ``before_request`` of their
    own (the docs page's static assets) are not counted in progress.
    """
    scope = request.scope
    key = (scope["method"], scope["path_template"])
    try:
        gauge = _in_progress[key]
    except KeyError:
        gauge = _in_progress[key] = (
            _IN_PROGRESS.labels(*key, "200", APP_NAME) if _measured(scope) else None
        )
    if gauge is not None:
        gauge.inc()
        scope["state"][_COUNTED_IN_PROGRESS] = gauge
