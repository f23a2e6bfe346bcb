from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="ProcessRequest")


@_attrs_define
class ProcessRequest:
    """The tasks to mark processed; repeats count once.

    Attributes:
        task_ids (list[int]):
    """

    task_ids: list[int]

    def to_dict(self) -> dict[str, Any]:
        task_ids = self.task_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "task_ids": task_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        task_ids = cast(list[int], d.pop("task_ids"))

        process_request = cls(
            task_ids=task_ids,
        )

        return process_request
