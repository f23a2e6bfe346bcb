from typing import Literal

ListTasksSort = Literal["-created_at", "-due_at", "-title", "created_at", "due_at", "title"]

LIST_TASKS_SORT_VALUES: set[ListTasksSort] = {
    "-created_at",
    "-due_at",
    "-title",
    "created_at",
    "due_at",
    "title",
}


def check_list_tasks_sort(value: str) -> ListTasksSort:
    if value in LIST_TASKS_SORT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_TASKS_SORT_VALUES!r}")
