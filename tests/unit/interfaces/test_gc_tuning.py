"""The server's garbage-collector settings at start-up."""

import gc
from collections.abc import Iterator

import pytest

from interfaces.gc_tuning import YOUNG_THRESHOLD, tune_garbage_collector


@pytest.fixture
def restored_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


@pytest.mark.asyncio
@pytest.mark.usefixtures("restored_collector")
async def test_start_up_freezes_the_app_and_widens_the_young_generation() -> None:
    _, middle, old = gc.get_threshold()
    await tune_garbage_collector()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (YOUNG_THRESHOLD, middle, old)


@pytest.mark.asyncio
@pytest.mark.usefixtures("restored_collector")
async def test_cyclic_garbage_is_still_collected_on_its_own() -> None:
    await tune_garbage_collector()

    class Node:
        def __init__(self) -> None:
            self.me = self

    collected: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            collected.append(info["collected"])

    gc.collect()
    gc.callbacks.append(note)
    try:
        for _ in range(YOUNG_THRESHOLD * 2):
            Node()
    finally:
        gc.callbacks.remove(note)
    # No explicit collect: the young generation filled up and was collected by itself.
    assert collected
    assert sum(collected) >= YOUNG_THRESHOLD // 2
