"""``./jz config check``: is the district file ready for the business date? Exit 0 when it is,
1 with the list of what is missing (the findings of ``jiuzhu_kernel.district_config_check``)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import textwrap
from zoneinfo import ZoneInfo

from pathlib import Path

from jiuzhu_kernel.district_config_check import ConfigUnreadable, Finding, check, load, loaded_files
from jiuzhu_kernel.holiday_files import HolidayFileError
from jiuzhu_kernel.working_days import calendar_for


def run(args: argparse.Namespace) -> int:
    extra = args.holidays or os.environ.get("JZ_HOLIDAY_FILE") or None
    try:
        config = load(args.config)
    except ConfigUnreadable as exc:
        print(f"{exc.path} cannot be used — not ready:")
        for problem in exc.problems:
            print(f"  * {problem}")
        return 1
    try:  # the calendar every service of this district file starts with
        calendar = calendar_for(config, Path(args.config).parent, extra)
    except HolidayFileError as exc:
        print(f"not ready: {exc} (every service refuses to start on it)")
        return 1
    if args.date:
        on, which = args.date, "given"
    else:
        on, which = dt.datetime.now(ZoneInfo(config.district.timezone)).date(), f"today in {config.district.timezone}"
    print(f"district file   {args.config}: {config.district.name} ({config.district.code}), "
          f"{len(config.jurisdictions)} jurisdictions")
    print(f"business date   {on} ({which})")
    named = [f"{Path(args.config).parent / p} (holiday_files)" for p in config.holiday_files]
    named.append(f"{extra} ({'--holidays' if args.holidays else 'JZ_HOLIDAY_FILE'})" if extra
                 else "no JZ_HOLIDAY_FILE / --holidays")
    print(f"holiday files   {', '.join(named)}")
    print(f"                loaded: {loaded_files(calendar)}")
    findings = check(config, on, calendar)
    blocking = [f for f in findings if f.blocking]
    notes = [f for f in findings if not f.blocking]
    if blocking:
        print(f"\nNOT READY for {on}: {len(blocking)} missing")
        _list(blocking)
    else:
        print(f"\nready for {on}: standards, approving bodies, holidays and limits are in place.")
    if notes:
        print("\nsoon after (not needed today):")
        _list(notes)
    return 1 if blocking else 0


def _list(findings: list[Finding]) -> None:
    for n, finding in enumerate(findings, 1):
        print(textwrap.fill(f"{n}. {finding.topic}: {finding.text}", width=100, subsequent_indent="   "))
        if finding.fix.startswith("["):
            print("   add to the district file:")
            print(textwrap.indent(finding.fix, "     "))
        elif finding.fix:
            print(textwrap.fill(f"fix: {finding.fix}", width=100, initial_indent="   ", subsequent_indent="     "))


def date_argument(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
