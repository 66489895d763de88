"""统计: the statistics page for the district's staff (the district's, or one jurisdiction's) and for
a jurisdiction's leader and clerk (its own: plan 四(二)3–4 数据统计报送) — a month or a year, drawn
as charts on the server, with the CSV/XLSX straight from oversight under the person's own token.
Oversight decides whose figures are read; a refusal is shown with its rule."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from jiuzhu_console.adapters import charts
from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.entrypoints.web import Web
from jiuzhu_console.service_layer import statistics_view as st
from jiuzhu_console.service_layer.supervision import month_of

PASSED_ON = ("content-type", "content-disposition")


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    console = web.console

    def forbidden(request, person, today):
        return web.render(request, "message.html", person, title="无权访问", today=today, status_code=403,
                          message="统计仅供区民政局工作人员（督查、社会救助科、审计）及街道（乡镇）分管领导、"
                                  "窗口工作人员查看。")

    def scope_of(person, jurisdiction: str) -> str | None:
        """District staff: the jurisdiction chosen, or the district (None); a jurisdiction's staff: the
        one asked for, so that oversight refuses another's with its rule, else their own."""
        if person.at_district:
            return jurisdiction or None
        return jurisdiction or person.jurisdiction

    @pages.get("/statistics")
    async def statistics(request: Request, month: str = "", year: str = "", jurisdiction: str = ""):
        person = web.person(request)
        today = await console.today()
        if not st.may_read(person):
            return forbidden(request, person, today)
        period = st.period_of(month, year, month_of(today))
        scope = scope_of(person, jurisdiction)
        rows, refusal, status = [], None, 200
        try:
            rows = await console.api.get("oversight", None, "/statistics", person.token,
                                         params=period.query | {"jurisdiction": scope})
        except ApiRefused as exc:
            refusal, status = exc, (exc.status if exc.status < 500 else 503)
        names = st.labels()
        stage_names, stage_series = st.working_days_against_deadlines(rows, console.config.deadlines)
        clock_names, clock_series = st.clocks(rows)
        empty = f"{period.zh}无数据"
        drawn = {
            "persons": charts.bars(f"{period.zh}末在保户数与人数（按类别）", names, st.households_and_persons(rows),
                                   empty=empty),
            "movement": charts.bars(f"{period.zh}新增、停发、变更（按类别）", names, st.movement(rows), empty=empty),
            "amounts": charts.bars(f"{period.zh}末在保金额（元，按类别）", names, st.amounts_yuan(rows), empty=empty),
            "stages": charts.bars("各环节平均用时与时限（工作日）", stage_names, stage_series, horizontal=True,
                                  empty=f"{period.zh}没有办结的案件"),
            "clocks": charts.bars("时限执行：按时办结与超时（按时限）", clock_names, clock_series, horizontal=True,
                                  empty=f"{period.zh}没有到期的时限"),
            "spot_checks": charts.bars(f"{period.zh}备案抽查结果（按类别）", names, st.spot_checks(rows),
                                       empty=f"{period.zh}尚无抽查样本"),
        }
        scope_name = console.jurisdiction_name(scope) if scope else "全区"
        query = period.query | ({"jurisdiction": scope} if scope else {})
        return web.render(request, "statistics/page.html", person, status_code=status, today=today, period=period,
                          scope=scope, scope_name=scope_name, rows=rows, charts=drawn, totals=st.totals(rows),
                          jurisdictions=console.config.jurisdictions, refusal=refusal, query=query,
                          month=period.value if not period.yearly else month_of(today),
                          year=period.value[:4])

    @pages.get("/statistics/download.{fmt}")
    async def download(request: Request, fmt: str, month: str = "", year: str = "", jurisdiction: str = ""):
        person = web.person(request)
        today = await console.today()
        if not st.may_read(person):
            return forbidden(request, person, today)
        if fmt not in ("csv", "xlsx") or not (st.MONTH.match(month or "") or st.YEAR.match(year or "")):
            return web.render(request, "message.html", person, title="无法下载", today=today, status_code=404,
                              message="请从统计页面选择月份或年度后下载 CSV 或 XLSX。")
        period = st.period_of(month, year, month)
        try:
            got = await console.api.request("GET", "oversight", None, "/statistics", person.token, params={
                **period.query, "format": fmt, **({"jurisdiction": s} if (s := scope_of(person, jurisdiction)) else {})})
        except ApiRefused as exc:
            return web.render(request, "message.html", person, title="无法下载", message=exc.message, today=today,
                              status_code=exc.status if exc.status < 500 else 503)
        return Response(got.content, headers={k: got.headers[k] for k in PASSED_ON if k in got.headers})

    return pages
