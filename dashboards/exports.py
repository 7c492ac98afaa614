"""Annexure exports: CSV, XLSX (openpyxl) and DOCX (python-docx), laid out as the annexure of a
parliamentary reply: a heading, the question, the table (S.No., State/UT, one column per year,
Total row in bold), then the units, notes, source and "data as on" lines.

Every text cell of the CSV and XLSX is neutralised against formula injection
(:func:`core.safe_text.neutralise`: a leading ``=``, ``+``, ``-``, ``@``, TAB or CR gets a
``'``); numbers stay numbers. A DOCX table holds plain text runs, which Word never evaluates."""

from __future__ import annotations

import io
import re
from typing import Final

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from core import safe_text
from dashboards.parliament import Annexure

XLSX_MIME: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV_MIME: Final = "text/csv"


def filename(annexure: Annexure, ext: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "_", annexure.title).strip("_").lower()[:60] or "annexure"
    return f"annexure_{stem}.{ext}"


def _cell_value(text: str) -> str | int | float:
    """Numbers as numbers in the spreadsheet, everything else (``*``, ``-``) as text, neutralised."""
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    return safe_text.neutralise(text)


def _text(text: str) -> str:
    return safe_text.neutralise(text)


def to_csv(annexure: Annexure) -> bytes:
    rows = [[annexure.title], annexure.header, *annexure.body(), *([line] for line in annexure.footer)]
    return safe_text.csv_text(rows).encode("utf-8-sig")


def to_xlsx(annexure: Annexure) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Annexure"
    width = len(annexure.header)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append(["ANNEXURE"])
    ws.append([_text(annexure.title)])
    ws.append([_text(annexure.question)])
    ws.append([])
    for r in range(1, 4):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        ws.cell(r, 1).font = Font(bold=True, size=12 if r < 3 else 11)
        ws.cell(r, 1).alignment = Alignment(horizontal="center" if r < 3 else "left", wrap_text=True)
    header_row = 5
    ws.append([_text(h) for h in annexure.header])
    body = annexure.body()
    for row in body:
        ws.append([_cell_value(v) if j >= 2 else _text(v) for j, v in enumerate(row)])
    last = header_row + len(body)
    for r in range(header_row, last + 1):
        for c in range(1, width + 1):
            cell = ws.cell(r, c)
            cell.border = border
            if r in (header_row, last):
                cell.font = Font(bold=True)
            if c >= 3 and r > header_row:
                cell.alignment = Alignment(horizontal="right")
                if annexure.kind == "rate" and isinstance(cell.value, float):
                    cell.number_format = "0.00"
    ws.append([])
    for line in annexure.footer:
        ws.append([_text(line)])
    for ws_row in ws.iter_rows():
        for cell in ws_row:  # a text cell is text, never a formula (openpyxl reads "=..." as one)
            if cell.data_type == "f":
                cell.value = safe_text.neutralise(str(cell.value))
                cell.data_type = "s"
    ws.column_dimensions["A"].width = 7
    ws.column_dimensions["B"].width = 42
    for c in range(3, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 16
    ws.freeze_panes = ws.cell(header_row + 1, 3)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_docx(annexure: Annexure) -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.add_run("ANNEXURE").bold = True
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(annexure.title).bold = True
    doc.add_paragraph(annexure.question)
    body = annexure.body()
    table = doc.add_table(rows=1 + len(body), cols=len(annexure.header))
    table.style = "Table Grid"
    # Fill row by row (``table.cell(i, j)`` walks the whole table each time: quadratic).
    for i, (row, values) in enumerate(zip(table.rows, [annexure.header, *body], strict=True)):
        bold = i == 0 or i == len(body)
        for j, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            para = cell.paragraphs[0]
            para.add_run(value).bold = bold
            if j >= 2 and i > 0:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for line in annexure.footer:
        doc.add_paragraph(line).runs[0].italic = True
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


EXPORTERS: Final = {
    "csv": (to_csv, CSV_MIME),
    "xlsx": (to_xlsx, XLSX_MIME),
    "docx": (to_docx, DOCX_MIME),
}
