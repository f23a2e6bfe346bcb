"""OpenAPI: the bearer scheme, and the request bodies handlers decode themselves.

Handlers read raw bytes (see ``bodies``), so Litestar cannot see their schemas; each
route names its schema through ``json_body``, which inlines msgspec's JSON Schema
(Litestar rebuilds ``components/schemas`` itself, so references there would dangle).
"""

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import (
    Components,
    OpenAPIMediaType,
    Operation,
    RequestBody,
    SecurityRequirement,
    SecurityScheme,
)

from interfaces.http.docs_page import docs_site

BEARER_SCHEME = "bearer"
BEARER: list[SecurityRequirement] = [{BEARER_SCHEME: []}]
_DEFS = "#/$defs/"


def json_body(schema: type[msgspec.Struct]) -> type[Operation]:
    """An operation class documenting ``schema`` as the JSON request body."""
    document = msgspec.json.schema(schema)
    inline = _inlined(document, document.pop("$defs", {}))
    # Litestar serialises plain dicts as they are.
    media = OpenAPIMediaType(schema=inline)
    body = RequestBody(content={"application/json": media}, required=True)

    @dataclass
    class WithJsonBody(Operation):
        def __post_init__(self) -> None:
            self.request_body = body

    return WithJsonBody


def openapi_config(version: str) -> OpenAPIConfig:
    """The document served under ``/schema``."""
    bearer = SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
    # The site's router sets the path ("/schema"); OpenAPIConfig.path would be ignored.
    site = docs_site("/schema")
    return OpenAPIConfig(
        title="Tasklane",
        version=version,
        components=Components(security_schemes={BEARER_SCHEME: bearer}),
        render_plugins=site.render_plugins,
        openapi_router=site.router,
    )


def _inlined(node: Any, defs: dict[str, Any]) -> Any:
    # Our request schemas are not recursive, so replacing each reference terminates.
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_DEFS):
            return _inlined(defs[ref.removeprefix(_DEFS)], defs)
        return {key: _inlined(value, defs) for key, value in node.items()}
    if isinstance(node, list):
        return [_inlined(item, defs) for item in node]
    return node
