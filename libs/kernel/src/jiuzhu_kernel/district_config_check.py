"""Is a district file ready for a business date? What is missing, in words (``./jz config check``).

The services refuse, case by case, what the file lacks (a review without the year's standard is a
409); this says it all at once, before anyone is at the window: the year's benefit standards, an
approving body for every jurisdiction and category, the working-day calendar's holidays for the
year, and ``[limits]`` that leave room for what the standards themselves make payable.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from jiuzhu_contracts.base import Area, Category
from jiuzhu_kernel.district_config import STANDARDS_LOOKED_UP, DistrictConfig, standard_lines
from jiuzhu_kernel.working_days import WorkingDayCalendar, official_years

# The household size the limits must leave room for. Not a rule of the statute: a generous size,
# so that a real case never meets a limit.
LARGE_HOUSEHOLD = 10


@dataclass(frozen=True)
class Finding:
    """One thing the file lacks. ``blocking``: a case cannot be finished on the date without it;
    otherwise a note about what comes soon after (the next year)."""

    topic: str  # file | standards | authority | calendar | limits
    text: str
    fix: str = ""
    blocking: bool = True


class ConfigUnreadable(ValueError):
    """The file cannot be read as a district configuration; ``problems`` says why, in words."""

    def __init__(self, path: Path, problems: list[str]):
        self.path, self.problems = path, problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{path} is not a valid district file: {problems[0]}{more}")


def validation_problems(exc: ValidationError) -> list[str]:
    """Pydantic's errors as sentences: where in the file, and what is wrong there."""
    problems = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        given = error.get("input")
        shown = "" if error["type"] == "missing" or isinstance(given, (dict, list)) else f" (given: {given!r})"
        message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{where}: {message}{shown}" if where else message)
    return problems


def load(path: Path | str) -> DistrictConfig:
    """The district file, or ``ConfigUnreadable`` naming each problem (never a traceback's worth)."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigUnreadable(path, ["the file does not exist"]) from None
    except OSError as exc:
        raise ConfigUnreadable(path, [f"cannot be read: {exc.strerror}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigUnreadable(path, [f"not TOML: {exc}"]) from None
    try:
        return DistrictConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigUnreadable(path, validation_problems(exc)) from None


def missing_standards(config: DistrictConfig, year: int) -> list[Finding]:
    """Every (category, area) the review looks up needs a district line for ``year`` or a line of its
    own for each jurisdiction."""
    findings = []
    for category in STANDARDS_LOOKED_UP:
        for area in Area:
            lines = [s for s in config.standards if (s.category, s.area, s.year) == (category, area, year)]
            if any(s.jurisdiction is None for s in lines):
                continue
            own = {s.jurisdiction for s in lines}
            lacking = [j.code for j in config.jurisdictions if j.code not in own]
            if not lacking:
                continue
            where = "" if not own else f" (only {', '.join(sorted(own))} have their own; {', '.join(lacking)} do not)"
            needed_by = ("every category (low-income and temporary assistance derive from it)"
                         if category == Category.DIBAO else f"{category.value} cases")
            findings.append(Finding("standards", f"no {category.value} standard for {area.value} {year}{where}: "
                                    f"reviews of {needed_by} in {area.value} households are refused",
                                    fix=standard_lines(category, area, year)))
    return findings


def duplicate_standards(config: DistrictConfig) -> list[Finding]:
    seen: dict[tuple, int] = {}
    for s in config.standards:
        key = (s.year, s.area, s.category, s.jurisdiction)
        seen[key] = seen.get(key, 0) + 1
    return [Finding("standards", f"{n} lines for the {category.value} standard, {area.value} {year}"
                    f"{' of ' + jurisdiction if jurisdiction else ''}: which one applies is not clear",
                    fix="keep one line")
            for (year, area, category, jurisdiction), n in seen.items() if n > 1]


def missing_authority(config: DistrictConfig, on: dt.date) -> list[Finding]:
    """The decision service refuses a decision (409) where no approving body is registered on the day."""
    findings = []
    for j in config.jurisdictions:
        lacking = [c.value for c in Category
                   if not any(r.jurisdiction == j.code and r.category in (None, c) and r.effective_from <= on
                              for r in config.authority)]
        if lacking:
            findings.append(Finding(
                "authority", f"no approving body for {j.code} {j.name} on {on} ({', '.join(lacking)}): "
                             "its decisions are refused",
                fix=f'[[authority]]\njurisdiction = "{j.code}"\nbody = "district_bureau"   # or "jurisdiction"\n'
                    f"effective_from = {on.replace(month=1, day=1)}\ninstrument = \"…\""))
    return findings


def _years(years) -> str:
    return ", ".join(map(str, sorted(years))) or "none"


def regional_years(calendar: WorkingDayCalendar) -> dict[tuple[str, str], set[int]]:
    """(region code, name) → the years its regional files cover."""
    regions: dict[tuple[str, str], set[int]] = {}
    for f in calendar.files:
        if f.scope == "regional" and f.region is not None:
            regions.setdefault((f.region.code, f.region.name), set()).add(f.year)
    return dict(sorted(regions.items()))


def loaded_files(calendar: WorkingDayCalendar) -> str:
    """What the calendar holds, in words: the national years and each region's."""
    official = official_years()
    national = {f.year for f in calendar.files if f.scope == "national"}
    words = [f"national: chinesecalendar {official.start}–{official.stop - 1}, national files {_years(national)}"]
    words += [f"regional {name} ({code}): {_years(years)}" for (code, name), years in regional_years(calendar).items()]
    return "; ".join(words)


def calendar_gap(calendar: WorkingDayCalendar, year: int, *, blocking: bool = True) -> list[Finding]:
    """The year's holidays the calendar lacks: the State Council's notice (neither ``chinesecalendar``
    nor a national file knows the year: deadlines there are provisional) and, for every region whose
    files are configured, that region's file for the year (without it its own days off count as
    working days). One finding, naming what is loaded and what is missing."""
    official = official_years()
    national = {f.year for f in calendar.files if f.scope == "national"}
    gaps, fixes = [], []
    if year not in official and year not in national:
        gaps.append(f"no national notice for {year} (chinesecalendar knows {official.start}–{official.stop - 1}; "
                    f"national holiday files loaded: {_years(national)}): deadlines there are provisional, "
                    "counted Monday to Friday")
        fixes.append(f"national-{year}.json from the State Council's notice 《国务院办公厅关于{year}年部分节假日安排的通知》"
                     " (scope national)")
    for (code, name), years in regional_years(calendar).items():
        if year not in years:
            gaps.append(f"no regional holidays of {name} ({code}) for {year} (its files loaded: {_years(years)}): "
                        "its own days off count as working days, so deadlines across them fall too early")
            fixes.append(f"{year}.json beside {name}'s other files, from the region's notice for {year} "
                         f"(scope regional, region {code})")
    if not gaps:
        return []
    also = ", or a newer chinesecalendar" if gaps[0].startswith("no national") else ""
    return [Finding("calendar", f"the working-day calendar lacks the holidays of {year}: " + "; ".join(gaps),
                    fix="; ".join(fixes) + " — format jiuzhu.holidays/1 (config/holidays/README.md), named in the "
                        "district file's holiday_files, by JZ_HOLIDAY_FILE or --holidays (a file or a directory), "
                        f"or published with ./jz calendar load (not seen by this check){also}", blocking=blocking)]


def longest_procedure(config: DistrictConfig) -> int:
    """Working days from acceptance to a decision after an objection, on the longest periods set."""
    d = config.deadlines

    def longest(name: str) -> int:
        return max([getattr(d, name)] + [o.values[name] for o in config.deadline_overrides if name in o.values])

    return (longest("investigation") + longest("review") + longest("publicity")
            + max(longest("decision"), longest("decision_after_objection")))


def unsound_limits(config: DistrictConfig, year: int) -> list[Finding]:
    """``[limits]`` must leave room for what the year's standards make payable to a large household;
    otherwise a correct amount, or the income of a household just above the line, is refused as a typo."""
    standards = [s.monthly_fen for s in config.standards if s.year == year]
    dibao = [s.monthly_fen for s in config.standards if s.year == year and s.category == Category.DIBAO]
    if not standards:
        return []
    limits, benefits, n = config.limits, config.benefits, LARGE_HOUSEHOLD
    needs = [
        ("amount_per_month_fen", max(max(standards) * n, max(dibao, default=0) * benefits.temporary_months),
         f"a month's benefit of {n} people on the highest {year} standard, and temporary assistance"),
        ("household_monthly_income_fen", max(dibao, default=0) * n * benefits.low_income_multiple_tenths // 10,
         f"the income of {n} people at the low-income line of {year}"),
        ("household_assets_fen", max(dibao, default=0) * n * benefits.asset_limit_months,
         f"the asset limit of {n} people in {year}"),
    ]
    return [Finding("limits", f"limits.{name} = {getattr(limits, name)} fen is below {what} ({needed} fen): "
                              "such entries would be refused as implausible",
                    fix=f"[limits]\n{name} = {needed}   # at least")
            for name, needed, what in needs if getattr(limits, name) < needed]


def _working_days_after(calendar: WorkingDayCalendar, start: dt.date, n: int) -> dt.date:
    """``calendar.add`` without its warning: here a provisional day is what is being reported."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        n -= calendar.is_working_day(day)
    return day


def check(config: DistrictConfig, on: dt.date, calendar: WorkingDayCalendar) -> list[Finding]:
    """What ``config`` lacks for cases on business date ``on``: blocking findings first, then notes
    on the next year when a case accepted on ``on`` can still be open in it."""
    findings = (missing_standards(config, on.year) + duplicate_standards(config)
                + missing_authority(config, on) + calendar_gap(calendar, on.year)
                + unsound_limits(config, on.year))
    horizon = _working_days_after(calendar, on, longest_procedure(config))
    if horizon.year > on.year:
        later = [Finding(f.topic, f"{f.text} (a case accepted on {on} can be reviewed there: its last "
                                  f"deadline can fall on {horizon})", f.fix, blocking=False)
                 for f in missing_standards(config, horizon.year)]
        later += [Finding(f.topic, f"{f.text} (a case accepted on {on} can run to {horizon})", f.fix, blocking=False)
                  for f in calendar_gap(calendar, horizon.year)]
        findings += later
    return findings

