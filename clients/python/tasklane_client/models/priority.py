from typing import Literal

Priority = Literal["high", "low", "medium"]

PRIORITY_VALUES: set[Priority] = {
    "high",
    "low",
    "medium",
}


def check_priority(value: str) -> Priority:
    if value in PRIORITY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PRIORITY_VALUES!r}")
