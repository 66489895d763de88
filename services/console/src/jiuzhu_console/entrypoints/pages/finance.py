"""Pages of the console: finance (plan 五(五)) — a month's rosters, compiling and submitting them
(the bureau's social-assistance section), their exports, the finance bureau's payment confirmation,
the register of active recipients and the fund plan. Disbursement decides; these pages show."""

from __future__ import annotations


from fastapi import APIRouter, Request
from fastapi.responses import Response

from jiuzhu_contracts.base import Role

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain import rosters as R
from jiuzhu_console.entrypoints.web import Web

BA, FIN, INS, AUD = Role.BUREAU_ADMIN, Role.FINANCE, Role.INSPECTOR, Role.AUDITOR
SERVICE = "disbursement"
# The line-by-line form lists the lines awaiting confirmation, and the page the confirmed ones; beyond
# this many the form offers the whole batch only (a district roster can hold a million lines).
LINE_FORM_LIMIT = 500
# Where each line stands is fetched whole (the service's own ceiling) so the counts are the roster's.
STANDING_LIMIT = 100000
FUND_PLAN_MONTHS = 6
REGISTER_LIMIT = 2000


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    api = web.console.api

    def message(request, person, today, title: str, text: str, status: int):
        return web.render(request, "message.html", person, today=today, title=title, message=text, status_code=status)

    def refused_page(request, person, today, refusal: ApiRefused):
        status = refusal.status if 400 <= refusal.status < 500 else 503
        return message(request, person, today, "未能办理", refusal.message, status)

    def scope_name(scope: str) -> str:
        return web.console.jurisdiction_name(scope)

    @pages.get("/finance")
    async def finance(request: Request, month: str | None = None):
        person = web.person(request)
        today = await web.console.today()
        month = month if R.valid_month(month) else R.business_month(today)
        try:
            rosters = await api.get(SERVICE, None, "/rosters", person.token, month=month)
            plan = await api.get(SERVICE, None, "/fund-plan", person.token, start=month, months=FUND_PLAN_MONTHS)
        except ApiRefused as refusal:
            return refused_page(request, person, today, refusal)
        categories = sorted({c for m in plan for c in m["categories"]})
        return web.render(request, "finance/index.html", person, today=today, month=month, rosters=rosters,
                          plan=plan, categories=categories, R=R, scope_name=scope_name,
                          jurisdictions=web.console.config.jurisdictions,
                          may_compile=person.has(BA), may_see_register=person.has(BA, INS, AUD),
                          values={"month": month, "jurisdiction": ""})

    @pages.post("/finance/rosters")
    async def compile_(request: Request):
        person = web.person(request)
        form = await request.form()
        month = str(form.get("month", ""))
        values = {"month": month, "jurisdiction": str(form.get("jurisdiction", ""))}
        body = {"month": month, "jurisdiction": values["jurisdiction"] or None}
        try:
            made = await api.post(SERVICE, None, "/rosters", person.token, body)
        except ApiRefused as refusal:
            today = await web.console.today()
            shown = month if R.valid_month(month) else R.business_month(today)
            rosters, plan = [], []
            try:
                rosters = await api.get(SERVICE, None, "/rosters", person.token, month=shown)
                plan = await api.get(SERVICE, None, "/fund-plan", person.token, start=shown, months=FUND_PLAN_MONTHS)
            except ApiRefused:
                pass
            return web.refused(request, "finance/index.html", person, refusal, today=today, month=shown,
                               rosters=rosters, plan=plan, categories=sorted({c for m in plan for c in m["categories"]}),
                               R=R, scope_name=scope_name, jurisdictions=web.console.config.jurisdictions,
                               may_compile=person.has(BA), may_see_register=person.has(BA, INS, AUD), values=values)
        if made.get("unchanged"):
            web.flash(request, f"名册与上一版本相同，未生成新版本：{made['roster_id']}", "info")
        else:
            web.flash(request, f"已编制名册 {made['roster_id']}（{made['lines']} 行）")
        return web.back(f"/finance/rosters/{made['roster_id']}")

    async def roster_page(request, person, today, rid: str, **extra):
        roster = await api.get(SERVICE, None, f"/rosters/{rid}", person.token)
        before_month = R.previous_month(roster["month"])
        before = R.current_of(await api.get(SERVICE, None, "/rosters", person.token, month=before_month),
                              roster["scope"])
        stands = None
        if roster["status"] == "submitted":  # a roster's lines become payment claims when it is submitted
            limit = R.standing_limit(roster["lines"], STANDING_LIMIT)
            stands = R.standing(await api.get(SERVICE, None, f"/rosters/{rid}/payments", person.token, limit=limit),
                                limit, roster["lines"])
        awaiting = stands.awaiting if stands else []
        may_confirm = person.has(FIN) and bool(awaiting)
        may_export = person.has(BA, AUD) or (person.has(FIN) and roster["status"] == "submitted")
        extra.setdefault("values", {})
        return dict(today=today, roster=roster, before=before, before_month=before_month,
                    changes=R.month_difference(roster, before), stands=stands,
                    lines=awaiting if len(awaiting) <= LINE_FORM_LIMIT else [],
                    too_many=len(awaiting) > LINE_FORM_LIMIT, line_limit=LINE_FORM_LIMIT,
                    confirmed=stands.confirmed[:LINE_FORM_LIMIT] if stands else [],
                    may_confirm=may_confirm, may_export=may_export,
                    may_submit=person.has(BA) and roster["status"] == "compiled", R=R,
                    scope_name=scope_name(roster["scope"]), **extra)

    @pages.get("/finance/rosters/{rid}")
    async def roster(request: Request, rid: str):
        person = web.person(request)
        today = await web.console.today()
        if not R.ROSTER_ID.match(rid):
            return message(request, person, today, "没有这份名册", f"名册编号 {rid} 不正确。", 404)
        try:
            context = await roster_page(request, person, today, rid)
        except ApiRefused as refusal:
            return refused_page(request, person, today, refusal)
        return web.render(request, "finance/roster.html", person, **context)

    @pages.post("/finance/rosters/{rid}/submit")
    async def submit(request: Request, rid: str):
        person = web.person(request)
        if not R.ROSTER_ID.match(rid):
            return message(request, person, await web.console.today(), "没有这份名册", f"名册编号 {rid} 不正确。", 404)
        try:
            await api.post(SERVICE, None, f"/rosters/{rid}/submit", person.token)
        except ApiRefused as refusal:
            return await _refused_on_roster(request, person, rid, refusal)
        web.flash(request, f"名册 {rid} 已报送财政，名册已锁定。")
        return web.back(f"/finance/rosters/{rid}")

    @pages.post("/finance/rosters/{rid}/payments")
    async def confirm(request: Request, rid: str):
        person = web.person(request)
        if not R.ROSTER_ID.match(rid):
            return message(request, person, await web.console.today(), "没有这份名册", f"名册编号 {rid} 不正确。", 404)
        form = {k: str(v) for k, v in (await request.form()).items()}
        if form.get("all") == "paid":
            body, sent = {"all": "paid"}, None
        else:
            count = str(form.get("count", "0") or "0")
            sent = R.payment_form(form, min(int(count) if count.isascii() and count.isdigit() else 0,
                                            LINE_FORM_LIMIT))
            body = {"lines": sent.lines}
        try:
            done = await api.post(SERVICE, None, f"/rosters/{rid}/payments", person.token, body)
        except ApiRefused as refusal:
            if sent is not None:
                refusal = ApiRefused(refusal.status, refusal.message,
                                     {sent.field_of(f): rule for f, rule in refusal.fields.items()}, refusal.service)
            return await _refused_on_roster(request, person, rid, refusal, values=form)
        asked = "整批" if sent is None else f"{len(sent.lines)} 行"
        text = f"已确认 {done['confirmed']} 行：已发放 {done['paid']} 行，发放失败 {done['failed']} 行。"
        if sent is not None and done["confirmed"] < len(sent.lines):
            text += f"另有 {len(sent.lines) - done['confirmed']} 行此前已确认，未再更改。"
        elif sent is None and done["confirmed"] == 0:
            text = "名册各行此前均已确认，没有需要确认的行。"
        web.flash(request, f"{asked}确认：{text}", "ok" if done["confirmed"] else "info")
        return web.back(f"/finance/rosters/{rid}")

    async def _refused_on_roster(request, person, rid, refusal: ApiRefused, values: dict | None = None):
        today = await web.console.today()
        try:
            context = await roster_page(request, person, today, rid, values=values or {})
        except ApiRefused as again:
            return refused_page(request, person, today, again)
        return web.refused(request, "finance/roster.html", person, refusal, **context)

    async def export(request: Request, rid: str, fmt: str):
        person = web.person(request)
        if not R.ROSTER_ID.match(rid):
            return message(request, person, await web.console.today(), "没有这份名册", f"名册编号 {rid} 不正确。", 404)
        try:
            got = await api.raw(SERVICE, None, f"/rosters/{rid}/export.{fmt}", person.token)
        except ApiRefused as refusal:
            return refused_page(request, person, await web.console.today(), refusal)
        headers = {k: got.headers[k] for k in ("content-disposition", "x-roster-checksum") if k in got.headers}
        return Response(got.content, media_type=got.headers.get("content-type"), headers=headers)

    @pages.get("/finance/rosters/{rid}/export.csv")
    async def export_csv(request: Request, rid: str):
        return await export(request, rid, "csv")

    @pages.get("/finance/rosters/{rid}/export.xlsx")
    async def export_xlsx(request: Request, rid: str):
        return await export(request, rid, "xlsx")

    @pages.get("/finance/recipients")
    async def recipients(request: Request, jurisdiction: str | None = None):
        person = web.person(request)
        today = await web.console.today()
        codes = {j.code for j in web.console.config.jurisdictions}
        jurisdiction = jurisdiction if jurisdiction in codes else None
        try:
            rows = await api.get(SERVICE, None, "/recipients", person.token, limit=REGISTER_LIMIT,
                                 jurisdiction=jurisdiction)
        except ApiRefused as refusal:
            return refused_page(request, person, today, refusal)
        return web.render(request, "finance/recipients.html", person, today=today, rows=rows,
                          jurisdiction=jurisdiction or "", jurisdictions=web.console.config.jurisdictions,
                          scope_name=scope_name, month=R.business_month(today), limit=REGISTER_LIMIT)

    return pages
