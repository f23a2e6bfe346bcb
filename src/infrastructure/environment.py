"""One typed value from the environment: as given, the default when unset or empty, or
refused with a message naming the variable and the fix; never quietly the default.
"""

import math
from collections.abc import Mapping
from typing import TypeVar


class SettingsError(ValueError):
    """The environment describes a service that must not start."""


def choice(
    env: Mapping[str, str],
    name: str,
    allowed: tuple[str, ...],
    default: str,
    *,
    upper: bool = False,
) -> str:
    given = env.get(name) or default
    value = given.upper() if upper else given
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, not {given!r}")
    return value


_Default = TypeVar("_Default")


def whole_number(
    env: Mapping[str, str], name: str, default: _Default, *, minimum: int = 1
) -> int | _Default:
    """A whole number of at least ``minimum``; ``default`` when unset or empty."""
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise SettingsError(
            f"{name} must be a whole number of at least {minimum}, not {value!r}{_UNSET}"
        )
    return number


def seconds(
    env: Mapping[str, str],
    name: str,
    default: _Default,
    *,
    zero: bool = False,
    unit: str = "seconds",
) -> float | _Default:
    """A duration in ``unit``, above zero (or at least zero with ``zero``); ``default``
    when unset or empty.
    """
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0 or (number == 0 and not zero):
        bound = "0 or more" if zero else "more than 0"
        raise SettingsError(f"{name} must be a number of {unit}, {bound}, not {value!r}{_UNSET}")
    return number


# Said with every refused number: the way back to the documented default.
_UNSET = " (or leave it unset for the default)"


def flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name} must be true or false, not {value!r}")
