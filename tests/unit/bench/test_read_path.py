"""The read-path benchmark's table: each layer against the one before it."""

from bench.read_path import table


def test_each_layer_adds_to_the_one_before_and_the_ceiling_stands_apart() -> None:
    results = {
        "driver": [30e-6, 40e-6, 35e-6],
        "sqlalchemy pool": [90e-6, 80e-6, 85e-6],
        "repository": [150e-6, 170e-6, 160e-6],
        "asyncpg pool (the ceiling's)": [100e-6, 110e-6, 105e-6],
    }

    rows = table(results).splitlines()[2:]

    assert rows == [
        "| driver | 35.0 | 30.0 |  |",
        "| sqlalchemy pool | 85.0 | 80.0 | +50.0 |",
        "| repository | 160.0 | 150.0 | +75.0 |",
        "| asyncpg pool (the ceiling's) | 105.0 | 100.0 |  |",
    ]
