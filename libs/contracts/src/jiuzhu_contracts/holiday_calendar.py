"""A holiday file: one year of the official working-day calendar, national or regional.

* **national**: the State Council General Office's yearly notice (《国务院办公厅关于 <year> 年部分节假日
  安排的通知》). Loading one declares the year complete: a day it does not list follows Monday–Friday,
  and deadlines in that year are no longer provisional.
* **regional**: a province-level region's own statutory holidays, on top of the national calendar
  (Xinjiang: 肉孜节 and 古尔邦节, set yearly by the autonomous region's government under its
  少数民族习惯节日放假办法, 自治区人民政府令第174号). A regional file never makes a year complete.

The shape is checked here; the rules a file must follow (dates inside its year, a day not both a
holiday and a working day …) are ``jiuzhu_kernel.holiday_files.problems``, so that a refusal can name
the field. Documented with examples in ``config/holidays/README.md``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import ConfigDict, Field

from jiuzhu_contracts.base import Frozen

FORMAT = "jiuzhu.holidays/1"


class HolidaySource(Frozen):
    issuer: str = Field(min_length=2, max_length=200, description="发文机关, e.g. 国务院办公厅.")
    title: str = Field(min_length=2, max_length=400, description="文件标题.")
    reference: str | None = Field(None, max_length=100, description="文号, e.g. 国办发明电〔2024〕12号.")
    issued_on: dt.date | None = Field(None, description="成文日期, when known.")
    urls: tuple[str, ...] = Field((), max_length=10, description="Where the text can be read.")
    note: str | None = Field(None, max_length=2000, description="How the dates were checked; caveats.")


class Region(Frozen):
    code: str = Field(pattern=r"^\d{2}(0000|\d{2}00)$", description="Administrative code, e.g. 650000 (新疆).")
    name: str = Field(min_length=2, max_length=100)


class HolidaySpan(Frozen):
    name: str = Field(min_length=1, max_length=100, description="e.g. 春节, 肉孜节.")
    start: dt.date = Field(alias="from", description="First day off.")
    end: dt.date | None = Field(None, alias="to", description="Last day off (the first, if omitted).")

    model_config = Frozen.model_config | {"populate_by_name": True, "serialize_by_alias": True}

    @property
    def last(self) -> dt.date:
        return self.end or self.start

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.last - self.start).days + 1)]


class Workday(Frozen):
    name: str = Field(min_length=1, max_length=100, description="e.g. 春节调休上班.")
    date: dt.date = Field(description="A weekend day made a working day (调休).")


class HolidayFile(Frozen):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "format": "jiuzhu.holidays/1", "year": 2025, "scope": "regional",
        "region": {"code": "650000", "name": "新疆维吾尔自治区"},
        "source": {"issuer": "新疆维吾尔自治区人民政府办公厅",
                   "title": "关于2025年节假日放假调休日期和冬夏季作息时间安排的通知"},
        "holidays": [{"name": "肉孜节", "from": "2025-03-29", "to": "2025-03-31"},
                     {"name": "古尔邦节", "from": "2025-06-06", "to": "2025-06-10"}],
        "workdays": [], "pending": []}]})

    format: Literal["jiuzhu.holidays/1"] = Field(description="Version of this file format.")
    year: int = Field(ge=2004, le=2099)
    scope: Literal["national", "regional"]
    region: Region | None = Field(None, description="Required for a regional file; none for the national one.")
    source: HolidaySource
    holidays: tuple[HolidaySpan, ...] = Field((), max_length=60)
    workdays: tuple[Workday, ...] = Field((), max_length=30)
    pending: tuple[str, ...] = Field((), max_length=20, description=(
        "What the file does not settle yet and the operator must fill in (e.g. a date not announced)."))

    @property
    def key(self) -> str:
        """A later file with the same key replaces an earlier one (a corrected notice)."""
        return f"{self.scope}:{self.region.code if self.region else 'CN'}:{self.year}"

    def holiday_days(self) -> set[dt.date]:
        return {d for span in self.holidays for d in span.days()}

    def workday_days(self) -> set[dt.date]:
        return {w.date for w in self.workdays}
