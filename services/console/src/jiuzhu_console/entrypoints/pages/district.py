"""全区概况: the district at a glance for its staff — the month's statistics per jurisdiction and
category as charts drawn on the server (plan 四(一)6), the month's breaches by stage and the duties
overdue now by stage (plan 六(二)), spot-check outcomes,
and the statistics as CSV/XLSX straight from oversight with the person's own token."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from jiuzhu_console.adapters import charts
from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain.labels import clock
from jiuzhu_console.entrypoints.web import Web
from jiuzhu_console.service_layer import supervision as sv

PASSED_ON = ("content-type", "content-disposition")


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    console = web.console

    def forbidden(request, person, today):
        return web.render(request, "message.html", person, title="无权访问", today=today, status_code=403,
                          message="全区概况仅供区民政局工作人员（督查、社会救助科、审计）查看；"
                                  "辖区工作人员请在本辖区工作台查看本辖区案件。")

    @pages.get("/district")
    async def district(request: Request, month: str = ""):
        person = web.person(request)
        today = await console.today()
        if not sv.may(person, "read"):
            return forbidden(request, person, today)
        month = sv.valid_month(month, sv.month_of(today))
        rows, checks, deadlines, refusal = [], [], {}, None
        try:
            rows = await console.api.get("oversight", None, "/statistics", person.token, month=month)
            checks = await console.api.get("oversight", None, "/spot-checks", person.token, month=month)
            deadlines = await console.api.get("oversight", None, "/deadlines", person.token)
        except ApiRefused as exc:
            refusal = exc
        totals = sv.by_jurisdiction(rows)
        codes = [t["jurisdiction"] for t in totals]
        names = [t["name"] for t in totals]
        overdue = sv.overdue_by_clock(deadlines)
        late_clocks, late = sv.breaches_by_clock(rows, codes)
        drawn = {
            "decisions": charts.bars("各辖区申请与决定", names,
                                     {label: [t[k] for t in totals] for k, label in sv.COUNTS[:5]}),
            "active": charts.bars("各辖区在保户数（按类别）", names,
                                  sv.series_by_category(rows, "active_households", codes), stacked=True),
            "breaches": charts.bars("本月超时（按辖区、类别）", names,
                                    sv.series_by_category(rows, "breaches", codes), stacked=True),
            "by_stage": charts.bars("本月超时（按环节）", [clock(c) for c in late_clocks],
                                    {name: late[code] for code, name in zip(codes, names)}, stacked=True,
                                    horizontal=True, empty="本月没有超时"),
            "overdue": charts.bars("截至今日仍超期未办（按环节）", [clock(c) for c in overdue],
                                   {"超期事项": list(overdue.values())}, horizontal=True, empty="目前没有超期事项"),
            "spot_checks": charts.pie(f"{sv.zh_month(month)}备案抽查结论", sv.outcome_counts(checks),
                                      empty="该月尚无抽查样本"),
        }
        return web.render(request, "district/overview.html", person, today=today, month=month,
                          zh_month=sv.zh_month(month), rows=rows, totals=totals, charts=drawn, overdue=overdue,
                          counts=sv.outcome_counts(checks), COUNTS=sv.COUNTS, STAGE_SPANS=sv.STAGE_SPANS,
                          refusal=refusal)

    @pages.get("/district/statistics.{fmt}")
    async def download(request: Request, fmt: str, month: str = ""):
        person = web.person(request)
        today = await console.today()
        if not sv.may(person, "read"):
            return forbidden(request, person, today)
        if fmt not in ("csv", "xlsx") or not sv.MONTH.match(month or ""):
            return web.render(request, "message.html", person, title="无法下载", today=today, status_code=404,
                              message="请从全区概况页面选择月份后下载 CSV 或 XLSX。")
        try:
            got = await console.api.request("GET", "oversight", None, "/statistics", person.token,
                                            params={"month": month, "format": fmt})
        except ApiRefused as exc:
            return web.render(request, "message.html", person, title="无法下载", message=exc.message, today=today,
                              status_code=exc.status if exc.status < 500 else 503)
        headers = {k: got.headers[k] for k in PASSED_ON if k in got.headers}
        return Response(got.content, headers=headers)

    return pages
