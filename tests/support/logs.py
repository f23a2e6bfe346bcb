"""What an app's log pipeline writes, captured as text and as JSON objects."""

import io
import json
import logging
from typing import Any

from interfaces.logs import RequestContextHandler, drain_logs


class Captured:
    """The log output of the last app built, once ``capture_logs`` redirected it."""

    def __init__(self) -> None:
        self.stream = io.StringIO()

    @property
    def text(self) -> str:
        drain_logs()
        return self.stream.getvalue()

    @property
    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines()]


def capture_logs(captured: Captured) -> None:
    """Send the pipeline's output (configured by the last ``create_app``) to ``captured``."""
    [handler] = [h for h in logging.getLogger().handlers if isinstance(h, RequestContextHandler)]
    for target in handler.targets:
        assert isinstance(target, logging.StreamHandler)
        target.setStream(captured.stream)
