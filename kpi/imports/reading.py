"""Reading the files communes send: CSV in any of Excel's encodings and separators, or XLSX.

The result is a grid of text cells, NFC-composed, with the row numbers the user sees. A file
that cannot be read at all raises ReadError with a message that says what to do.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import time
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

import charset_normalizer
import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils.exceptions import InvalidFileException

from kpi import config
from kpi.i18n import Failure
from kpi.imports.textnorm import nfc

VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")
# Read as Windows-1258, the legacy font encodings give signs no Vietnamese text holds: the
# TCVN3 (ABC) letters sit on Latin-1 symbols (U+00A8 to U+00B9), VNI's tone marks on ø, å, ä, …
TCVN3 = re.compile("[\u00a8\u00a9\u00aa\u00ab\u00ac\u00ae\u00b5\u00b6\u00b7\u00b8\u00b9]")
VNI = re.compile("[aeiouyAEIOUY][\u00f8\u00e5\u00e4\u00eb\u00ef\u00f6\u00f1]")


MAX_COLUMNS = 256  # no commune's table is wider; cells beyond are not read
HEADER_ROWS = 50  # title, header and note rows beside the data rows a file may hold
CLOCK_EVERY = 1024  # rows read between two looks at the clock
#: What a broken or hostile workbook raises while it is read: each becomes one message.
BROKEN_XLSX = (
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    OSError,
    ValueError,
    TypeError,
    ElementTree.ParseError,
    DefusedXmlException,
)


class ReadError(Failure, ValueError):
    """A file that cannot be read at all: a label key and its values."""


@dataclass
class Grid:
    """The cells of a file as text, and how it was read."""

    rows: list[list[str]]
    kind: str  # csv or xlsx
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)  # the visible ones, in order
    hidden: list[str] = field(default_factory=list)


def read(data: bytes, sheet: str | None = None) -> Grid:
    """Read a CSV or XLSX file from its bytes (the extension proves nothing)."""
    if not data.strip():
        raise ReadError("err_file_empty")
    if data[:4] == b"PK\x03\x04":
        return _xlsx(data, sheet)
    if data[:8] == bytes.fromhex("D0CF11E0A1B11AE1"):
        raise ReadError("err_file_xls")
    text, encoding = _decode(data)
    return _csv(text, encoding)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return nfc(data[3:].decode("utf-8")), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return nfc(data.decode("utf-16")), "utf-16"
    if data[1:2] == b"\x00" and data[3:4] == b"\x00":  # UTF-16 little endian without a mark
        return nfc(data.decode("utf-16-le")), "utf-16-le"
    if b"\x00" in data:
        raise ReadError("err_file_binary")
    try:
        return nfc(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not Unicode: judge the whole file, since detectors fed a mostly-ASCII header take
    # Windows-1258 for Windows-1250 and return garbled names without an error.
    legacy = data.decode("cp1258", errors="replace")
    if TCVN3.search(legacy) or VNI.search(legacy):
        raise ReadError("err_file_legacy_encoding")
    if VIETNAMESE.search(nfc(legacy)):
        return nfc(legacy), "cp1258"
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ReadError("err_file_encoding")
    return nfc(str(best)), best.encoding


def _csv(text: str, encoding: str) -> Grid:
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # old Mac files end lines with CR alone
    lines = [line for line in text.splitlines() if line.strip()][:50]
    sample = "\n".join(lines)
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = max(",;\t", key=sample.count)
    return Grid(rows=_csv_rows(text, delimiter), kind="csv", encoding=encoding, delimiter=delimiter)


def _deadline() -> float:
    return time.monotonic() + config.import_max_seconds()


def _on_time(deadline: float, row: int) -> None:
    """Refuse a file whose reading has taken longer than the configured time."""
    if row % CLOCK_EVERY == 0 and time.monotonic() > deadline:
        raise ReadError("err_file_too_slow", seconds=config.import_max_seconds(), row=row)


def _csv_rows(text: str, delimiter: str) -> list[list[str]]:
    """The records of a CSV text, with the line each starts on checked: a quote opened and never
    closed swallows the lines after it into one cell, and is refused, not read as fewer rows."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    line = 1
    deadline = _deadline()
    try:
        for record in reader:
            _on_time(deadline, len(rows) + 1)
            for column, cell in enumerate(record, start=1):
                if "\n" in cell and delimiter in cell:
                    raise ReadError("err_file_open_quote", row=line, column=column)
            rows.append([cell.strip() for cell in record])
            rows += [[] for _ in range(reader.line_num - line)]  # keep the row numbers of lines
            line = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ReadError("err_file_cell_too_long", row=line, limit=float(csv.field_size_limit())) from exc
        raise ReadError("err_file_csv_broken", row=line) from exc
    return rows


def sheet_names(data: bytes) -> list[str]:
    """The sheets of an XLSX file, for the user to pick; [] for anything else or a broken file."""
    if data[:4] != b"PK\x03\x04":
        return []
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True).sheetnames
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
        return []


def _xlsx(data: bytes, sheet: str | None) -> Grid:
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        names = values.sheetnames
        visible = [ws.title for ws in values.worksheets if ws.sheet_state == "visible"]
        if sheet is None and not visible:
            raise ReadError("err_file_no_visible_sheet", sheets=", ".join(names))
        name = sheet or visible[0]  # a hidden sheet is read only when named
        if name not in names:
            raise ReadError("err_file_no_sheet", sheet=name, sheets=", ".join(names))
        rows = _sheet_rows(values[name], formulas[name])
    except ReadError:  # already says what is wrong (ReadError is a ValueError too)
        raise
    except BROKEN_XLSX as exc:
        raise ReadError("err_file_broken_xlsx") from exc
    return Grid(
        rows=rows, kind="xlsx", sheet=name, sheets=visible, hidden=[n for n in names if n not in visible]
    )


def _sheet_rows(values, formulas) -> list[list[str]]:
    """A sheet's cells as text, streamed: at most MAX_COLUMNS wide and the import's row limit
    long, whatever size the sheet declares (a sheet may claim 190,000 rows out to column XFD;
    padding that out would exhaust memory)."""
    for sheet in (values, formulas):
        sheet.reset_dimensions()  # read the cells there are, not the size the file declares
    limit = config.import_max_rows() + HEADER_ROWS
    deadline = _deadline()
    rows: list[list[str]] = []
    filled = 0
    pairs = zip(
        values.iter_rows(values_only=True, max_col=MAX_COLUMNS),
        formulas.iter_rows(values_only=True, max_col=MAX_COLUMNS),
        strict=False,
    )
    for number, (cells, raw) in enumerate(pairs, start=1):
        _on_time(deadline, number)
        if cells.count(None) == len(cells) and raw.count(None) == len(raw):  # a gap: fast
            rows.append([])
            continue
        row = []
        for value, source in zip(cells, raw, strict=False):
            if value is None and isinstance(source, str) and source.startswith("="):
                raise ReadError("err_file_formula", row=number, formula=source)
            row.append(_cell_text(value))
        while row and not row[-1]:
            row.pop()
        filled += bool(row)
        if filled > limit:
            raise ReadError(
                "err_file_too_many_rows", rows=float(filled), limit=float(config.import_max_rows())
            )
        rows.append(row)
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")
    return nfc(str(value)).strip()
