"""The reviewer's proposal after a re-review (定期核查, D21 art. 31–32: continue, change the amount,
stop), typed in 元 → the body of verification's ``POST /re-reviews/{id}/review``."""

from __future__ import annotations

from collections.abc import Mapping

from jiuzhu_console.domain.yuan_input import NotAnAmount, yuan_to_fen

OUTCOMES = {"continue": "继续保障（金额不变）", "change": "变更保障金额（增发、减发）", "stop": "停发"}
CAUSES = {"periodic": "定期核查", "reported_change": "情况变化", "death": "成员死亡", "spot_check": "抽查发现",
          "petition": "举报、信访"}
STATUS = {"scheduled": "已排期", "open": "核查中", "lapsed": "已停保"}


def proposal_body(values: Mapping) -> tuple[dict, dict[str, str]]:
    problems: dict[str, str] = {}
    outcome = str(values.get("outcome", ""))
    if outcome not in OUTCOMES:
        problems["outcome"] = "请选择核查意见"
    fen = 0
    if outcome in ("continue", "change"):
        try:
            fen = yuan_to_fen(values.get("proposed_amount_yuan"))
        except NotAnAmount as exc:
            problems["proposed_amount_yuan"] = str(exc)
        if fen is None:
            problems["proposed_amount_yuan"] = "请填写拟保障金额（元/月）"
    reasons = [line.strip() for line in str(values.get("reasons", "")).splitlines() if line.strip()]
    override = str(values.get("override_reason", "")).strip() or None
    return {"outcome": outcome, "proposed_amount_fen": fen or 0, "reasons": reasons,
            "override_reason": override}, problems
