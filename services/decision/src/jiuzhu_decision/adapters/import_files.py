"""The 存量对象 file as it arrives: CSV (UTF-8, with or without BOM) or XLSX, read into the header
row and the rows of cells; and the template a district downloads to fill in.

A file that cannot be read is refused whole, with a 4xx that says why and what to do: too large
(413, naming the limit), empty, an old .xls, another encoding, not a spreadsheet, too many rows
(422). Cells are handed over as the file held them — text, a number, a date — so the domain can
say "enter the ID number as text" instead of guessing at a number Excel already rounded.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_decision.domain.recipient_rows import COLUMNS, IMPORT_RULE, Cell

# Limits: generous for a district (Urho supports some 500 households; a large district 20,000
# would be split by jurisdiction anyway, one decision service each) and small enough that one
# upload never holds the service: the file is read in memory and imported in one transaction.
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 60
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # an XLSX is a zip: refuse a "zip bomb" before parsing it
XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .et / .doc)


class FileRefused(DomainRefusal):
    def __init__(self, zh: str, en: str, *, status: int = 422, limit: str | None = None):
        super().__init__(f"{zh} / {en}", rule=limit or IMPORT_RULE, status=status, field="file",
                         details={"rows": []})


def too_large(size: int | None = None) -> FileRefused:
    got = f"（{size}字节）" if size is not None else ""
    return FileRefused(f"文件过大{got}，上限{MAX_BYTES // (1024 * 1024)} MB：请按居（村）委会分成几个文件导入",
                       f"the file is too large{f' ({size} bytes)' if size is not None else ''}; the limit is "
                       f"{MAX_BYTES} bytes ({MAX_BYTES // (1024 * 1024)} MB): split it by committee",
                       status=413, limit=f"MAX_BYTES = {MAX_BYTES} ({IMPORT_RULE})")


@dataclass(frozen=True)
class Table:
    headers: tuple[Cell, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]  # (spreadsheet row, cells); blank rows left out


def read_table(file_name: str, data: bytes) -> Table:
    """The file's first sheet (XLSX) or its records (CSV); refused whole when unreadable."""
    if len(data) > MAX_BYTES:
        raise too_large(len(data))
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise FileRefused("文件是空的", "the file is empty")
    if data.startswith(OLE2_MAGIC):
        raise FileRefused("这是旧版 Excel（.xls）文件：请在 Excel 中“另存为” .xlsx 或 CSV UTF-8 后再导入",
                          "this is an old binary Excel file (.xls): save it as .xlsx or CSV UTF-8 and import that")
    if data.startswith(XLSX_MAGIC):
        return _xlsx(data)
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise FileRefused("文件名为 .xlsx，但内容不是 XLSX 文件", "the file is named .xlsx but is not an XLSX file")
    return _csv(data)


def _csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            data.decode("gb18030")
            hint_zh, hint_en = "文件似乎是 GBK/GB18030 编码", "it looks GBK/GB18030-encoded"
        except UnicodeDecodeError:
            hint_zh, hint_en = "文件不是文本", "it is not text"
        raise FileRefused(f"CSV 文件须为 UTF-8 编码（{hint_zh}）：在 Excel 中“另存为”→“CSV UTF-8（逗号分隔）”，"
                          "或上传 .xlsx 文件", f"a CSV file must be UTF-8 ({hint_en}): save it as “CSV UTF-8” "
                          "or upload the .xlsx") from None
    if "\x00" in text:
        raise FileRefused("文件含有 NUL 字符，不是 CSV 或 XLSX 文件", "the file holds NUL characters: it is not "
                          "a CSV or XLSX file")
    records = []
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if len(record) > MAX_COLUMNS:
                raise FileRefused(f"第{number}行超过{MAX_COLUMNS}列", f"row {number} has more than {MAX_COLUMNS} "
                                  "columns", limit=f"MAX_COLUMNS = {MAX_COLUMNS} ({IMPORT_RULE})")
            _keep(records, number, tuple(record))
    except csv.Error as exc:
        raise FileRefused(f"CSV 格式错误（{exc}）", f"the CSV cannot be read: {exc}") from None
    return _table(records)


def _xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook  # a heavy import, paid only by the service that imports

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused("XLSX 文件已损坏，无法打开", "the XLSX file is damaged and cannot be opened") from None
    if unzipped > MAX_UNZIPPED_BYTES:
        raise FileRefused(f"XLSX 文件解压后超过{MAX_UNZIPPED_BYTES // (1024 * 1024)} MB", f"the XLSX file unpacks "
                          f"to more than {MAX_UNZIPPED_BYTES} bytes", status=413,
                          limit=f"MAX_UNZIPPED_BYTES = {MAX_UNZIPPED_BYTES} ({IMPORT_RULE})")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises what the broken part makes it raise: KeyError, XML errors, …
        raise FileRefused("无法读取该 XLSX 文件：请用 Excel 或 WPS 打开后重新保存为 .xlsx",
                          "the XLSX file cannot be read: open it in Excel or WPS and save it again as .xlsx") from None
    try:
        if not book.worksheets:
            raise FileRefused("XLSX 文件没有工作表", "the XLSX file has no sheet")
        records = []
        for number, row in enumerate(book.worksheets[0].iter_rows(), start=1):
            if len(row) > MAX_COLUMNS and any(c.value not in (None, "") for c in row[MAX_COLUMNS:]):
                raise FileRefused(f"第{number}行超过{MAX_COLUMNS}列", f"row {number} has more than {MAX_COLUMNS} "
                                  "columns", limit=f"MAX_COLUMNS = {MAX_COLUMNS} ({IMPORT_RULE})")
            _keep(records, number, tuple(_cell(c) for c in row[:MAX_COLUMNS]))
    except FileRefused:
        raise
    except Exception:
        raise FileRefused("无法读取该 XLSX 文件的第一个工作表", "the first sheet of the XLSX file cannot be read") from None
    finally:
        book.close()
    return _table(records)


def _cell(cell) -> Cell:
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" and value is not None and not str(value).startswith("="):
        value = "=" + str(value)  # a formula: the domain refuses it by its leading "="
    return value


def _keep(records: list, number: int, cells: tuple[Cell, ...]) -> None:
    """Row 1 (the headers) and every row that is not blank, up to the limit."""
    if number > 1 and _blank(cells):
        return
    records.append((number, cells))
    if len(records) > MAX_ROWS + 1:  # the header row, then at most MAX_ROWS households
        raise FileRefused(f"文件超过{MAX_ROWS}行：请按居（村）委会分成几个文件导入",
                          f"the file has more than {MAX_ROWS} rows: split it by committee",
                          limit=f"MAX_ROWS = {MAX_ROWS} ({IMPORT_RULE})")


def _blank(cells: tuple[Cell, ...]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _table(records: list[tuple[int, tuple[Cell, ...]]]) -> Table:
    if not records or records[0][0] != 1 or _blank(records[0][1]):
        raise FileRefused("第1行须为模板的列名", "row 1 must hold the template's headers")
    return Table(records[0][1], tuple(records[1:]))


# --- the template -------------------------------------------------------------------------------

def template_csv() -> bytes:
    """The header row, UTF-8 with a BOM (so that Excel on Windows opens it as UTF-8)."""
    out = io.StringIO(newline="")
    csv.writer(out).writerow([c.header for c in COLUMNS])
    return "\ufeff".encode() + out.getvalue().encode()


def template_xlsx() -> bytes:
    """Sheet 存量对象: the headers, long digit columns typed as text; sheet 填写说明: each column's
    meaning and an example (kept off the first sheet so an example is never imported)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "存量对象"
    sheet.append([c.header for c in COLUMNS])
    for n, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(n)
        sheet.column_dimensions[letter].width = 40 if column.key == "members" else 18
        if column.text:
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, 1002):  # Excel applies a column's format to new cells only where the cell has it
                sheet.cell(row=row, column=n).number_format = "@"
    notes = book.create_sheet("填写说明")
    notes.append(["列名 / column", "填写要求 / what to write", "示例 / example"])
    for column in COLUMNS:
        notes.append([column.header, column.meaning, column.example])
    notes.append([])
    notes.append(["说明 / note", "第1行为列名，每户一行；整个文件全部通过校验才导入，否则一户也不导入；同一文件重复导入不会重复建档。"
                  " / Row 1 holds the headers, one household a row; the file is imported only when every row "
                  "passes, else nothing is; importing the same file again changes nothing.", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
