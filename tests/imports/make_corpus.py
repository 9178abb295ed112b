"""Writes the corpus of real-looking import files in this folder (run it after changing it).

Each file is what a commune's Excel produces on some machine: title rows, note rows,
separators, encodings, Vietnamese numbers and periods, units by code or by name. The tests
in tests/test_import.py state what each one must store, or which problems it must name.
"""

from __future__ import annotations

import csv as csv_module
import io
import unicodedata
from pathlib import Path

import openpyxl
from openpyxl.worksheet.datavalidation import DataValidation

HERE = Path(__file__).resolve().parent
TITLE = ["ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN", "BÁO CÁO KẾT QUẢ SỐ HÓA HỒ SƠ TTHC", ""]
NOTE = ["", "Ghi chú: số liệu tính đến hết ngày cuối tháng.", "Người lập biểu"]


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258_form(text: str) -> str:
    """Windows-1258 keeps â, ê, ơ, … whole but writes tone marks as separate combining marks."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES)) + tones)
    return "".join(out)


def csv(rows: list[list[str]], sep: str) -> str:
    """Rows as Excel writes them: a field holding the separator is quoted."""
    out = io.StringIO()
    writer = csv_module.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue()


def write(name: str, text: str, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(text.encode(encoding))


def main() -> None:
    wide = [
        [
            "Mã xã",
            "Tên đơn vị",
            "Kỳ báo cáo",
            "Số hồ sơ tiếp nhận",
            "Số hồ sơ số hóa",
            "Kết quả đã trả",
            "Kết quả số hóa",
        ],
        ["21040", "Thị trấn Châu Ổ", "Tháng 1/2025", "1.009", "612", "950", "301"],
        ["21043", "Xã Bình Thuận", "Tháng 1/2025", "140", "", "131", "20"],
        ["21046", "Xã Bình Thạnh", "Tháng 1/2025", "96", "80", "90", "31"],
    ]
    # 1. UTF-8 with BOM, semicolons, title and note rows (Excel "CSV UTF-8" on a Vietnamese Windows).
    write(
        "good_wide_bom_semicolon.csv", "\ufeff" + csv([[t] for t in TITLE] + wide + [[n] for n in NOTE], ";")
    )
    # 2. Windows-1258 with commas, names without the codes (Excel "CSV" on an older machine).
    names = [["Tên đơn vị", "Tháng", "Năm", "Số hồ sơ tiếp nhận", "Số hồ sơ số hóa"],
             ["TT. Châu Ổ", "2", "2025", "210", "150"],
             ["Xã Bình Tri", "2", "2025", "98", "60"],
             ["binh chuong", "2", "2025", "77", "70"]]  # fmt: skip
    write("good_names_cp1258.csv", cp1258_form(csv(names, ",")), "cp1258")
    # 3. UTF-16 with tabs (Excel "Unicode text"), long shape, decomposed text, many period forms.
    long = [["Mã đơn vị", "Kỳ", "Chỉ tiêu", "Giá trị"],
            ["21049", "T3/2025", "dossiers_received", "21 777"],
            ["21049", "03/2025", "Số hồ sơ số hóa", "21.000"],
            ["21052", "2025-03", "so ho so tiep nhan", "50"],
            ["21052", "3-2025", "Hồ sơ TTHC được số hóa khi tiếp nhận", "12"],
            ["21055", "Quý I/2020", "dossiers_received", "300"],
            ["21055", "Q1/2020", "dossiers_digitized_at_intake", "120"],  # before the demo's months
            ["21058", "Năm 2024", "contest_district_first", "2"]]  # fmt: skip
    write("good_long_utf16_tab.txt", "\ufeff" + unicodedata.normalize("NFD", csv(long, "\t")), "utf-16-le")
    # 4. XLSX with a title, the data on a second sheet, numbers as numbers, a template's validation.
    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    book.active["A1"] = "Điền số liệu vào trang 'Số liệu'."
    sheet = book.create_sheet("Số liệu")
    sheet.append(["BÁO CÁO SỐ HÓA QUÝ I/2025"])
    sheet.append([])
    sheet.append(
        ["Mã xã", "Kỳ", "Số hồ sơ tiếp nhận", "Số hồ sơ trực tuyến", "Lượt đánh giá", "Rất hài lòng"]
    )
    sheet.append(["21061", "2025-01", 120, 30, None, None])
    sheet.append(["21064", "2025-01", 88.0, 8, None, None])
    sheet.append(["524-KTHT", "2025-01", 300, 90, 40, 35])
    sheet.data_validations.append(DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0"))
    sheet.append(["Ghi chú: đơn vị tính hồ sơ"])
    book.save(HERE / "good_wide.xlsx")
    # 5. Problems: one of each, in one file, so that every one is named at once.
    bad = [
        ["Mã xã", "Tên đơn vị", "Kỳ", "Số hồ sơ tiếp nhận", "Số hồ sơ số hóa"],
        ["21040", "", "Tháng 4/2025", "1,234", "10"],  # 2: ambiguous number
        ["", "Xã Bình Thành", "Tháng 4/2025", "10", "5"],  # 3: fits Bình Thạnh and Bình Thanh
        ["", "Xã Bình Hiệpp", "Tháng 4/2025", "10", "5"],  # 4: no such unit, suggestions
        ["21043", "", "Tháng 4/2025", "10", "12"],  # 5: part larger than whole
        ["21046", "", "Tháng 4/2025", "-3", "0"],  # 6: negative
        ["21049", "", "Tháng 4/2025", "10,5", "1"],  # 7: not whole
        ["21052", "", "Tháng 4/2099", "10", "1"],  # 8: future
        ["21115", "", "Tháng 4/2025", "10", "1"],  # 9: a commune of Trà Bồng district
        ["21055", "", "Tháng 13/2025", "10", "1"],  # 10: no such month
        ["21040", "", "Tháng 4/2025", "11", "1"],  # 11: same as row 2
        ["21058", "", "Tháng 4/2025", "64,39%", "1"],
    ]  # 12: a rate where a count is due
    write("bad_every_problem.csv", csv(bad, ","))  # fmt: skip
    write("bad_no_header.csv", csv([["Tháng", "Số liệu"], ["1", "2"]], ","))
    # 6. Warnings: a value far outside the commune's own history.
    write("warn_outlier.csv", csv([["Mã xã", "Kỳ", "Số hồ sơ tiếp nhận"], ["21061", "2025-05", "9000"]], ","))
    # 7. Files that cannot be read.
    write("unreadable_empty.csv", "")
    (HERE / "unreadable_broken.xlsx").write_bytes(b"PK\x03\x04 this is not really a workbook")
    (HERE / "unreadable_old.xls").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 64)
    # TCVN3 (ABC font) bytes of "Mã xã;Kỳ\r\n21040;Tháng 1/2025": legacy encoding, no codec exists.
    (HERE / "unreadable_tcvn3.csv").write_bytes(b"M\xb8 x\xb8;K\xfa\r\n21040;Th\xb8ng 1/2025\r\n")


if __name__ == "__main__":
    main()
