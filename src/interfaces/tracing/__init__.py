"""Traces, opt-in: on only when ``OTEL_EXPORTER_OTLP_ENDPOINT`` or
``OTEL_TRACES_EXPORTER`` is set (``OTEL_TRACES_EXPORTER=none`` keeps them off), sampled
as ``OTEL_TRACES_SAMPLER`` and ``OTEL_TRACES_SAMPLER_ARG`` say.

Nothing of OpenTelemetry is imported here: the switch reads the environment, and only
when tracing is on does it import ``interfaces.tracing.otel`` (the ``tasklane[otel]``
extra), so a run without the variables pays nothing.
"""

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from interfaces.cli import SETTINGS_ERROR_STATUS, exit_with

if TYPE_CHECKING:
    from interfaces.tracing.otel import Tracing

ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT"
EXPORTER = "OTEL_TRACES_EXPORTER"

__all__ = ["configure_tracing", "tracing_requested"]


def tracing_requested(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the environment asks for traces (an empty variable counts as unset)."""
    exporter = environ.get(EXPORTER, "").strip().lower()
    if exporter == "none":
        return False
    return bool(exporter or environ.get(ENDPOINT, "").strip())


def configure_tracing(environ: Mapping[str, str] = os.environ) -> "Tracing | None":
    """The tracing of this app, or ``None`` (and no import) when it is not asked for.
    A mistake (an unknown exporter or sampler, a bad sampler fraction, the extra
    missing) ends the process with one line.
    """
    if not tracing_requested(environ):
        return None
    try:
        from interfaces.tracing.otel import Tracing, exporter_from_env, sampler_from_env

        return Tracing.with_exporter(exporter_from_env(environ), sampler=sampler_from_env(environ))
    except ImportError as error:
        problem = f"{error}; install the extra: pip install 'tasklane[otel]'"
    except ValueError as error:
        problem = str(error)
    return exit_with(f"tasklane cannot start: traces: {problem}", SETTINGS_ERROR_STATUS)
