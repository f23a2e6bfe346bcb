"""The OpenAPI document tells the truth: valid, stable operation ids, every status and
header each operation can answer, request bodies as named components with their bounds.
"""

from typing import Any

import pytest
import pytest_asyncio
from openapi_spec_validator import validate

from tests.http.support import PROBLEM, Api

pytestmark = pytest.mark.asyncio

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
BEARER: list[dict[str, list[str]]] = [{"bearer": []}]
# Answers any operation can give: headers too large, and an unexpected failure.
ALWAYS = {"431", "500"}
STORED = ALWAYS | {"503"}
AUTHENTICATED = STORED | {"401"}
BY_ID = AUTHENTICATED | {"404"}
WITH_BODY = {"400", "413"}
# Operations taking an Idempotency-Key: in use (409, with Retry-After) or reused (422).
KEYED_OPERATIONS = {"createCategory", "createTask", "bulkCreateTasks", "processTasks"}
KEYED = {"409", "422"}

# operationId: (method, path, statuses, request body component, success headers)
OPERATIONS: dict[str, tuple[str, str, set[str], str | None, set[str]]] = {
    "register": (
        "post",
        "/auth/register",
        {"201", "409", "429"} | STORED | WITH_BODY,
        "RegisterRequest",
        set(),
    ),
    "logIn": (
        "post",
        "/auth/login",
        {"200", "401", "429"} | STORED | WITH_BODY,
        "LoginRequest",
        set(),
    ),
    "getCurrentUser": ("get", "/auth/me", {"200"} | AUTHENTICATED, None, set()),
    "createCategory": (
        "post",
        "/categories",
        {"201"} | KEYED | AUTHENTICATED | WITH_BODY,
        "CategoryCreateRequest",
        set(),
    ),
    "listCategories": (
        "get",
        "/categories",
        {"200", "304", "400"} | AUTHENTICATED,
        None,
        {"ETag"},
    ),
    "getCategory": ("get", "/categories/{category_id}", {"200", "304"} | BY_ID, None, {"ETag"}),
    "updateCategory": (
        "patch",
        "/categories/{category_id}",
        {"200", "409"} | BY_ID | WITH_BODY,
        "CategoryUpdateRequest",
        set(),
    ),
    "deleteCategory": ("delete", "/categories/{category_id}", {"204"} | BY_ID, None, set()),
    "createTask": (
        "post",
        "/tasks",
        {"201"} | KEYED | AUTHENTICATED | WITH_BODY,
        "TaskCreateRequest",
        {"Location", "ETag"},
    ),
    "listTasks": ("get", "/tasks", {"200", "304", "400"} | AUTHENTICATED, None, {"ETag"}),
    "getTask": ("get", "/tasks/{task_id}", {"200", "304"} | BY_ID, None, {"ETag"}),
    "updateTask": (
        "patch",
        "/tasks/{task_id}",
        {"200", "412"} | BY_ID | WITH_BODY,
        "TaskUpdateRequest",
        {"ETag"},
    ),
    "deleteTask": ("delete", "/tasks/{task_id}", {"204", "412"} | BY_ID, None, set()),
    "bulkCreateTasks": (
        "post",
        "/tasks/bulk",
        {"200"} | KEYED | AUTHENTICATED | WITH_BODY,
        "BulkCreateRequest",
        set(),
    ),
    "processTasks": (
        "post",
        "/tasks/process",
        {"202", "429"} | KEYED | AUTHENTICATED | WITH_BODY,
        "ProcessRequest",
        {"Location"},
    ),
    "getJob": ("get", "/jobs/{job_id}", {"200"} | BY_ID, None, set()),
    "live": ("get", "/health/live", {"200"} | ALWAYS, None, set()),
    "ready": ("get", "/health/ready", {"200"} | STORED, None, set()),
    "databaseHealth": ("get", "/health/database", {"200"} | STORED, None, set()),
}
PUBLIC = {"register", "logIn", "live", "ready", "databaseHealth"}
# GETs that read If-None-Match and answer 304 with their ETag.
CONDITIONAL = {"listCategories", "getCategory", "listTasks", "getTask"}


@pytest_asyncio.fixture
async def document(api: Api) -> dict[str, Any]:
    response = await api.get("/schema/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _operation(document: dict[str, Any], operation_id: str) -> dict[str, Any]:
    method, path, *_ = OPERATIONS[operation_id]
    operation: dict[str, Any] = document["paths"][path][method]
    return operation


async def test_the_document_is_valid_openapi(document: dict[str, Any]) -> None:
    validate(document)


async def test_operation_ids_are_the_stable_set(document: dict[str, Any]) -> None:
    found = {
        (operation["operationId"], method, path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    assert found == {(name, spec[0], spec[1]) for name, spec in OPERATIONS.items()}


@pytest.mark.parametrize("operation_id", OPERATIONS)
async def test_every_status_an_operation_answers_is_documented(
    document: dict[str, Any], operation_id: str
) -> None:
    responses = _operation(document, operation_id)["responses"]
    assert set(responses) == OPERATIONS[operation_id][2]


@pytest.mark.parametrize("operation_id", OPERATIONS)
async def test_errors_are_problem_details_with_their_headers(
    document: dict[str, Any], operation_id: str
) -> None:
    keyed = operation_id in KEYED_OPERATIONS
    for status, response in _operation(document, operation_id)["responses"].items():
        headers = response.get("headers", {})
        assert headers["X-Request-ID"]["required"] is True, status
        if status.startswith("2"):
            replayed = {"Idempotent-Replayed"} if keyed else set()
            assert set(headers) - {"X-Request-ID"} == OPERATIONS[operation_id][4] | replayed
            continue
        if status == "304":
            assert set(headers) == {"X-Request-ID", "ETag"}
            assert "content" not in response
            continue
        if operation_id == "databaseHealth" and status == "503":
            # The same body as 200, with healthy false.
            assert response["content"] == {
                "application/json": {"schema": {"$ref": "#/components/schemas/DatabaseResponse"}}
            }
        else:
            assert response["content"] == {PROBLEM: {"schema": PROBLEM_REF}}, status
        expected = {"401": {"WWW-Authenticate"}, "429": {"Retry-After"}, "503": {"Retry-After"}}
        if keyed:
            expected["409"] = {"Retry-After"}
        assert set(headers) - {"X-Request-ID"} == expected.get(status, set()), status


async def test_one_problem_schema_with_field_errors(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    problem = schemas["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert "errors" in problem["properties"]
    kinds = problem["properties"]["type"]["description"]
    for slug in ("validation", "not-found", "method-not-allowed", "too-many-requests"):
        assert f"`https://tasklane.dev/problems/{slug}`" in kinds
    assert set(schemas["FieldError"]["required"]) == {"field", "message"}


@pytest.mark.parametrize("operation_id", OPERATIONS)
async def test_request_bodies_are_named_components(
    document: dict[str, Any], operation_id: str
) -> None:
    operation = _operation(document, operation_id)
    component = OPERATIONS[operation_id][3]
    if component is None:
        assert "requestBody" not in operation
        return
    assert operation["requestBody"] == {
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
        "required": True,
    }
    assert document["components"]["schemas"][component]["additionalProperties"] is False


async def test_components_carry_the_real_constraints(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    title = schemas["TaskCreateRequest"]["properties"]["title"]
    assert (title["minLength"], title["maxLength"], title["pattern"]) == (1, 200, "^[^\\u0000]*$")
    assert schemas["TaskCreateRequest"]["not"]["required"] == ["category_id", "category"]
    category_id = schemas["TaskUpdateRequest"]["properties"]["category_id"]["oneOf"][0]
    assert (category_id["minimum"], category_id["maximum"]) == (-(2**63), 2**63 - 1)
    email = schemas["RegisterRequest"]["properties"]["email"]
    assert (email["minLength"], email["maxLength"]) == (3, 254)
    assert email["pattern"].startswith("^[^@")
    color = schemas["CategoryCreateRequest"]["properties"]["color"]["oneOf"][0]
    assert color["pattern"] == "^#[0-9a-fA-F]{6}$"
    items = schemas["BulkCreateRequest"]["properties"]["items"]
    assert items["items"] == {"$ref": "#/components/schemas/TaskCreateRequest"}
    assert (items["minItems"], items["maxItems"]) == (1, 1000)
    task_ids = schemas["ProcessRequest"]["properties"]["task_ids"]
    assert (task_ids["minItems"], task_ids["maxItems"]) == (1, 1000)


async def test_integer_bounds_are_exact_integers(api: Api, document: dict[str, Any]) -> None:
    # 2**63 - 1 as a JSON float reads back as 2**63, past what the routes accept.
    raw = (await api.get("/schema/openapi.json")).text
    assert "e+18" not in raw
    assert "9223372036854775807" in raw
    parameters = {p["name"]: p["schema"] for p in _operation(document, "listTasks")["parameters"]}
    assert parameters["offset"]["maximum"] == 2**63 - 1
    assert isinstance(parameters["offset"]["maximum"], int)
    assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, 100)
    assert parameters["q"] == {
        "type": "string",
        "maxLength": 200,
        "pattern": "^[^\\u0000]*$",
        "description": "Case-insensitive title substring, at most 200 characters",
    }
    assert parameters["completed"]["type"] == "boolean"
    assert parameters["priority"]["enum"] == ["low", "medium", "high"]
    for path in ("/tasks/{task_id}", "/categories/{category_id}", "/jobs/{job_id}"):
        parameters = document["paths"][path]["get"]["parameters"]
        (parameter,) = [p for p in parameters if p["in"] == "path"]
        schema = parameter["schema"]
        assert (schema["type"], schema["minimum"], schema["maximum"]) == ("integer", 1, 2**63 - 1)


async def test_conditional_writes_document_if_match(document: dict[str, Any]) -> None:
    for operation_id in ("updateTask", "deleteTask"):
        parameters = _operation(document, operation_id)["parameters"]
        (if_match,) = [p for p in parameters if p["name"] == "If-Match"]
        assert if_match["in"] == "header"
        assert if_match["required"] is False


@pytest.mark.parametrize("operation_id", OPERATIONS)
async def test_conditional_reads_document_if_none_match(
    document: dict[str, Any], operation_id: str
) -> None:
    operation = _operation(document, operation_id)
    headers = [p for p in operation.get("parameters", ()) if p["name"] == "If-None-Match"]
    if operation_id not in CONDITIONAL:
        assert headers == []
        return
    (if_none_match,) = headers
    assert (if_none_match["in"], if_none_match["required"]) == ("header", False)
    tag = operation["responses"]["200"]["headers"]["ETag"]["schema"]
    assert tag["pattern"] == ('^"[1-9][0-9]*"$' if operation_id == "getTask" else '^W/"[0-9a-f]+"$')
    assert operation["responses"]["304"]["headers"]["ETag"]["schema"] == tag


async def test_keyed_writes_document_the_idempotency_key(document: dict[str, Any]) -> None:
    for operation_id in KEYED_OPERATIONS:
        operation = _operation(document, operation_id)
        (key,) = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
        assert key["in"] == "header"
        assert key["required"] is False
        assert (key["schema"]["minLength"], key["schema"]["maxLength"]) == (1, 255)
        responses = operation["responses"]
        # Present only on replays, and only the in-progress kind of 409 carries it.
        (success,) = [r for status, r in responses.items() if status.startswith("2")]
        assert success["headers"]["Idempotent-Replayed"]["required"] is False
        assert responses["409"]["headers"]["Retry-After"]["required"] is False
        assert "request-in-progress" in responses["409"]["description"]
        assert "idempotency-key-reused" in responses["422"]["description"]


async def test_one_bearer_scheme_guards_every_private_operation(
    document: dict[str, Any],
) -> None:
    assert document["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    }
    for operation_id in OPERATIONS:
        security = _operation(document, operation_id).get("security")
        assert security == (None if operation_id in PUBLIC else BEARER), operation_id
