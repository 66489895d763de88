"""The words the console shows for the system's codes (categories, roles, stages, clocks)."""

from __future__ import annotations

from jiuzhu_contracts.base import ROLE_TITLES, Category, Role

CATEGORY = {Category.DIBAO: "最低生活保障", Category.TEKUN: "特困人员救助供养",
            Category.LOW_INCOME: "低收入家庭", Category.TEMPORARY: "临时救助"}

ROLE = ROLE_TITLES

# The clocks of the procedure (plan 五), as oversight and the services name them.
CLOCK = {"investigation": "入户调查核实", "review": "审核", "reinvestigation": "重新调查核实", "publicity": "公示",
         "decision": "审核确认", "decision_after_objection": "异议复查后确认", "refusal_notice": "不予批准书面通知",
         "rectification": "限期整改", "economic_check": "经济状况核对", "correction": "补正材料",
         "assist_follow_up": "先行救助后补齐调查与公示"}

RELATION = {"self": "本人", "spouse": "配偶", "child": "子女", "parent": "父母", "sibling": "兄弟姐妹",
            "grandparent": "祖父母/外祖父母", "grandchild": "孙子女/外孙子女", "other": "其他"}


def category(code: str) -> str:
    try:
        return CATEGORY[Category(code)]
    except ValueError:
        return code


def role(code: str) -> str:
    try:
        return ROLE[Role(code)]
    except ValueError:
        return code


def clock(code: str | None) -> str:
    return CLOCK.get(code or "", code or "")
