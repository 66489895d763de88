"""督查 and 追责 (plan 六(二); issue 16 item 9) through oversight's public API with the person's own
token: the bureau records a joint inspection, its findings per jurisdiction and person (optionally
ordered rectified), and follows a finding through to an accountability record; a jurisdiction's
leader reads the inspections that visited it (its own findings only). Oversight decides."""

from __future__ import annotations

from jiuzhu_contracts.base import Role

from jiuzhu_console.domain.person import Person
from jiuzhu_console.service_layer.context import Console

BA, INS, AUD, LEAD = Role.BUREAU_ADMIN, Role.INSPECTOR, Role.AUDITOR, Role.LEADER
KINDS = (("regular", "定期督查"), ("unannounced", "不定期督查"))
BODIES = (("civil_affairs", "区民政局"), ("discipline_inspection", "区纪委监委"), ("finance", "区财政局"),
          ("audit", "区审计局"), ("other", "其他部门"))
FINDING_KINDS = (("missed_coverage", "应保未保（漏保）"), ("irregular_approval", "审批不规范"),
                 ("procedure", "办理程序问题"), ("conduct", "工作作风、违规违纪问题"))
SEVERITIES = (("minor", "一般"), ("serious", "较重"), ("grave", "严重"))
PROCEDURES = (("bureau", "区民政局直接处理"), ("employer", "移交所在单位"), ("discipline_inspection", "移送纪检监察机关"),
              ("judicial", "移送司法机关"))
MEASURES = (("", "待处理结果（移送的）"), ("talk_reminder", "谈话提醒"), ("criticism_education", "批评教育"),
            ("written_examination", "责令检查"), ("circulated_criticism", "通报批评"), ("admonishment", "诫勉"),
            ("organisational", "组织处理"), ("sanction", "处分"), ("no_liability", "不予追责"))
MEMBER_ROWS = 4

# What oversight lets each role do (inspections_http.py, accountability_http.py).
MAY = {"read": (BA, INS, AUD), "record": (BA, INS), "hold_to_account": (BA,)}


def may(person: Person, action: str) -> bool:
    return person.at_district and person.has(*MAY[action])


async def listing(console: Console, person: Person) -> list[dict]:
    return await console.api.get("oversight", None, "/inspections", person.token)


async def one(console: Console, person: Person, number: str) -> dict:
    return await console.api.get("oversight", None, f"/inspections/{number}", person.token)


def inspection_body(values: dict) -> dict:
    chosen = values.get("jurisdictions") or []
    members = [{"name": str(values.get(f"members.{i}.name", "")).strip(),
                "body": values.get(f"members.{i}.body", "civil_affairs")}
               for i in range(MEMBER_ROWS) if str(values.get(f"members.{i}.name", "")).strip()]
    files = str(values.get("files_checked", "0")).strip()
    return {"kind": values.get("kind", ""), "started_on": values.get("started_on", ""),
            "ended_on": values.get("ended_on", ""),
            "jurisdictions": [chosen] if isinstance(chosen, str) else list(chosen), "members": members,
            "scope": str(values.get("scope", "")).strip(),
            "cases_checked": [c.strip() for c in str(values.get("cases_checked", "")).split() if c.strip()],
            "files_checked": int(files) if files.isdigit() else files}


async def record(console: Console, person: Person, values: dict) -> dict:
    return await console.api.post("oversight", None, "/inspections", person.token, inspection_body(values))


def finding_body(values: dict) -> dict:
    staff_id, staff_name = (str(values.get(k, "")).strip() for k in ("staff.id", "staff.name"))
    return {"jurisdiction": values.get("jurisdiction", ""), "kind": values.get("kind", ""),
            "severity": values.get("severity", ""), "text": str(values.get("text", "")).strip(),
            "concerning_case": str(values.get("concerning_case", "")).strip() or None,
            "staff": {"id": staff_id, "name": staff_name, "post": str(values.get("staff.post", "")).strip()}
            if staff_id or staff_name else None,
            "rectify": bool(values.get("rectify"))}


async def add_finding(console: Console, person: Person, number: str, values: dict) -> dict:
    return await console.api.post("oversight", None, f"/inspections/{number}/findings", person.token,
                                  finding_body(values))


def accountability_body(values: dict) -> dict:
    return {"basis": "inspection_finding", "basis_ref": values.get("basis_ref", ""),
            "jurisdiction": values.get("jurisdiction", ""),
            "person": {"id": str(values.get("person.id", "")).strip(), "name": str(values.get("person.name", "")).strip(),
                       "post": str(values.get("person.post", "")).strip()},
            "facts": str(values.get("facts", "")).strip(), "procedure": values.get("procedure", ""),
            "measure": values.get("measure") or None, "decided_by": str(values.get("decided_by", "")).strip()}


async def hold_to_account(console: Console, person: Person, values: dict) -> dict:
    return await console.api.post("oversight", None, "/accountability", person.token, accountability_body(values))


async def records(console: Console, person: Person) -> list[dict]:
    return await console.api.get("oversight", None, "/accountability", person.token)
