"""One log pipeline for the app, uvicorn and SQLAlchemy: stdlib loggers everywhere,
rendered as JSON (one object per line, encoded by msgspec) or console lines (structlog's
console renderer).

Emitting stays cheap on the event loop: a record is stamped with the request's fields
and kept; about 100 times a second the loop renders every record kept and writes them
with one write and one flush. Nothing logs bodies or headers, and the line's fields are
masked for sensitive keys should one ever be passed as a field.
"""

import asyncio
import contextlib
import logging
import math
import traceback
from collections import deque
from datetime import UTC, datetime
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


class RequestContextHandler(logging.Handler):
    """The pipeline's one handler: stamps each record with the request it belongs to and
    writes records in batches, through its targets' formatters and streams.

    On the calling thread (the event loop's, for a request) it only freezes the record's
    message and reads the request's fields (they live in context variables, so they
    must be read there). A record below WARNING logged on a running event loop then
    waits for a flush that loop runs ``GATHER_S`` later, which renders every record
    waiting and writes them with one write and one flush per target. Any other record
    (a warning or an error, or one logged elsewhere: start-up, CLI commands, other
    threads) is written at once, with those still waiting. ``flush`` (which
    ``logging.shutdown`` calls at exit, and ``drain_logs``) and ``close`` write what
    waits.

    Not a thread: a listener thread must take the interpreter back from the busy event
    loop for each batch, and often lost that race about once a request (each time the
    loop let go of the interpreter to poll, the thread woke up and found it taken
    again). In process (bench/request_overhead.py) an access line cost 20-60 us of CPU
    in all that way, whether the thread waited once a line or for 10 ms batches; here
    15-20 us, about 5 of them rendering. The price: a stream that stops taking lines
    holds the event loop up, as any logging to stderr from the loop would.
    """

    def __init__(self, handlers: list[logging.Handler] | None = None) -> None:
        super().__init__()
        # dictConfig passes a converting list: indexing it resolves each handler.
        self.targets: list[logging.Handler] = (
            [handlers[i] for i in range(len(handlers))] if handlers else [logging.StreamHandler()]
        )
        # Appended to by any thread, emptied by flushes: deque operations are atomic.
        self._waiting: deque[logging.LogRecord] = deque()
        # The loop a flush is scheduled on, if any.
        self._flush_on: asyncio.AbstractEventLoop | None = None
        # No line shows where it was logged from, nor the thread or process: skip
        # finding them for every record (the logging HOWTO's "Optimization").
        logging._srcfile = None
        logging.logThreads = False
        logging.logProcesses = False
        logging.logMultiprocessing = False

    def handle(self, record: logging.LogRecord) -> bool:
        """Stamp the record and keep it for the next flush (scheduling one on this
        thread's event loop, or flushing now when there is none). No handler lock taken
        here: nothing it touches needs one."""
        if self.filters:
            kept = self.filter(record)
            if not kept:
                return False
            if isinstance(kept, logging.LogRecord):
                record = kept
        try:
            record.msg = record.getMessage()
        except Exception:
            # Arguments that do not fit the message: reported, never raised to the caller.
            self.handleError(record)
            return False
        record.args = None
        fields = request_fields()
        if fields is not None:
            record.__dict__.update(fields)
        self._waiting.append(record)
        if record.levelno >= _AT_ONCE:
            self.flush()
            return True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()
            return True
        if self._flush_on is not loop:
            self._flush_on = loop
            loop.call_later(GATHER_S, self._flush_from, loop)
        return True

    def emit(self, record: logging.LogRecord) -> None:
        self.handle(record)

    def _flush_from(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._flush_on is loop:
            self._flush_on = None
        self.flush()

    def flush(self) -> None:
        """Render and write every record waiting, in the order they were logged."""
        with self.lock or contextlib.nullcontext():
            waiting, records = self._waiting, []
            while waiting:
                records.append(waiting.popleft())
            if records:
                self._write(records)

    def _write(self, records: list[logging.LogRecord]) -> None:
        for target in self.targets:
            lines: list[str] = []
            for record in records:
                if record.levelno < target.level or not target.filter(record):
                    continue
                try:
                    lines.append(target.format(record))
                except Exception:
                    target.handleError(record)
            if not lines:
                continue
            lines.append("")
            with target.lock or contextlib.nullcontext():
                try:
                    stream = target.stream  # type: ignore[attr-defined]
                    if getattr(stream, "closed", False):
                        # Nowhere to write (the process is ending): nothing to report.
                        continue
                    stream.write("\n".join(lines))
                    stream.flush()
                except Exception:
                    target.handleError(records[-1])

    def close(self) -> None:
        # Closed when logging is configured again (another app) and at exit.
        self.flush()
        super().close()


# Records at this level or above are written at once, wherever they were logged: they
# are few, and must not wait on a loop that may be about to end (or crash).
_AT_ONCE = logging.WARNING
# How long a record logged on an event loop waits for the flush that loop runs: lines
# are written about 100 times a second, whatever the load, each batch with one write
# and one flush (a system call each). A line is late by no more than this; its timestamp
# is still when it was logged.
GATHER_S = 0.010


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


class _Timestamps:
    """The time a line was logged (the record's, not when it is rendered), as
    ``2026-11-30T17:29:50.123456Z``: what ``datetime.isoformat`` writes, microseconds
    rounded alike, with the part up to the second made once per second (most of the
    cost of a line's timestamp, and lines come by the hundred a second).
    """

    def __init__(self) -> None:
        # One tuple, replaced whole: threads flushing at once may share it without a lock.
        self._second: tuple[int, str] = (-1, "")

    def __call__(self, created: float) -> str:
        fraction, whole = math.modf(created)
        second, micros = int(whole), round(fraction * 1e6)
        if micros >= 1_000_000:
            second, micros = second + 1, micros - 1_000_000
        cached, prefix = self._second
        if second != cached:
            prefix = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
            self._second = (second, prefix)
        return f"{prefix}.{micros:06d}Z"


_timestamp = _Timestamps()


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
    """Litestar's logging config: every logger through one batching handler, rendered
    once."""
    passthrough = {"handlers": [], "propagate": True}
    return LoggingConfig(
        formatters={"structured": _formatter(log_format)},
        handlers={
            "console": {
                "class": "logging.StreamHandler",
                "level": "DEBUG",
                "formatter": "structured",
            },
            # Named as Litestar's own, which it would add were no handler so named.
            "queue_listener": {
                "class": f"{__name__}.RequestContextHandler",
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
    """Write every record the root's handlers hold so far."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, RequestContextHandler):
            handler.flush()
