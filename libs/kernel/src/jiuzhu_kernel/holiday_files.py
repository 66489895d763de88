"""Holiday files: the rules one must follow, and reading them from disk (a file, a directory of
``*.json``, or several of either). Format: ``config/holidays/README.md``; shape:
``jiuzhu_contracts.holiday_calendar.HolidayFile``.

``problems`` is a plain function returning ``{"field", "rule"}`` items (rules in Chinese and English),
so the admin endpoint refuses a bad file with a 422 naming every field, and a service refuses to
start on one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from jiuzhu_contracts.holiday_calendar import HolidayFile

Problem = dict[str, str]

LONGEST_SPAN_DAYS = 15  # the longest holiday so far is 9 days (春节 2026); a longer span is a typing error


def _p(field: str, zh: str, en: str) -> Problem:
    return {"field": field, "rule": f"{zh} / {en}"}


def region_covers(region: str, district: str) -> bool:
    """A province-level code (650000) covers its districts (6502xx); a prefecture (650200) its own."""
    if region.endswith("0000"):
        return district[:2] == region[:2]
    return district[:4] == region[:4]


def problems(file: HolidayFile, *, district: str | None = None) -> list[Problem]:
    found: list[Problem] = []
    if file.scope == "regional" and file.region is None:
        found.append(_p("region", "地方节假日文件须写明地区", "a regional file names its region"))
    if file.scope == "national" and file.region is not None:
        found.append(_p("region", "全国节假日文件不写地区", "the national file names no region"))
    if file.scope == "national" and not file.holidays:
        found.append(_p("holidays", "全国节假日文件须列出当年的假日（国务院办公厅通知）",
                        "a national file lists the year's holidays (the State Council's notice)"))
    if file.region is not None and district and not region_covers(file.region.code, district):
        found.append(_p("region.code", f"地区须包含本区（{district}）", f"the region must contain district {district}"))
    years = {file.year - 1, file.year, file.year + 1}
    for i, span in enumerate(file.holidays):
        if span.last < span.start:
            found.append(_p(f"holidays[{i}].to", "结束日期不得早于开始日期", "a holiday ends on or after its first day"))
            continue
        if (span.last - span.start).days + 1 > LONGEST_SPAN_DAYS:
            found.append(_p(f"holidays[{i}].to", f"一段假期不超过{LONGEST_SPAN_DAYS}天",
                            f"one holiday lasts at most {LONGEST_SPAN_DAYS} days"))
        days = span.days()
        if not any(d.year == file.year for d in days) or any(d.year not in years for d in days):
            found.append(_p(f"holidays[{i}].from", f"假期须在文件年份（{file.year}）内，跨年元旦可延至相邻年份",
                            f"a holiday lies in the file's year {file.year} (a New Year holiday may cross it)"))
    holidays = file.holiday_days()
    for i, work in enumerate(file.workdays):
        if work.date.year != file.year:
            found.append(_p(f"workdays[{i}].date", f"调休上班日须在文件年份（{file.year}）内",
                            f"a working day lies in the file's year {file.year}"))
        if work.date.weekday() < 5:
            found.append(_p(f"workdays[{i}].date", "调休上班日须为周六或周日",
                            "a made-up working day is a Saturday or a Sunday"))
        if work.date in holidays:
            found.append(_p(f"workdays[{i}].date", "同一天不能既放假又上班", "a day is not both a holiday and a working day"))
    return found


def sha256(file: HolidayFile) -> str:
    return hashlib.sha256(canonical(file)).hexdigest()


def canonical(file: HolidayFile) -> bytes:
    return json.dumps(file.model_dump(mode="json", by_alias=True), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode()


def paths(where: Iterable[Path]) -> list[Path]:
    """The files ``where`` names: files as given, directories as their ``*.json``, sorted."""
    out: list[Path] = []
    for path in where:
        out.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    return out


class HolidayFileError(ValueError):
    """A holiday file that cannot be used: one line naming the file, the field and the rule."""


def read(path: Path, *, district: str | None = None) -> HolidayFile:
    """One file, checked; ``HolidayFileError`` naming the file, the field and the rule otherwise."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise HolidayFileError(f"holiday file {path}: does not exist") from None
    except OSError as exc:
        raise HolidayFileError(f"holiday file {path}: cannot be read ({exc.strerror})") from None
    try:
        file = HolidayFile.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise HolidayFileError(f"holiday file {path}: {where + ': ' if where else ''}{first['msg']} "
                               f"(format jiuzhu.holidays/1, config/holidays/README.md)") from None
    found = problems(file, district=district)
    if found:
        raise HolidayFileError(f"holiday file {path}: " + "; ".join(f"{p['field']}: {p['rule']}" for p in found))
    return file


def read_all(where: Iterable[Path], *, district: str | None = None) -> list[HolidayFile]:
    """Every file of ``where`` (files and directories), in order: a later one with the same key wins."""
    return [read(path, district=district) for path in paths(where)]

