"""Chinese resident identity numbers (居民身份证号码), GB 11643-1999.

18 characters: 6-digit address code, 8-digit birth date, 3-digit sequence, 1 check character.
The check character is ISO 7064 MOD 11-2 over the first 17 digits.

Every number is normalised **before** any check: Unicode NFKC (a Chinese IME in full-width mode
types ``６５０２０５…``, which NFKC folds to ASCII), surrounding blanks removed, ``x`` upper-cased.
What survives is ASCII only, so two spellings of one person's number compare equal everywhere the
system compares numbers (close-relative recusal, the one-open-case rule, the duplicate alert).
Python's ``\\d`` matches any Unicode decimal digit, which is how full-width digits used to pass:
the shape below is ASCII-only on purpose.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$", re.ASCII)
EARLIEST_BIRTH = dt.date(1880, 1, 1)
# The latest calendar date anywhere on Earth (UTC+14): a birth date after it is in the future for
# every district. The exact check against the district's business date is made by the services.
_LATEST_ZONE = dt.timezone(dt.timedelta(hours=14))


class InvalidResidentId(ValueError):
    pass


def check_character(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise_resident_id(value: str) -> str:
    """NFKC, strip, upper-case: ``６５０２０５…ｘ`` → ``650205…X``. No check is made here."""
    return unicodedata.normalize("NFKC", value).strip().upper()


def validate_resident_id(value: str, *, today: dt.date | None = None) -> str:
    """Return the normalised number or raise with the rule that failed (中文 / English).

    ``today``: the business date when the caller knows it; else the latest date on Earth now."""
    number = normalise_resident_id(value)
    if not _SHAPE.match(number):
        raise InvalidResidentId("身份证号码须为18位：17位数字加1位数字或X / "
                                "must be 18 characters: 17 digits then a digit or X (GB 11643)")
    try:
        born = birth_date(number)
    except ValueError as exc:
        raise InvalidResidentId("身份证号码第7至14位须为真实的出生日期 / "
                                "characters 7–14 must be a real birth date YYYYMMDD (GB 11643)") from exc
    if born < EARLIEST_BIRTH:
        raise InvalidResidentId(f"出生日期早于{EARLIEST_BIRTH.year}年，不合理 / "
                                f"birth date is implausibly early, before {EARLIEST_BIRTH.year} (GB 11643)")
    latest = today or dt.datetime.now(_LATEST_ZONE).date()
    if born > latest:
        raise InvalidResidentId(f"出生日期{born.isoformat()}晚于今天 / birth date {born.isoformat()} is in the "
                                "future (GB 11643)")
    if number[17] != check_character(number[:17]):
        raise InvalidResidentId("身份证号码校验码不符 / check character does not match (GB 11643 MOD 11-2)")
    return number


def birth_date(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def mask(number: str) -> str:
    """For internal screens only; public output never shows any part of an ID number."""
    return number[:3] + "*" * 11 + number[-4:]


def _validate(value: str) -> str:
    return validate_resident_id(value)


ResidentId = Annotated[str, AfterValidator(_validate)]
"""A resident ID number in any request body or event: normalised (NFKC → ASCII, upper-case X)
before it is checked, so what the model holds — and what is stored and compared — is normalised."""
