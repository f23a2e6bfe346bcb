"""One log pipeline for the app, uvicorn and SQLAlchemy: stdlib loggers everywhere,
rendered by structlog as JSON (one object per line) or console lines.

Emitting stays cheap on the event loop: the calling thread only copies the record,
freezes its message and attaches the request's fields (they live in context variables,
so they must be read there); formatting and writing happen on Litestar's queue-listener
thread. Nothing logs bodies or headers, and a last processor masks sensitive keys should
one ever be passed as a field.
"""

import atexit
import copy
import logging
import time
from collections.abc import MutableMapping
from datetime import UTC, datetime
from logging.handlers import QueueHandler, QueueListener
from queue import Queue
from typing import Any, Literal

import structlog
from litestar.logging import LoggingConfig

from interfaces.http.access_log import request_fields

LogFormat = Literal["json", "console"]

# Field names whose values never reach a log line, whatever logged them.
SENSITIVE_KEYS = frozenset(
    {
        "password",
        "new_password",
        "token",
        "access_token",
        "refresh_token",
        "authorization",
        "cookie",
        "cookies",
        "set_cookie",
        "secret",
        "jwt_secret",
        "body",
        "headers",
    }
)
REDACTED = "[redacted]"
# Noise some libraries attach (uvicorn's ANSI-coloured copy of the message).
DROPPED_KEYS = ("color_message",)


class _Listener(QueueListener):
    """Writes queued records on its own thread from creation; stops once (close or exit)."""

    def __init__(self, queue: "Queue[logging.LogRecord]", *handlers: logging.Handler) -> None:
        super().__init__(queue, *handlers, respect_handler_level=True)
        self.start()
        atexit.register(self.stop)

    def stop(self) -> None:
        if self._thread is not None:
            super().stop()


class RequestContextQueueHandler(QueueHandler):
    """A queue handler that stamps each record with the request it belongs to.

    ``prepare`` runs in the logging thread (the event loop's): it reads the request's
    fields there and hands a copy of the record to the listener thread, which renders
    and writes it. Unlike the stdlib's, it does not format on the calling thread.
    """

    def __init__(self, handlers: list[logging.Handler] | None = None) -> None:
        super().__init__(Queue(-1))
        # dictConfig passes a converting list: indexing it resolves each handler.
        targets = (
            [handlers[i] for i in range(len(handlers))] if handlers else [logging.StreamHandler()]
        )
        self.listener = _Listener(self.queue, *targets)  # type: ignore[arg-type]

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        prepared = copy.copy(record)
        prepared.msg = record.getMessage()
        prepared.args = None
        fields = request_fields()
        if fields is not None:
            prepared.__dict__.update(fields)
        return prepared

    def drain(self) -> None:
        """Wait until every record queued so far is written (tests, shutdown)."""
        self.queue.join()  # type: ignore[attr-defined]

    def close(self) -> None:
        # Closed when logging is configured again (another app) and at exit.
        self.listener.stop()
        super().close()


def redact(
    _logger: object, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Mask any sensitive key that was passed as a field; drop the noise."""
    for key in event_dict.keys() & SENSITIVE_KEYS:
        event_dict[key] = REDACTED
    for key in DROPPED_KEYS:
        event_dict.pop(key, None)
    return event_dict


def stamp_when_logged(
    _logger: object, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """The time the line was logged (the record's), not when the listener renders it."""
    record = event_dict.get("_record")
    created = record.created if isinstance(record, logging.LogRecord) else time.time()
    moment = datetime.fromtimestamp(created, UTC)
    event_dict["timestamp"] = moment.isoformat(timespec="microseconds").replace("+00:00", "Z")
    return event_dict


def _formatter(log_format: LogFormat) -> dict[str, Any]:
    pre_chain = [
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        stamp_when_logged,
        redact,
    ]
    renderer: list[Any] = (
        [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
        if log_format == "json"
        # Plain tracebacks: the rich one prints each frame's locals (tokens, passwords).
        else [
            structlog.dev.ConsoleRenderer(
                colors=False, exception_formatter=structlog.dev.plain_traceback
            )
        ]
    )
    return {
        "()": structlog.stdlib.ProcessorFormatter,
        "foreign_pre_chain": pre_chain,
        "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer],
    }


def logging_config(level: str, log_format: LogFormat, *, sql_echo: bool = False) -> LoggingConfig:
    """Litestar's logging config: every logger through one queue handler, rendered once."""
    passthrough = {"handlers": [], "propagate": True}
    return LoggingConfig(
        formatters={"structured": _formatter(log_format)},
        handlers={
            "console": {
                "class": "logging.StreamHandler",
                "level": "DEBUG",
                "formatter": "structured",
            },
            "queue_listener": {
                "class": f"{__name__}.RequestContextQueueHandler",
                "level": "DEBUG",
                "handlers": ["cfg://handlers.console"],
            },
        },
        root={"level": level, "handlers": ["queue_listener"]},
        loggers={
            "litestar": {"level": level, **passthrough},
            # uvicorn's start and stop lines at its own default level, as before.
            "uvicorn": {"level": "INFO", **passthrough},
            "uvicorn.error": {"level": "INFO", **passthrough},
            # Our access line (tasklane.access) replaces uvicorn's.
            "uvicorn.access": {"level": "WARNING", **passthrough},
            "sqlalchemy": {"level": "WARNING", **passthrough},
            # DATABASE_ECHO: statements at INFO, through this pipeline. Naming the
            # engine's logger also removes the stdout handler SQLAlchemy's echo adds.
            "sqlalchemy.engine": {"level": "INFO" if sql_echo else "WARNING", **passthrough},
            "sqlalchemy.engine.Engine": {
                "level": "INFO" if sql_echo else "WARNING",
                **passthrough,
            },
        },
        # Unexpected errors are logged once, by our 500 handler, with the request id.
        log_exceptions="never",
    )


def drain_logs() -> None:
    """Wait until every record queued so far by the root's handlers is written."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, RequestContextQueueHandler):
            handler.drain()
