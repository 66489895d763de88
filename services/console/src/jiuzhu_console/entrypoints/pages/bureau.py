"""The district bureau's pages (区级监督): deadlines across jurisdictions, filings, spot checks
(plan 五(四)), rectification orders (plan 六(二)), alerts, stranded cases, the audit trail. Each tab
shows only what the person's roles may see or do; oversight decides."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.entrypoints.web import Web
from jiuzhu_console.service_layer import supervision as sv

ORDER_KINDS = (("missed_coverage", "应保未保（漏保）"), ("irregular_approval", "审批不规范"), ("procedure", "办理程序问题"))
DECIDED_STAGES = (("approved", "批准"), ("refused", "不予批准"), ("ended", "已终止"))


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    console = web.console

    def forbidden(request, person, today, message="区级监督页面仅供区民政局督查、社会救助科和审计人员使用。"):
        return web.render(request, "message.html", person, title="无权访问", message=message, today=today,
                          status_code=403)

    async def page(request: Request, tab: str, template: str, person, today, **ctx):
        return web.render(request, f"bureau/{template}", person, today=today, tabs=sv.tabs_for(person), tab=tab,
                          may=lambda action: sv.may(person, action), **ctx)

    async def guard(request: Request, action: str = "read"):
        person = web.person(request)
        today = await console.today()
        return person, today, sv.may(person, action)

    async def get(person, path, **params):
        # In the query string: ServicesApi.get's own ``jurisdiction`` argument would take a
        # ``jurisdiction`` filter meant for oversight.
        clean = {k: v for k, v in params.items() if v is not None}
        return (await console.api.request("GET", "oversight", None, path, person.token, params=clean)).json()

    @pages.get("/bureau")
    async def bureau(request: Request):
        person, today, ok = await guard(request)
        tabs = sv.tabs_for(person)
        if not tabs:
            return forbidden(request, person, today)
        return RedirectResponse(tabs[0].url, status_code=303)

    # --- 期限 ------------------------------------------------------------------------------------
    @pages.get("/bureau/deadlines")
    async def deadlines(request: Request, within: int = 2):
        person, today, ok = await guard(request)
        if not ok:
            return forbidden(request, person, today)
        within = max(0, min(within, 30))
        rows, refusal = [], None
        try:
            rows = sv.deadline_rows(await get(person, "/deadlines", within_working_days=within), console, today)
        except ApiRefused as exc:
            refusal = exc
        return await page(request, "deadlines", "deadlines.html", person, today, rows=rows, within=within,
                          refusal=refusal)

    # --- 备案 ------------------------------------------------------------------------------------
    @pages.get("/bureau/filings")
    async def filings(request: Request, jurisdiction: str = "", stage: str = "", month: str = ""):
        person, today, ok = await guard(request)
        if not ok:
            return forbidden(request, person, today)
        jurisdiction = jurisdiction if jurisdiction in console.jurisdictions_of(person) else ""
        stages = [stage] if stage in dict(DECIDED_STAGES) else [s for s, _ in DECIDED_STAGES]
        month = month if sv.MONTH.match(month or "") else ""
        cases, refusal = [], None
        try:
            for s in stages:
                cases += await get(person, "/cases", stage=s, jurisdiction=jurisdiction or None, limit=1000)
        except ApiRefused as exc:
            refusal = exc
        return await page(request, "filings", "filings.html", person, today, rows=sv.filings(cases, month or None),
                          values={"jurisdiction": jurisdiction, "stage": stage, "month": month},
                          jurisdictions=console.jurisdictions_of(person), stages=DECIDED_STAGES,
                          stage_names=dict(DECIDED_STAGES), refusal=refusal)

    # --- 抽查 ------------------------------------------------------------------------------------
    async def spot_check_page(request, person, today, month, status_code=200, **ctx):
        checks, redraws, refusal = [], [], ctx.pop("refusal", None)
        try:
            checks = await get(person, "/spot-checks", month=month)
            if sv.may(person, "redraw"):
                for j in console.jurisdictions_of(person):
                    try:
                        redraws.append(await get(person, "/spot-checks/redraw", jurisdiction=j, month=month))
                    except ApiRefused as exc:
                        if exc.status != 404:
                            raise
                        redraws.append({"jurisdiction": j, "month": month, "missing": True})
        except ApiRefused as exc:
            refusal = refusal or exc
        response = await page(request, "spot-checks", "spot_checks.html", person, today, month=month, checks=checks,
                              redraws=redraws, counts=sv.outcome_counts(checks), outcome=sv.outcome,
                              OUTCOME=sv.OUTCOME, BECAUSE=sv.BECAUSE, refusal=refusal,
                              values=ctx.pop("values", {"month": month}), **ctx)
        response.status_code = status_code
        return response

    @pages.get("/bureau/spot-checks")
    async def spot_checks(request: Request, month: str = ""):
        person, today, ok = await guard(request)
        if not ok:
            return forbidden(request, person, today)
        return await spot_check_page(request, person, today, sv.valid_month(month, sv.previous_month(today)))

    @pages.post("/bureau/spot-checks/draw")
    async def draw(request: Request):
        person, today, ok = await guard(request, "draw")
        if not ok:
            return forbidden(request, person, today, "只有区民政局督查人员可以抽取备案抽查样本。")
        form = await request.form()
        month = str(form.get("month", ""))
        try:
            drawn = await console.api.post("oversight", None, "/spot-checks/draw", person.token, {"month": month})
        except ApiRefused as exc:
            shown = sv.valid_month(month, sv.previous_month(today))
            return await spot_check_page(request, person, today, shown, status_code=exc.status if exc.status < 500 else 503,
                                         refusal=exc, errors=exc.fields, values={"month": month})
        parts = []
        for d in drawn:
            name = console.jurisdiction_name(d["jurisdiction"])
            state = "此前已抽取" if d.get("already_drawn") else "本次抽取"
            parts.append(f"{name}：备案{d['filings']}件，应抽{d['required']}件，{state}{len(d['drawn'])}件")
        web.flash(request, f"{sv.zh_month(month)}备案抽查样本 — " + "；".join(parts))
        return web.back(f"/bureau/spot-checks?month={month}")

    async def findings_page(request, person, today, case_id, month, status_code=200, **ctx):
        checks = await get(person, "/spot-checks", month=month)
        check = next((c for c in checks if c["case_id"] == case_id), None)
        if check is None:
            return web.render(request, "message.html", person, title="未找到抽查案件", today=today, status_code=404,
                              message=f"{sv.zh_month(month)}的抽查样本中没有案件 {case_id}。")
        response = await page(request, "spot-checks", "findings.html", person, today, check=check, month=month,
                              FINDINGS=sv.FINDINGS, BECAUSE=sv.BECAUSE, outcome=sv.outcome(check), OUTCOME=sv.OUTCOME,
                              **ctx)
        response.status_code = status_code
        return response

    @pages.get("/bureau/spot-checks/{case_id}")
    async def findings_form(request: Request, case_id: str, month: str = ""):
        person, today, ok = await guard(request)
        if not ok:
            return forbidden(request, person, today)
        month = sv.valid_month(month, sv.previous_month(today))
        try:
            return await findings_page(request, person, today, case_id, month, values={})
        except ApiRefused as exc:
            return web.render(request, "message.html", person, title="无法读取抽查样本", message=exc.message,
                              today=today, status_code=exc.status if exc.status < 500 else 503)

    @pages.post("/bureau/spot-checks/{case_id}/findings")
    async def record_findings(request: Request, case_id: str):
        person, today, ok = await guard(request, "findings")
        if not ok:
            return forbidden(request, person, today, "只有区民政局督查人员可以记录抽查结论。")
        form = {k: str(v) for k, v in (await request.form()).items()}
        month = sv.valid_month(form.get("month"), sv.previous_month(today))
        body, errors = sv.parse_findings(form)
        if errors:
            return await findings_page(request, person, today, case_id, month, status_code=422, values=form,
                                       errors=errors)
        try:
            done = await console.api.post("oversight", None, f"/spot-checks/{case_id}/findings", person.token, body)
        except ApiRefused as exc:
            return await findings_page(request, person, today, case_id, month,
                                       status_code=exc.status if exc.status < 500 else 503, values=form,
                                       errors=exc.fields, refusal=exc)
        text = f"已记录 {case_id} 的抽查结论，书面反馈编号 {done['document_no']}"
        if done.get("rectification_order"):
            text += f"；存在问题，已发出整改通知 {done['rectification_order']}"
        web.flash(request, text)
        return web.back(f"/bureau/spot-checks?month={month}")

    # --- 整改 ------------------------------------------------------------------------------------
    async def orders_page(request, person, today, status_code=200, **ctx):
        orders, refusal = [], ctx.pop("refusal", None)
        try:
            orders = sv.order_rows(await get(person, "/rectifications"), console, today)
        except ApiRefused as exc:
            refusal = refusal or exc
        response = await page(request, "rectifications", "rectifications.html", person, today, orders=orders,
                              kinds=ORDER_KINDS, kind_names=dict(ORDER_KINDS), refusal=refusal,
                              jurisdiction_options=[(j, console.jurisdiction_name(j))
                                                    for j in console.jurisdictions_of(person)], **ctx)
        response.status_code = status_code
        return response

    @pages.get("/bureau/rectifications")
    async def rectifications(request: Request):
        person, today, ok = await guard(request)
        if not ok:
            return forbidden(request, person, today)
        return await orders_page(request, person, today, values={})

    @pages.post("/bureau/rectifications")
    async def order(request: Request):
        person, today, ok = await guard(request, "order")
        if not ok:
            return forbidden(request, person, today, "只有区民政局督查人员可以发出整改通知。")
        form = {k: str(v).strip() for k, v in (await request.form()).items() if k != "csrftoken"}
        body = {"jurisdiction": form.get("jurisdiction", ""), "kind": form.get("kind", ""),
                "findings": form.get("findings", ""), "concerning_case": form.get("concerning_case") or None}
        try:
            made = await console.api.post("oversight", None, "/rectifications", person.token, body)
        except ApiRefused as exc:
            return await orders_page(request, person, today, status_code=exc.status if exc.status < 500 else 503,
                                     values=form, errors=exc.fields, refusal=exc)
        web.flash(request, f"已向{console.jurisdiction_name(body['jurisdiction'])}发出整改通知 {made['order_no']}")
        return web.back("/bureau/rectifications")

    # --- 预警 / 安全 / 滞留 ------------------------------------------------------------------------
    async def listing(request, tab, template, calls):
        person, today, ok = await guard(request)
        if not ok:
            return forbidden(request, person, today)
        data, refusal = {}, None
        try:
            for key, path in calls.items():
                data[key] = await get(person, path)
        except ApiRefused as exc:
            refusal = exc
        return await page(request, tab, template, person, today, refusal=refusal,
                          **{k: data.get(k, []) for k in calls})

    @pages.get("/bureau/alerts")
    async def alerts(request: Request):
        return await listing(request, "alerts", "alerts.html", {"alerts": "/alerts"})

    @pages.get("/bureau/security")
    async def security(request: Request):
        return await listing(request, "security", "security.html", {"alerts": "/security-alerts"})

    @pages.get("/bureau/stranded")
    async def stranded(request: Request):
        return await listing(request, "stranded", "stranded.html",
                             {"stranded": "/stranded-cases", "dead_letters": "/dead-letters"})

    # --- 审计 ------------------------------------------------------------------------------------
    @pages.get("/bureau/audit")
    async def audit(request: Request, verify: str = ""):
        person, today, _ = await guard(request)
        if not (sv.may(person, "verify") or sv.may(person, "checkpoint")):
            return forbidden(request, person, today, "审计页面仅供区审计人员和社会救助科使用。")
        result, refusal = None, None
        if verify and sv.may(person, "verify"):
            try:
                result = await get(person, "/audit/verify")
            except ApiRefused as exc:
                refusal = exc
        return await page(request, "audit", "audit.html", person, today, result=result, refusal=refusal)

    @pages.post("/bureau/audit/checkpoints")
    async def checkpoint(request: Request):
        person, today, ok = await guard(request, "checkpoint")
        if not ok:
            return forbidden(request, person, today, "只有区审计人员或社会救助科可以发布审计链检查点。")
        try:
            made = await console.api.post("oversight", None, "/audit/checkpoints", person.token)
        except ApiRefused as exc:
            return await page(request, "audit", "audit.html", person, today, result=None, refusal=exc)
        web.flash(request, f"已发布审计链检查点：截至第 {made['last_seq']} 条，共 {made['entries']} 条记录，"
                           f"链头哈希 {str(made['head_hash'])[:16]}…")
        return web.back("/bureau/audit")

    return pages
