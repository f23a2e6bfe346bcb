"""Litestar hands a dependency to the handler parameter of the same name, and checks only
that some provider has that name: every parameter typed with a dependency marker must be
named after it, and every marker's key must have a provider.
"""

from typing import get_type_hints

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

from interfaces.app import create_app
from interfaces.http.dependencies import KEYS
from tests.http.conftest import FAST


def _parameters(app: Litestar) -> list[tuple[str, str, object]]:
    """(handler, parameter, annotation) for every route handler of ours in ``app``."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            assert isinstance(handler, HTTPRouteHandler)
            if not handler.fn.__module__.startswith("interfaces."):
                continue  # Litestar's own (the OpenAPI document's routes)
            hints = get_type_hints(handler.fn, include_extras=True)
            hints.pop("return", None)
            found += [(handler.handler_name, name, hint) for name, hint in hints.items()]
    return found


def test_every_marked_parameter_is_named_after_its_dependency() -> None:
    app = create_app(FAST)
    markers = {key: marker for marker, key in KEYS.items()}
    checked = 0
    for handler, name, hint in _parameters(app):
        if hint in KEYS or name in markers:
            assert (name, hint) == (KEYS.get(hint), markers.get(name)), f"{handler}({name})"
            checked += 1
    assert checked > len(KEYS)


def test_every_dependency_key_has_a_provider() -> None:
    assert set(create_app(FAST).dependencies) == set(KEYS.values())
