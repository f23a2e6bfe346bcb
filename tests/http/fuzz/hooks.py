"""Schemathesis hooks for the all-checks run (``SCHEMATHESIS_HOOKS=tests.http.fuzz.hooks``).

Two rules of the contract that no schema can state, applied to the generated requests
before they are sent (schemathesis then re-reads whether each case is valid):

- ``category_id`` in a body must name one of the caller's categories, any other id is
  refused with 400; the run's categories come and go, so generated ids become null.
- ``POST /tasks/bulk`` with ``atomic=false`` (the default) reports an invalid item in its
  200 body instead of refusing the request: invalid cases are sent with ``atomic=true``,
  where the first failing item fails the request.
- ``cursor`` is valid only as a list response's ``next_cursor`` (signed, bound to the
  caller, sort and filters, never with ``offset``): valid cases are sent without one;
  invalid ones keep theirs, which must be refused.
"""

from typing import Any

import schemathesis

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
    negative = case.meta is not None and case.meta.generation.mode.is_negative
    if operation_id == "bulkCreateTasks" and negative and isinstance(case.query, dict):
        case.query["atomic"] = "true"
    if operation_id in _LISTS and not negative and isinstance(case.query, dict):
        case.query.pop("cursor", None)


def _is_int(value: object) -> bool:
    """An integer as JSON Schema reads one (``21.0`` included)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
