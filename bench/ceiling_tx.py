"""The harness's raw-asyncpg ceiling with its two writes in a transaction: the yardstick
for a service that keeps one transaction per unit of work.

The ceiling writes in autocommit, one round trip per create or update; a transaction
adds BEGIN and COMMIT. Serving this copy beside the ceiling (``make bench
BENCH_CEILING_TX=1``) shows what those two round trips cost the ceiling itself.

Run: ``python -m bench.ceiling_tx HARNESS_DIR`` with the harness's environment (HOST,
PORT, DATABASE_URL, ...). It copies ``HARNESS_DIR/ceiling`` to one temporary directory
(replaced at each run), wraps the connection of ``create_task`` and ``update_task`` in
``conn.transaction()``, and runs the copy's own ``run.sh``. It refuses to start when the
ceiling's code no longer has the shape it rewrites.
"""

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

# The writes the ceiling serves, each acquiring its connection once.
WRITES = ("create_task", "update_task")
_ACQUIRE = "async with pool.acquire() as conn:"
_IN_TRANSACTION = "async with pool.acquire() as conn, conn.transaction():"


class ShapeError(ValueError):
    """The ceiling's code is not the shape this rewrite expects."""


def transactional(source: str) -> str:
    """``source`` with the connection of each write function taken in a transaction."""
    for name in WRITES:
        match = re.search(rf"^async def {name}\(.*?(?=^(?:async )?def |\Z)", source, re.M | re.S)
        if match is None:
            raise ShapeError(f"the ceiling has no `async def {name}`")
        body = match.group(0)
        if body.count(_ACQUIRE) != 1:
            raise ShapeError(f"`{name}` does not acquire its connection exactly once")
        source = source.replace(body, body.replace(_ACQUIRE, _IN_TRANSACTION))
    return source


def main(harness: str) -> None:
    ceiling = Path(harness) / "ceiling"
    copy = Path(tempfile.gettempdir()) / "tasklane-ceiling-tx"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(ceiling, copy)
    app = copy / "app.py"
    app.write_text(transactional(app.read_text()))
    run = str(copy / "run.sh")
    # Replaced, not a child: the harness signals and times this very process.
    os.execv(run, [run])  # noqa: S606 - the harness's own start script, no shell needed


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m bench.ceiling_tx HARNESS_DIR")
    main(sys.argv[1])
