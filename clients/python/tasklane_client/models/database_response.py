from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pool_response import PoolResponse


T = TypeVar("T", bound="DatabaseResponse")


@_attrs_define
class DatabaseResponse:
    """
    Attributes:
        healthy (bool):
        latency_ms (float):
        pool (None | PoolResponse):
    """

    healthy: bool
    latency_ms: float
    pool: None | PoolResponse
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.pool_response import PoolResponse  # noqa: PLC0415

        healthy = self.healthy

        latency_ms = self.latency_ms

        pool: dict[str, Any] | None
        if isinstance(self.pool, PoolResponse):
            pool = self.pool.to_dict()
        else:
            pool = self.pool

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "healthy": healthy,
                "latency_ms": latency_ms,
                "pool": pool,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pool_response import PoolResponse  # noqa: PLC0415

        d = dict(src_dict)
        healthy = d.pop("healthy")

        latency_ms = d.pop("latency_ms")

        def _parse_pool(data: object) -> None | PoolResponse:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                pool_type_0 = PoolResponse.from_dict(data)

                return pool_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PoolResponse, data)

        pool = _parse_pool(d.pop("pool"))

        database_response = cls(
            healthy=healthy,
            latency_ms=latency_ms,
            pool=pool,
        )

        database_response.additional_properties = d
        return database_response

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
