from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PoolResponse")


@_attrs_define
class PoolResponse:
    """
    Attributes:
        size (int):
        checked_in (int):
        checked_out (int):
        overflow (int):
        invalid (int):
    """

    size: int
    checked_in: int
    checked_out: int
    overflow: int
    invalid: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        size = self.size

        checked_in = self.checked_in

        checked_out = self.checked_out

        overflow = self.overflow

        invalid = self.invalid

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "size": size,
                "checked_in": checked_in,
                "checked_out": checked_out,
                "overflow": overflow,
                "invalid": invalid,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        size = d.pop("size")

        checked_in = d.pop("checked_in")

        checked_out = d.pop("checked_out")

        overflow = d.pop("overflow")

        invalid = d.pop("invalid")

        pool_response = cls(
            size=size,
            checked_in=checked_in,
            checked_out=checked_out,
            overflow=overflow,
            invalid=invalid,
        )

        pool_response.additional_properties = d
        return pool_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
