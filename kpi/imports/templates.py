"""Blank files for communes to fill: the district's units and the monthly elements for a
period, as CSV and as XLSX with Excel data validation (whole numbers, not negative)."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.engine import Engine

from kpi import catalog
from kpi.dashboard import export
from kpi.periods import Period
from kpi.store import db

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def frame(root: str, period: Period, group: str = "tthc", engine: Engine | None = None) -> pd.DataFrame:
    """One row per unit under root (on either map) in force for the whole period and expected
    to report the group's elements, one empty column per element: a template for 2026 lists the
    new communes, one for 2024 the old ones."""
    elements = [e for e in catalog.elements().values() if e.group == group]
    levels = {level for e in elements for level in e.levels_on(period.start)}
    units = db.read_frame("queries/district_units", engine, root=root)
    starts, ends = pd.to_datetime(units.valid_from), pd.to_datetime(units.valid_to)
    in_force = (starts.isna() | (starts <= pd.Timestamp(period.start))) & (
        ends.isna() | (ends >= pd.Timestamp(period.end))
    )
    units = units[units.level.isin(levels) & in_force].sort_values(
        ["level", "official_code"], ascending=[False, True]
    )
    table = pd.DataFrame({"Mã xã": units.official_code, "Tên đơn vị": units.name, "Kỳ": period.label("vi")})
    for element in elements:
        table[element.name_vi] = ""
    return table


def to_csv(table: pd.DataFrame) -> bytes:
    return export.to_csv(table)


def to_xlsx(table: pd.DataFrame, title: str) -> bytes:
    """The template as a workbook: a title, the table, and validation on every value cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Số liệu"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False):
        sheet.append([str(v) if v != "" else None for v in row])
    header = 3
    for cell in sheet[header]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    first, last = header + 1, header + len(table)
    rule = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        showErrorMessage=True,
        errorTitle="Số liệu không hợp lệ",
        error="Nhập số nguyên không âm (số hồ sơ, lượt…).",
    )
    sheet.add_data_validation(rule)
    for index in range(4, (len(table.columns) + 1) if len(table) else 4):  # no rows, no range
        letter = get_column_letter(index)
        rule.add(f"{letter}{first}:{letter}{last}")
    for index, name in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(str(name)) + 2, 12), 40)
    sheet.freeze_panes = f"D{first}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
