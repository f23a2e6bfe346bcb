"""The OpenAPI document: operation ids, every status a route answers, the headers it sets
or reads, and request bodies as named components generated from the msgspec Structs.

Handlers decode raw bodies themselves (see ``bodies``), so Litestar never sees their
types: each route declares them through ``documented``, and ``complete_document`` adds
the bodies' schemas (as msgspec writes them, constraints included) to the components
Litestar generated for the responses.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

import msgspec
from litestar import Litestar
from litestar.enums import ParamType
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.spec import (
    Components,
    OpenAPIFormat,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Parameter,
    Reference,
    RequestBody,
    Schema,
    SecurityRequirement,
    SecurityScheme,
)
from litestar.status_codes import HTTP_304_NOT_MODIFIED

from interfaces.http import errors
from interfaces.http.docs_page import docs_site
from interfaces.http.errors import Kind
from interfaces.http.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE, Problem

BEARER_SCHEME = "bearer"
BEARER: list[SecurityRequirement] = [{BEARER_SCHEME: []}]
COMPONENTS = "#/components/schemas/"
WEAK_ETAG = "ETag (weak)"

# Every operation can meet these, whatever it does.
ALWAYS = (errors.HEADERS_TOO_LARGE, errors.INTERNAL)
# ... and these once it touches the database.
STORED = (*ALWAYS, errors.UNAVAILABLE)
AUTHENTICATED = (*STORED, errors.UNAUTHORIZED)
BY_ID = (*AUTHENTICATED, errors.NOT_FOUND)
# A request body can be malformed or too large.
WITH_BODY = (errors.VALIDATION, errors.TOO_LARGE)
# An Idempotency-Key can be in use (409) or reused for another request (422).
KEYED = (errors.IN_PROGRESS, errors.KEY_REUSED)

_HEADERS: dict[str, tuple[str, Schema]] = {
    "X-Request-ID": (
        "The request's id: the client's own X-Request-ID when it is a short plain token, "
        "else a generated one. Quote it when reporting a problem.",
        Schema(type=OpenAPIType.STRING, min_length=1, max_length=128),
    ),
    "WWW-Authenticate": ("Always `Bearer`.", Schema(type=OpenAPIType.STRING, const="Bearer")),
    "Retry-After": (
        "Seconds to wait before trying again.",
        Schema(type=OpenAPIType.STRING, pattern="^[0-9]+$"),
    ),
    "ETag": (
        'The task\'s version, quoted (`"3"`); send it back as If-Match, or as If-None-Match '
        "to be answered 304 while it is current.",
        Schema(type=OpenAPIType.STRING, pattern='^"[1-9][0-9]*"$'),
    ),
    # Also an ETag header: one derived from the body rather than a version.
    WEAK_ETAG: (
        'A weak tag of the body (`W/"..."`), which changes whenever anything in it does; '
        "send it as If-None-Match to be answered 304 while it is current.",
        Schema(type=OpenAPIType.STRING, pattern='^W/"[0-9a-f]+"$'),
    ),
    "Location": ("The path of the created resource.", Schema(type=OpenAPIType.STRING)),
    "Idempotent-Replayed": (
        "`true` when this is the stored answer to an earlier request with the same "
        "Idempotency-Key; absent otherwise.",
        Schema(type=OpenAPIType.STRING, const="true"),
    ),
}


_NOT_MODIFIED = "Not Modified: If-None-Match names the current ETag (or is `*`); no body"
_IF_NONE_MATCH = Parameter(
    name="If-None-Match",
    param_in=ParamType.HEADER,
    required=False,
    description=(
        'ETags the client holds (`"3"`, `W/"..."`, a comma-separated list) or `*`: '
        "when one is current (compared weakly), the answer is 304 without a body. "
        "A malformed value is ignored."
    ),
    schema=Schema(type=OpenAPIType.STRING),
)

# Headers that come with an answer, whichever route gives it.
_STATUS_HEADERS: dict[str, tuple[str, ...]] = {
    "401": ("WWW-Authenticate",),
    "429": ("Retry-After",),
    "503": ("Retry-After",),
}


@dataclass(frozen=True, slots=True)
class _Finish:
    """What ``documented`` adds to the operation Litestar builds."""

    body: type[msgspec.Struct] | None
    success_headers: tuple[str, ...]
    errors: frozenset[str]
    # The ETag a 304 carries, for a route that answers If-None-Match.
    conditional: str | None
    # Headers some answers of a status carry and others do not (status: names).
    optional_headers: Mapping[str, tuple[str, ...]]


def documented(
    operation_id: str,
    *,
    problems: Iterable[Kind],
    body: type[msgspec.Struct] | None = None,
    headers: Iterable[str] = (),
    responses: Mapping[int, ResponseSpec] | None = None,
    conditional: str | None = None,
) -> dict[str, Any]:
    """Decorator arguments documenting a route: its stable ``operation_id``, each problem
    it can answer (as ``application/problem+json``), its JSON ``body`` schema, the
    ``headers`` its success response carries and any other ``responses``. A
    ``conditional`` read names its ETag header: it reads ``If-None-Match`` and can
    answer 304 with that tag.
    """
    problems = tuple(problems)
    kinds: dict[int, list[Kind]] = {}
    for kind in (*problems, *(WITH_BODY if body else ())):
        if kind not in kinds.setdefault(kind.status, []):
            kinds[kind.status].append(kind)
    specs: dict[int, ResponseSpec] = {
        status: ResponseSpec(
            Problem,
            description="; or ".join(
                f"{kind.title} (problem type `{PROBLEM_TYPE_BASE}{kind.slug}`)" for kind in same
            ),
            media_type=PROBLEM_MEDIA_TYPE,
            generate_examples=False,
        )
        for status, same in sorted(kinds.items())
    }
    specs.update(responses or {})
    if conditional is not None:
        specs[HTTP_304_NOT_MODIFIED] = ResponseSpec(None, description=_NOT_MODIFIED)
        headers = (*headers, conditional) if conditional not in headers else headers
    optional: dict[str, tuple[str, ...]] = {}
    if errors.IN_PROGRESS in problems:
        # A keyed route: replays are marked, and only its in-progress 409 says when.
        optional = {"2xx": ("Idempotent-Replayed",), "409": ("Retry-After",)}
    finish = _Finish(body, tuple(headers), frozenset(map(str, specs)), conditional, optional)
    return {
        "operation_id": operation_id,
        "responses": specs,
        "operation_class": _operation_class(finish),
    }


def _operation_class(finish: _Finish) -> type[Operation]:
    @dataclass
    class DocumentedOperation(Operation):
        body_struct = finish.body

        def __post_init__(self) -> None:
            if finish.body is not None:
                schema = Reference(COMPONENTS + finish.body.__name__)
                media = {"application/json": OpenAPIMediaType(schema=schema)}
                self.request_body = RequestBody(content=media, required=True)
            responses = dict(self.responses or {})
            for status in list(responses):
                # Litestar adds its own 400 to routes with parameters: only ours stay.
                if not status.startswith("2") and status not in finish.errors:
                    del responses[status]
            self.responses = responses
            for parameter in self.parameters or ():
                if isinstance(parameter, Parameter) and isinstance(parameter.schema, Schema):
                    parameter.schema = _sent_or_absent(parameter.schema)
            if finish.conditional is not None:
                self.parameters = [*(self.parameters or ()), _IF_NONE_MATCH]
            for status, response in responses.items():
                if isinstance(response, OpenAPIResponse):
                    names = _STATUS_HEADERS.get(status, ())
                    group = status
                    if status.startswith("2"):
                        names, group = finish.success_headers, "2xx"
                    elif status == "304" and finish.conditional is not None:
                        names = (finish.conditional,)
                    _add_headers(response, ("X-Request-ID", *names))
                    _add_headers(response, finish.optional_headers.get(group, ()), required=False)

    return DocumentedOperation


def _sent_or_absent(schema: Schema) -> Schema | Reference:
    """An optional parameter is absent rather than null: ``oneOf [X, null]`` becomes X
    (keeping the outer constraints), since no query string can spell null.
    """
    branches = [b for b in schema.one_of or () if not _is_null(b)]
    if len(branches) != 1 or len(schema.one_of or ()) != 2:
        return schema
    outer = {f.name: v for f in fields(Schema) if (v := getattr(schema, f.name)) is not None}
    del outer["one_of"]
    (branch,) = branches
    if isinstance(branch, Reference):
        return schema if outer else branch
    return replace(branch, **outer)


def _is_null(schema: Schema | Reference) -> bool:
    return isinstance(schema, Schema) and schema.type == OpenAPIType.NULL


def _add_headers(response: OpenAPIResponse, names: Iterable[str], *, required: bool = True) -> None:
    headers = dict(response.headers or {})
    for name in names:
        description, schema = _HEADERS[name]
        header = "ETag" if name == WEAK_ETAG else name
        headers[header] = OpenAPIHeader(schema=schema, description=description, required=required)
    response.headers = headers


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


def complete_document(app: Litestar) -> None:
    """Add the request bodies ``documented`` names (and the schemas they use) to the
    app's document, as msgspec writes them: the same Structs decode the requests.

    Litestar builds the document once and serves that object (JSON route, CLI), but
    replaces ``components.schemas`` while building: so the document is built here, at
    start-up, and completed in place.
    """
    document = app.openapi_schema
    bodies = {
        body
        for item in (document.paths or {}).values()
        for operation in (item.get, item.post, item.put, item.patch, item.delete)
        if (body := getattr(operation, "body_struct", None)) is not None
    }
    _, definitions = msgspec.json.schema_components(
        sorted(bodies, key=lambda body: body.__name__), ref_template=COMPONENTS + "{name}"
    )
    schemas: dict[str, Schema | Reference] = dict(document.components.schemas or {})
    for body in bodies:
        definitions[body.__name__].update(getattr(body, "json_schema_extra", {}))
    for name, definition in definitions.items():
        # Shared enums (Priority) are already there, generated for the responses.
        schemas.setdefault(name, _as_schema(definition))
    problem = schemas.get(Problem.__name__)
    if isinstance(problem, Schema) and isinstance(
        kind := (problem.properties or {}).get("type"), Schema
    ):
        kind.description = (
            "Identifies the kind of problem (a stable name, not a link): "
            + ", ".join(f"`{PROBLEM_TYPE_BASE}{k.slug}` ({k.status})" for k in errors.KINDS)
        )
    document.components.schemas = dict(sorted(schemas.items()))  # type: ignore[arg-type]


_SCHEMA_FIELDS = {f.metadata.get("alias", f.name): f.name for f in fields(Schema)}
_SCHEMA_MAPS = {"properties", "patternProperties", "dependentSchemas"}
_SCHEMA_LISTS = {"anyOf", "oneOf", "allOf", "prefixItems"}


def _as_schema(node: dict[str, Any]) -> Schema | Reference:
    """A JSON Schema dict as Litestar's spec objects (its TypeScript converter and the
    document's serialiser read those, not dicts).
    """
    if "$ref" in node:
        return Reference(node["$ref"])
    values: dict[str, Any] = {}
    for key, value in node.items():
        if key in _SCHEMA_MAPS:
            value = {name: _as_schema(item) for name, item in value.items()}
        elif key in _SCHEMA_LISTS:
            value = [_as_schema(item) for item in value]
            if key == "anyOf":
                # msgspec unions never hold two alternatives of one JSON type, so exactly
                # one can match: oneOf says the same, and Litestar's TypeScript reads it.
                key = "oneOf"
        elif isinstance(value, dict):
            value = _as_schema(value)
        elif key == "type":
            value = OpenAPIType(value)
        elif key == "format":
            value = OpenAPIFormat(value)
        values[_SCHEMA_FIELDS[key]] = value
    return Schema(**values)
