"""Operations: Prometheus metrics."""

from infrastructure.observability.prometheus import (
    PrometheusTelemetry,
    Readings,
    prepare_multiprocess_directory,
    scrape,
)

__all__ = ["PrometheusTelemetry", "Readings", "prepare_multiprocess_directory", "scrape"]
