from typing import Literal

ListTasksPriority = Literal["high", "low", "medium"]

LIST_TASKS_PRIORITY_VALUES: set[ListTasksPriority] = {
    "high",
    "low",
    "medium",
}


def check_list_tasks_priority(value: str) -> ListTasksPriority:
    if value in LIST_TASKS_PRIORITY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_TASKS_PRIORITY_VALUES!r}")
