"""The monthly and yearly statistics as the bureau's spreadsheets: CSV (UTF-8 with BOM, for Excel) and XLSX,
with Chinese headers and a column per clock beside "超时" (domain/statistics.py)."""

from __future__ import annotations

import csv
import io

from jiuzhu_oversight.domain.statistics import cells, headers


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers())
    for row in rows:
        writer.writerow(cells(row))
    return out.getvalue()


def to_xlsx(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = rows[0]["month"] if rows else "statistics"
    sheet.append(headers())
    for row in rows:
        sheet.append(cells(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
