"""Spot-check findings and rectification orders (乌尔禾区…工作方案 五(四): 备案审查抽查及书面反馈;
六(二): 对“漏保”或审批不规范行为书面限期进行整改)."""

from __future__ import annotations

import datetime as dt
import enum

RECTIFICATION_RULE = "乌尔禾区工作方案 六(二): 对“漏保”或审批不规范行为书面限期进行整改（{n}个工作日）"


class OrderKind(enum.StrEnum):
    MISSED_COVERAGE = "missed_coverage"  # 应保未保（漏保）: a report; the case is always drawn for a check
    IRREGULAR_APPROVAL = "irregular_approval"  # 审批不规范: a spot check found a fault
    PROCEDURE = "procedure"  # 办理程序问题


ORDER_KINDS_ZH = {OrderKind.MISSED_COVERAGE: "应保未保（漏保）", OrderKind.IRREGULAR_APPROVAL: "审批不规范",
                  OrderKind.PROCEDURE: "办理程序问题"}

# The three findings of a filing review (plan 五(四)), with what each names when it is not so.
FINDING_FAULTS = (("target_correct", "对象认定不准确"), ("procedure_followed", "办理程序不规范"),
                  ("materials_complete", "审批材料不齐全"))


def faults(findings) -> list[str]:
    """What a spot check found wrong (an object with the three boolean findings); none: no order."""
    return [label for field, label in FINDING_FAULTS if not getattr(findings, field)]


def order_findings(faults_found: list[str], feedback: str) -> str:
    return "；".join(faults_found) + f"。{feedback}"


def spot_check_document_no(district: str, day: dt.date, number: int) -> str:
    return f"CC-{district}-{day.year}-{number:05d}"


def order_no(district: str, day: dt.date, number: int) -> str:
    return f"ZG-{district}-{day.year}-{number:05d}"


def answered_on_time(answered_on: dt.date, due_on: dt.date) -> bool:
    return answered_on <= due_on
