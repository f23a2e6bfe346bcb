"""Fresh request ids: random hex cut from batches of the OS's random source."""

import os
import re
import threading
from typing import Any

from interfaces.http import request_id
from interfaces.http.request_id import request_id_of

_HEX32 = re.compile(r"[0-9a-f]{32}")


def _fresh() -> str:
    scope: Any = {"type": "http", "headers": []}
    return request_id_of(scope)


def test_fresh_ids_are_32_hex_digits_and_never_repeat_across_batches() -> None:
    # Past several batches, so refills are crossed too.
    ids = [_fresh() for _ in range(5 * request_id._BATCH // request_id._ID_BYTES + 7)]
    assert all(_HEX32.fullmatch(i) for i in ids)
    assert len(set(ids)) == len(ids)


def test_an_id_is_chosen_once_per_request() -> None:
    scope: Any = {"type": "http", "headers": []}
    assert request_id_of(scope) == request_id_of(scope)


def test_threads_cut_their_own_batches() -> None:
    seen: list[list[str]] = []

    def take() -> None:
        seen.append([_fresh() for _ in range(300)])

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [i for chunk in seen for i in chunk]
    assert len(set(ids)) == len(ids) == 1200


def test_a_forked_child_does_not_reuse_the_parents_batch() -> None:
    _fresh()  # the parent holds a batch with ids left in it
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        try:
            os.write(writer, _fresh().encode())
        finally:
            os._exit(0)
    os.close(writer)
    try:
        child = os.read(reader, 64).decode()
    finally:
        os.close(reader)
        os.waitpid(pid, 0)
    # Without the reset the child would cut the parent's next id.
    assert _HEX32.fullmatch(child)
    assert child != _fresh()
