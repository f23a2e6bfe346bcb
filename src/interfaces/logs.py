"""One log pipeline for the app, uvicorn and SQLAlchemy: stdlib loggers everywhere,
rendered as JSON (one object per line, encoded by msgspec) or console lines (structlog's
console renderer).

Emitting stays cheap on the event loop: the calling thread only freezes the record's
message and attaches the request's fields (they live in context variables, so they must
be read there); formatting and writing happen on a listener thread, a batch of records
per write. Nothing logs bodies or headers, and the line's fields are masked for
sensitive keys should one ever be passed as a field.
"""

import atexit
import contextlib
import logging
import threading
import traceback
from datetime import UTC, datetime
from logging.handlers import QueueHandler
from queue import Empty, SimpleQueue
from typing import Any, Literal

import msgspec
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


class _BatchListener:
    """Formats and writes queued records on its own thread, a batch at a time.

    Each write and flush is a system call, and each one per line made the thread take
    the interpreter back from the event loop once more: so the thread takes every record
    waiting, renders them, and writes them with one write and one flush per handler.
    Records leave in the order they came (one queue, one thread), so the lines of a
    request stay in order. Stops once (close or exit), after writing what was queued.
    """

    def __init__(self, queue: "SimpleQueue[object]", *handlers: logging.Handler) -> None:
        self.queue = queue
        self.handlers = handlers
        self._thread: threading.Thread | None = threading.Thread(
            target=self._run, name="tasklane-logs", daemon=True
        )
        self._thread.start()
        atexit.register(self.stop)

    def _run(self) -> None:
        queue = self.queue
        while True:
            batch = [queue.get()]
            while len(batch) < _BATCH_LIMIT:
                try:
                    batch.append(queue.get_nowait())
                except Empty:
                    break
            records = [item for item in batch if isinstance(item, logging.LogRecord)]
            if records:
                self._write(records)
            for item in batch:
                if isinstance(item, threading.Event):
                    item.set()
            if _STOP in batch:
                return

    def _write(self, records: list[logging.LogRecord]) -> None:
        for handler in self.handlers:
            lines: list[str] = []
            for record in records:
                if record.levelno < handler.level or not handler.filter(record):
                    continue
                try:
                    lines.append(handler.format(record))
                except Exception:
                    handler.handleError(record)
            if not lines:
                continue
            lines.append("")
            with handler.lock or contextlib.nullcontext():
                try:
                    stream = handler.stream  # type: ignore[attr-defined]
                    stream.write("\n".join(lines))
                    stream.flush()
                except Exception:
                    handler.handleError(records[-1])

    def drain(self) -> None:
        """Wait until every record queued before this call is written."""
        if self._thread is None or not self._thread.is_alive():
            return
        written = threading.Event()
        self.queue.put(written)
        written.wait()

    def stop(self) -> None:
        if self._thread is not None:
            self.queue.put(_STOP)
            self._thread.join()
            self._thread = None


# Ends the listener's thread once every record queued before it is written.
_STOP = object()
# At most this many records rendered per write (bounds the memory of one batch).
_BATCH_LIMIT = 512


class RequestContextQueueHandler(QueueHandler):
    """A queue handler that stamps each record with the request it belongs to.

    ``prepare`` runs in the logging thread (the event loop's): it reads the request's
    fields there (they live in context variables) and freezes the message; the listener
    thread renders and writes. Unlike the stdlib's, it neither copies nor formats the
    record on the calling thread: this handler is the record's only one.
    """

    def __init__(self, handlers: list[logging.Handler] | None = None) -> None:
        super().__init__(SimpleQueue())
        # dictConfig passes a converting list: indexing it resolves each handler.
        targets = (
            [handlers[i] for i in range(len(handlers))] if handlers else [logging.StreamHandler()]
        )
        self.listener = _BatchListener(self.queue, *targets)  # type: ignore[arg-type]
        # No line shows where it was logged from, nor the thread or process: skip
        # finding them for every record (the logging HOWTO's "Optimization").
        logging._srcfile = None
        logging.logThreads = False
        logging.logProcesses = False
        logging.logMultiprocessing = False

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        record.msg = record.getMessage()
        record.args = None
        fields = request_fields()
        if fields is not None:
            record.__dict__.update(fields)
        return record

    def drain(self) -> None:
        """Wait until every record queued so far is written (tests, shutdown)."""
        self.listener.drain()

    def close(self) -> None:
        # Closed when logging is configured again (another app) and at exit.
        self.listener.stop()
        super().close()


# The attributes every LogRecord has: anything else on a record was passed as a field.
_RECORD_KEYS = frozenset(
    logging.LogRecord("name", 0, "pathname", 0, "msg", (), None).__dict__.keys()
    | {"message", "asctime"}
)


def _redact(event: dict[str, Any]) -> dict[str, Any]:
    """Mask any sensitive key that was passed as a field; drop the noise."""
    for key in event.keys() & SENSITIVE_KEYS:
        event[key] = REDACTED
    for key in DROPPED_KEYS:
        event.pop(key, None)
    return event


def _timestamp(created: float) -> str:
    """The time the line was logged (the record's), not when the listener renders it."""
    moment = datetime.fromtimestamp(created, UTC)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def event_of(record: logging.LogRecord) -> dict[str, Any]:
    """A record as one line's fields: event, level, logger, its extra fields (the
    request's among them), timestamp; sensitive fields masked."""
    event: dict[str, Any] = {
        "event": record.getMessage(),
        "level": record.levelname.lower(),
        "logger": record.name,
    }
    for key, value in record.__dict__.items():
        if key not in _RECORD_KEYS:
            event[key] = value
    event["timestamp"] = _timestamp(record.created)
    return _redact(event)


class JsonLineFormatter(logging.Formatter):
    """One JSON object per record, encoded by msgspec (a few microseconds a line)."""

    _encoder = msgspec.json.Encoder(enc_hook=repr)

    def format(self, record: logging.LogRecord) -> str:
        event = event_of(record)
        if record.exc_info:
            event["exception"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        if record.stack_info:
            event["stack_info"] = record.stack_info
        return self._encoder.encode(event).decode()


class ConsoleLineFormatter(logging.Formatter):
    """Readable lines by structlog's console renderer, from the same fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Imported here, not with this module: structlog (and the rich traceback and
        # pygments modules it loads) is about 3 MiB that JSON lines, production's
        # default, never use.
        import structlog

        # Plain tracebacks: the rich one prints each frame's locals (tokens, passwords).
        self._renderer = structlog.dev.ConsoleRenderer(
            colors=False, exception_formatter=structlog.dev.plain_traceback
        )

    def format(self, record: logging.LogRecord) -> str:
        event = event_of(record)
        if record.exc_info:
            event["exc_info"] = record.exc_info
        if record.stack_info:
            event["stack_info"] = record.stack_info
        return str(self._renderer(None, "", event))


def _formatter(log_format: LogFormat) -> dict[str, Any]:
    formatter = JsonLineFormatter if log_format == "json" else ConsoleLineFormatter
    return {"()": f"{__name__}.{formatter.__name__}"}


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
