"""资金需求预测 (plan 四(一)3; issue 16 item 4): disbursement's projected fund plan for the district
or one jurisdiction, charted by its parts, with the lines and the CSV/XLSX under the person's own
token. Disbursement decides who reads it (a jurisdiction's leader its own only)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from jiuzhu_console.adapters import charts
from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.entrypoints.web import Web
from jiuzhu_console.service_layer import fund_plan_view as fp

PASSED_ON = ("content-type", "content-disposition")


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    console = web.console

    @pages.get("/finance/fund-plan")
    async def plan(request: Request, jurisdiction: str = ""):
        person = web.person(request)
        today = await console.today()
        scope = jurisdiction or (None if person.at_district else person.jurisdiction)
        try:
            got = await console.api.get("disbursement", None, "/fund-plan/projection", person.token,
                                        jurisdiction=scope)
        except ApiRefused as exc:
            return web.render(request, "message.html", person, title="无法查看", message=exc.message, today=today,
                              status_code=exc.status if exc.status < 500 else 503)
        months = fp.months_of(got)
        chart = charts.bars("资金需求预测（元，按月）", fp.short_labels(months), fp.parts_yuan(got), stacked=True,
                            empty="暂无可预测的数据")
        return web.render(request, "finance/fund_plan.html", person, today=today, plan=got, chart=chart,
                          scope=scope, scope_name=console.jurisdiction_name(scope) if scope else "全区",
                          jurisdictions=console.config.jurisdictions)

    @pages.get("/finance/fund-plan.{fmt}")
    async def download(request: Request, fmt: str, jurisdiction: str = ""):
        person = web.person(request)
        today = await console.today()
        if fmt not in ("csv", "xlsx"):
            return web.render(request, "message.html", person, title="无法下载", today=today, status_code=404,
                              message="请下载 CSV 或 XLSX。")
        scope = jurisdiction or (None if person.at_district else person.jurisdiction)
        try:
            got = await console.api.request("GET", "disbursement", None, "/fund-plan/projection", person.token,
                                            params={"format": fmt, **({"jurisdiction": scope} if scope else {})})
        except ApiRefused as exc:
            return web.render(request, "message.html", person, title="无法下载", message=exc.message, today=today,
                              status_code=exc.status if exc.status < 500 else 503)
        return Response(got.content, headers={k: got.headers[k] for k in PASSED_ON if k in got.headers})

    return pages
