"""Pages of the console for households on support (保障对象, issue 15): the list, one household with
the leader's (or, where not devolved, the bureau's) decisions — change the amount, end, gradual
exit — and its written notices (print, record delivery); and the district's standard raise (提标):
preview, then apply. Every rule is the decision service's: its refusal is shown beside the field."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from jiuzhu_contracts.base import Role

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.entrypoints.pages.leader import reasons_of
from jiuzhu_console.entrypoints.web import Web

READERS = (Role.LEADER, Role.CLERK, Role.BUREAU_ADMIN)
CAUSES = [("re_review", "定期核查"), ("reported_change", "家庭报告情况变化"), ("death", "家庭成员死亡"),
          ("moved_out", "迁出本辖区"), ("spot_check", "抽查发现"), ("petition", "举报、信访核实"),
          ("household_change", "家庭成员增减")]
STATUS_ZH = {"supported": "在保", "gradual_exit": "渐退期", "ended": "已停发"}
OUTCOME_ZH = {"raised": "提高", "unchanged": "不变", "kept_lower": "按规则应减少，保持原额，待核查",
              "kept_ineligible": "收入已不低于新标准，保持原额，待核查", "no_monthly_cash": "无按月保障金",
              "not_paid": "该月不发放"}


def jurisdiction_of(case_or_notice: str) -> str:
    """``650205001-2022-00042`` or ``BG-650205001-2022-00042-01`` → ``650205001``."""
    head = case_or_notice.split("-", 2)
    return head[1] if head[0] in ("BG", "JT", "TF") else head[0]


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    api = web.console.api

    def forbidden(request, person, today):
        return web.render(request, "message.html", person, status_code=403, today=today, title="无权使用该页面",
                          message="保障对象管理供分管领导、窗口人员及区民政局使用。")

    def chosen(person, jurisdiction: str) -> str:
        mine = web.console.jurisdictions_of(person)
        return jurisdiction if jurisdiction in mine else mine[0]

    @pages.get("/support")
    async def listing(request: Request, jurisdiction: str = "", status: str = "supported"):
        person = web.person(request)
        today = await web.console.today()
        if not person.has(*READERS):
            return forbidden(request, person, today)
        jurisdiction = chosen(person, jurisdiction)
        rows, refusal = [], None
        try:
            rows = await api.get("decision", jurisdiction, "/supported-households", person.token,
                                 status=status if status in STATUS_ZH else None)
        except ApiRefused as exc:
            refusal = exc
        return web.render(request, "support/list.html", person, today=today, rows=rows, list_refusal=refusal,
                          jurisdiction=jurisdiction, choices=web.console.jurisdictions_of(person), status=status,
                          STATUS_ZH=STATUS_ZH)

    async def household_page(request: Request, person, case_id: str, status_code: int = 200, **extra):
        today = await web.console.today()
        try:
            h = await api.get("decision", jurisdiction_of(case_id), f"/supported-households/{case_id}", person.token)
        except ApiRefused as exc:
            return web.render(request, "message.html", person, status_code=exc.status if 400 <= exc.status < 500
                              else 503, today=today, title="无法查看该户", message=exc.message)
        return web.render(request, "support/household.html", person, status_code=status_code, today=today, h=h,
                          CAUSES=CAUSES, STATUS_ZH=STATUS_ZH, may_decide=person.has(Role.LEADER, Role.BUREAU_ADMIN),
                          values=extra.pop("values", {}), errors=extra.pop("errors", {}), **extra)

    @pages.get("/support/households/{case_id}")
    async def household(request: Request, case_id: str, amount: str = ""):
        person = web.person(request)
        if not person.has(*READERS):
            return forbidden(request, person, await web.console.today())
        # from a re-review's proposal (/leader/re-reviews): the proposed amount, in fen, filled in
        values = {"amount_yuan": f"{int(amount) / 100:.2f}", "cause": "re_review"} if amount.isdigit() else {}
        return await household_page(request, person, case_id, values=values)

    async def act(request: Request, case_id: str, path: str, body: dict, values: dict, done: str,
                  rename: dict | None = None, announce: bool = True):
        person = web.person(request)
        try:
            answer = await api.post("decision", jurisdiction_of(case_id), path, person.token, body)
        except ApiRefused as refusal:
            errors = {(rename or {}).get(k, k): v for k, v in refusal.fields.items()}
            return await household_page(request, person, case_id, values=values, errors=errors, refusal=refusal,
                                        status_code=refusal.status if 400 <= refusal.status < 500 else 503)
        notice = (answer or {}).get("notice_no") if announce else None
        web.flash(request, done + (f"书面通知书 {notice}，应于{answer['due_on']}前送达居（村）委会。" if notice else ""))
        return web.back(f"/support/households/{case_id}")

    def body_of(values: dict, *keys: str) -> dict:
        return {k: values[k] for k in keys if values.get(k) not in (None, "")}

    @pages.post("/support/households/{case_id}/changes")
    async def change(request: Request, case_id: str, amount_yuan: str = Form(""), cause: str = Form(""),
                     change_reasons: str = Form(""), effective_month: str = Form("")):
        values = {"amount_yuan": amount_yuan, "cause": cause, "change_reasons": change_reasons,
                  "effective_month": effective_month}
        try:
            amount_fen = round(float(amount_yuan) * 100)
        except ValueError:
            person = web.person(request)
            return await household_page(request, person, case_id, values=values, status_code=422,
                                        errors={"amount_yuan": "请填写金额（元）"})
        body = {"amount_fen": amount_fen, "cause": cause, "reasons": reasons_of(change_reasons),
                **body_of(values, "effective_month")}
        return await act(request, case_id, f"/supported-households/{case_id}/changes", body, values,
                         "已作出变更决定。", rename={"amount_fen": "amount_yuan", "reasons": "change_reasons"})

    @pages.post("/support/households/{case_id}/end")
    async def end(request: Request, case_id: str, end_cause: str = Form(""), end_reasons: str = Form(""),
                  last_month_paid: str = Form("")):
        values = {"end_cause": end_cause, "end_reasons": end_reasons, "last_month_paid": last_month_paid}
        body = {"cause": end_cause, "reasons": reasons_of(end_reasons), **body_of(values, "last_month_paid")}
        return await act(request, case_id, f"/supported-households/{case_id}/end", body, values, "已作出停发决定。",
                         rename={"cause": "end_cause", "reasons": "end_reasons"})

    @pages.post("/support/households/{case_id}/gradual-exit")
    async def gradual_exit(request: Request, case_id: str, exit_cause: str = Form(""), exit_reasons: str = Form(""),
                           months: str = Form("")):
        values = {"exit_cause": exit_cause, "exit_reasons": exit_reasons, "months": months}
        body = {"cause": exit_cause, "reasons": reasons_of(exit_reasons),
                **({"months": int(months)} if months.isdigit() else {})}
        return await act(request, case_id, f"/supported-households/{case_id}/gradual-exit", body, values,
                         "已作出渐退决定。", rename={"cause": "exit_cause", "reasons": "exit_reasons"})

    @pages.post("/support/notices/{notice_no}/delivery")
    async def delivery(request: Request, notice_no: str, delivered_on: str = Form(""), received_by: str = Form("")):
        values = {"delivered_on": delivered_on, "received_by": received_by}
        case_id = notice_no.split("-", 1)[-1].rsplit("-", 1)[0]  # BG-<case id>-<n>
        return await act(request, case_id, f"/supported-households/notices/{notice_no}/delivery", values, values,
                         f"已登记通知书 {notice_no} 送达。", announce=False)

    @pages.get("/support/notices/{notice_no}")
    async def notice(request: Request, notice_no: str):
        person = web.person(request)
        try:
            html = await api.document("decision", jurisdiction_of(notice_no),
                                      f"/supported-households/notices/{notice_no}", person.token)
        except ApiRefused as exc:
            return web.render(request, "message.html", person, status_code=exc.status if 400 <= exc.status < 500
                              else 503, today=await web.console.today(), title="无法打开通知书", message=exc.message)
        return HTMLResponse(html)

    # --- the standard raise (提标) ----------------------------------------------------------------
    async def raise_page(request: Request, person, jurisdiction: str, values: dict, **extra):
        return web.render(request, "support/raise.html", person, today=await web.console.today(),
                          jurisdiction=jurisdiction, choices=web.console.jurisdictions_of(person), values=values,
                          OUTCOME_ZH=OUTCOME_ZH, **extra)

    @pages.get("/support/raise")
    async def raise_form(request: Request, jurisdiction: str = ""):
        person = web.person(request)
        if not person.has(Role.LEADER, Role.BUREAU_ADMIN):
            return forbidden(request, person, await web.console.today())
        today = await web.console.today()
        return await raise_page(request, person, chosen(person, jurisdiction),
                                {"year": str(today.year + 1), "effective_month": f"{today.year + 1}-01"})

    @pages.post("/support/raise")
    async def raise_submit(request: Request, jurisdiction: str = Form(""), year: str = Form(""),
                           effective_month: str = Form(""), confirm: str = Form("")):
        person = web.person(request)
        jurisdiction = chosen(person, jurisdiction)
        values = {"year": year, "effective_month": effective_month}
        body = {"year": int(year) if year.isdigit() else year, "effective_month": effective_month}
        path = "/standard-raises/apply" if confirm == "apply" else "/standard-raises/preview"
        try:
            report = await api.post("decision", jurisdiction, path, person.token, body)
        except ApiRefused as refusal:
            response = await raise_page(request, person, jurisdiction, values, refusal=refusal, errors=refusal.fields)
            response.status_code = refusal.status if 400 <= refusal.status < 500 else 503
            return response
        if confirm == "apply":
            web.flash(request, f"已按{year}年标准调整 {report['changed']} 户的月保障金，自{effective_month}起执行。")
        return await raise_page(request, person, jurisdiction, values, report=report, applied=confirm == "apply")

    return pages
