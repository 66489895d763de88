"""The projected fund plan as the bureau's spreadsheets: CSV (UTF-8 with BOM, for Excel) and XLSX,
Chinese headers, one line per month, jurisdiction and category (domain/fund_plan.py)."""

from __future__ import annotations

import csv
import io

from jiuzhu_disbursement.domain.fund_plan import COLUMNS, HEADERS_ZH


def to_csv(plan: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS_ZH)
    for row in plan["rows"]:
        writer.writerow([row[c] if row[c] is not None else "" for c in COLUMNS])
    writer.writerow([])
    writer.writerow([f"# {plan['method']}"])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(plan: dict) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("资金需求计划")
    sheet.append(list(HEADERS_ZH))
    for row in plan["rows"]:
        sheet.append([row[c] for c in COLUMNS])
    method = book.create_sheet("测算方法")
    method.append([plan["method"]])
    method.append(["趋势期 / trend window", plan["trend_window"]["first"], plan["trend_window"]["last"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
