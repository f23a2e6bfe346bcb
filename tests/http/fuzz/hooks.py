"""Schemathesis hooks for the all-checks run (``SCHEMATHESIS_HOOKS=tests.http.fuzz.hooks``).

Two rules of the contract that no schema can state, applied to the generated requests
before they are sent (schemathesis then re-reads whether each case is valid):

- ``category_id`` in a body must name one of the caller's categories, any other id is
  refused with 400; the run's categories come and go, so generated ids become null.
- ``POST /tasks/bulk`` with ``atomic=false`` (the default) reports an invalid item in its
  200 body instead of refusing the request: invalid cases are sent with ``atomic=true``,
  where the first failing item fails the request.
- An ``Idempotency-Key`` promises that every request under it is the same request (a
  different one is 422, the same one replays the first answer, however stale). The run
  draws few distinct keys and reuses them across cases, so a valid generated key is
  made unique to its case; invalid ones are sent as generated.
- ``cursor`` is valid only as a list response's ``next_cursor`` (signed, bound to the
  caller, sort and filters, never with ``offset``): valid cases are sent without one;
  invalid ones keep theirs, which must be refused.
"""

from collections.abc import MutableMapping
from typing import Any
from uuid import uuid4

import schemathesis

from domain.idempotency import is_valid_key

_REFERENCING = {"createTask", "updateTask", "bulkCreateTasks"}
_LISTS = {"listTasks", "listCategories"}


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    operation_id = case.operation.definition.raw.get("operationId")
    if operation_id in _REFERENCING:
        body = case.body
        items = body.get("items") if isinstance(body, dict) else None
        for item in [body, *(items if isinstance(items, list) else [])]:
            if isinstance(item, dict) and _is_int(item.get("category_id")):
                item["category_id"] = None
    headers = case.headers if isinstance(case.headers, MutableMapping) else {}
    if _leaves_out_a_parameter(case):
        # Left as generated: a changed case is re-read, and would lose what it leaves out.
        headers = {}
    for name, key in list(headers.items()):
        if name.lower() == "idempotency-key" and isinstance(key, str) and is_valid_key(key):
            headers[name] = uuid4().hex
    negative = case.meta is not None and case.meta.generation.mode.is_negative
    if operation_id == "bulkCreateTasks" and negative and isinstance(case.query, dict):
        case.query["atomic"] = "true"
    if operation_id in _LISTS and not negative and isinstance(case.query, dict):
        case.query.pop("cursor", None)


def _leaves_out_a_parameter(case: Any) -> bool:
    data = getattr(getattr(case.meta, "phase", None), "data", None)
    return str(getattr(data, "scenario", "")) == "missing_parameter"


def _is_int(value: object) -> bool:
    """An integer as JSON Schema reads one (``21.0`` included)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
