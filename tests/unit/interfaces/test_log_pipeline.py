"""The log pipeline's queue handler: batched writes keep every line, in order, and a
close (or the process's exit) writes what was queued before it."""

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from interfaces.logs import JsonLineFormatter, RequestContextQueueHandler


@pytest.fixture
def pipeline() -> Iterator[tuple[logging.Logger, RequestContextQueueHandler, io.StringIO]]:
    stream = io.StringIO()
    target = logging.StreamHandler(stream)
    target.setFormatter(JsonLineFormatter())
    handler = RequestContextQueueHandler([target])
    logger = logging.getLogger("tasklane.test_log_pipeline")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield logger, handler, stream
    logger.removeHandler(handler)
    handler.close()


def test_a_close_writes_every_queued_line_in_order(
    pipeline: tuple[logging.Logger, RequestContextQueueHandler, io.StringIO],
) -> None:
    logger, handler, stream = pipeline
    for number in range(2000):
        logger.info("line %d", number, extra={"n": number})
    handler.close()
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["n"] for line in lines] == list(range(2000))
    assert [line["event"] for line in lines[:2]] == ["line 0", "line 1"]


def test_drain_waits_for_the_lines_logged_before_it(
    pipeline: tuple[logging.Logger, RequestContextQueueHandler, io.StringIO],
) -> None:
    logger, handler, stream = pipeline
    logger.warning("first", extra={"password": "hunter2", "when": object()})
    handler.drain()
    [line] = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["event"] == "first"
    assert line["level"] == "warning"
    assert line["logger"] == "tasklane.test_log_pipeline"
    assert line["password"] == "[redacted]"
    # A value JSON cannot hold is written as its repr, never dropping the line.
    assert line["when"].startswith("<object object at")
    assert line["timestamp"].endswith("Z")


_LOG_THEN_EXIT = """
import logging, sys
from interfaces.logs import JsonLineFormatter, RequestContextQueueHandler
target = logging.StreamHandler(sys.stdout)
target.setFormatter(JsonLineFormatter())
logger = logging.getLogger("tasklane.exit")
logger.addHandler(RequestContextQueueHandler([target]))
logger.setLevel(logging.INFO)
for number in range(300):
    logger.info("line", extra={"n": number})
"""


def test_lines_logged_just_before_exit_are_written() -> None:
    # The listener lets lines gather before writing them: exiting must not lose them.
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
