"""Chinese resident identity numbers (居民身份证号码), GB 11643-1999.

18 characters: 6-digit address code, 8-digit birth date, 3-digit sequence, 1 check character.
The check character is ISO 7064 MOD 11-2 over the first 17 digits.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


class InvalidResidentId(ValueError):
    pass


def check_character(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def validate_resident_id(value: str) -> str:
    """Return the normalised number (upper-case X) or raise with the rule that failed."""
    number = value.strip().upper()
    if not _SHAPE.match(number):
        raise InvalidResidentId("must be 18 characters: 17 digits then a digit or X (GB 11643)")
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidResidentId("characters 7–14 must be a real birth date YYYYMMDD (GB 11643)") from exc
    if born.year < 1880:
        raise InvalidResidentId("birth date is implausibly early (GB 11643)")
    if number[17] != check_character(number[:17]):
        raise InvalidResidentId("check character does not match (GB 11643 MOD 11-2)")
    return number


def birth_date(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def mask(number: str) -> str:
    """For internal screens only; public output never shows any part of an ID number."""
    return number[:3] + "*" * 11 + number[-4:]


ResidentId = Annotated[str, AfterValidator(validate_resident_id)]
