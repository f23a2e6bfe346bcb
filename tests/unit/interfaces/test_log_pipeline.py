"""The log pipeline's handler: records logged on an event loop wait for a flush that
loop runs, and are written in batches that keep every line, in order; records logged
elsewhere are written at once; a drain, a close or the process's exit writes what
waits."""

import asyncio
import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from interfaces.logs import GATHER_S, JsonLineFormatter, RequestContextHandler

Pipeline = tuple[logging.Logger, RequestContextHandler, io.StringIO]


@pytest.fixture
def pipeline() -> Iterator[Pipeline]:
    stream = io.StringIO()
    target = logging.StreamHandler(stream)
    target.setFormatter(JsonLineFormatter())
    handler = RequestContextHandler([target])
    logger = logging.getLogger("tasklane.test_log_pipeline")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield logger, handler, stream
    logger.removeHandler(handler)
    handler.close()


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_lines_logged_off_any_event_loop_are_written_at_once(pipeline: Pipeline) -> None:
    logger, _, stream = pipeline
    for number in range(3):
        logger.info("line %d", number, extra={"n": number})
    assert [line["n"] for line in _lines(stream)] == [0, 1, 2]


def test_lines_logged_on_an_event_loop_are_written_by_that_loop_in_order(
    pipeline: Pipeline,
) -> None:
    logger, _, stream = pipeline

    async def serve() -> list[dict[str, Any]]:
        for number in range(2000):
            logger.info("line %d", number, extra={"n": number})
        waiting = _lines(stream)
        # A timer set after the flush's runs after it.
        await asyncio.sleep(GATHER_S * 2)
        assert not waiting
        return _lines(stream)

    lines = asyncio.run(serve())
    assert [line["n"] for line in lines] == list(range(2000))
    assert [line["event"] for line in lines[:2]] == ["line 0", "line 1"]


def test_a_close_writes_what_a_stopped_loop_left_waiting(pipeline: Pipeline) -> None:
    logger, handler, stream = pipeline

    async def log() -> None:
        logger.info("last words")

    asyncio.run(log())
    assert not _lines(stream)
    handler.close()
    assert [line["event"] for line in _lines(stream)] == ["last words"]


def test_drain_writes_the_lines_logged_before_it(pipeline: Pipeline) -> None:
    logger, handler, stream = pipeline

    async def log() -> None:
        logger.info("first", extra={"password": "hunter2", "when": object()})
        assert not _lines(stream)
        handler.flush()
        [line] = _lines(stream)
        assert line["event"] == "first"
        assert line["level"] == "info"
        assert line["logger"] == "tasklane.test_log_pipeline"
        assert line["password"] == "[redacted]"
        # A value JSON cannot hold is written as its repr, never dropping the line.
        assert line["when"].startswith("<object object at")
        assert line["timestamp"].endswith("Z")

    asyncio.run(log())


def test_a_warning_is_written_at_once_with_the_lines_before_it(pipeline: Pipeline) -> None:
    logger, _, stream = pipeline

    async def log() -> None:
        logger.info("routine")
        logger.warning("trouble")
        assert [line["event"] for line in _lines(stream)] == ["routine", "trouble"]

    asyncio.run(log())


def test_a_message_its_arguments_do_not_fit_is_reported_not_raised(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    logger, handler, stream = pipeline
    reported: list[logging.LogRecord] = []
    monkeypatch.setattr(handler, "handleError", reported.append)
    # Handed to the handler itself: pytest's own capture would raise on this record.
    unfit = logger.makeRecord(logger.name, logging.INFO, "", 0, "%d lines", ("many",), None)
    assert not handler.handle(unfit)
    logger.info("next")
    assert reported == [unfit]
    assert [line["event"] for line in _lines(stream)] == ["next"]


_LOG_THEN_EXIT = """
import asyncio, logging, sys
from interfaces.logs import JsonLineFormatter, RequestContextHandler
target = logging.StreamHandler(sys.stdout)
target.setFormatter(JsonLineFormatter())
logger = logging.getLogger("tasklane.exit")
logger.addHandler(RequestContextHandler([target]))
logger.setLevel(logging.INFO)

async def serve():
    for number in range(300):
        logger.info("line", extra={"n": number})

asyncio.run(serve())
"""


def test_lines_logged_just_before_exit_are_written() -> None:
    # The loop that logged them ended before their flush: exiting must not lose them.
    source = Path(__file__).resolve().parents[3] / "src"
    done = subprocess.run(
        [sys.executable, "-c", _LOG_THEN_EXIT],
        env={**os.environ, "PYTHONPATH": str(source)},
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["n"] for line in lines] == list(range(300))
