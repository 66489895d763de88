"""Printable documents of the window, in Chinese: 受理回执 and 一次性告知书 (HTML with print CSS)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


from jiuzhu_kernel.district_config import DistrictConfig
from jiuzhu_runtime.documents import document_environment

from jiuzhu_intake.domain.application import ApplicationContent

CATEGORY_ZH = {"dibao": "城乡最低生活保障", "tekun": "城乡特困人员救助供养", "low_income": "城乡低收入家庭",
               "temporary": "临时救助"}


def zh_date(day: dt.date | str | None) -> str:
    if day is None:
        return ""
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return f"{day.year}年{day.month}月{day.day}日"


class Documents:
    def __init__(self, config: DistrictConfig, jurisdiction: str):
        self.config, self.jurisdiction = config, config.jurisdiction(jurisdiction)
        self.env = document_environment(Path(__file__).parent / "templates")
        self.env.filters["zh_date"] = zh_date
        self.env.globals.update(CATEGORY_ZH=CATEGORY_ZH, district=config.district, jurisdiction=self.jurisdiction)

    def labels(self) -> dict[str, str]:
        return {m.code: m.label for m in self.config.materials}

    def receipt(self, case) -> str:
        return self.env.get_template("receipt.html").render(case=case, labels=self.labels(),
                                                            due=case.dues.get("investigation"))

    def correction_notice(self, application, content: ApplicationContent) -> str:
        return self.env.get_template("correction_notice.html").render(
            application=application, content=content, items=application.notice_items)
