"""The meeting pack: PowerPoint with native charts and a Word report in the district's style,
from the command line, reopened with python-pptx and python-docx, and (where LibreOffice is
installed, scripts/install-office) converted to PDF and rendered as pictures to look at."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation

from kpi import config
from kpi.cli import main
from kpi.meeting import content, report, sentences, slides
from kpi.periods import Range
from kpi.store import db, reads

ARTIFACTS = config.PROJECT_DIR / "tests" / "artifacts"


def pack_file(tmp_path: Path, capsys, *args: str) -> tuple[Path, str]:
    out = tmp_path / f"pack.{args[args.index('--format') + 1]}"
    code = main(["pack", *args, "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    return out, printed.out


def slide_texts(deck: Presentation) -> list[str]:
    return [
        "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        for slide in deck.slides
    ]


def test_slides_hold_native_charts_the_real_figure_and_what_is_illustrative(
    demo_url, use_store, tmp_path, capsys
):
    use_store(demo_url)
    out, printed = pack_file(tmp_path, capsys, "--year", "2023", "--format", "pptx")
    assert "Số liệu minh họa" in printed
    deck = Presentation(str(out))
    texts = slide_texts(deck)
    cover = texts[0]
    assert "Huyện Bình Sơn" in cover and "năm 2023" in cover
    assert "Số liệu minh họa (giả lập để trình diễn, không dùng để báo cáo): Tỷ lệ hồ sơ trực tuyến" in cover
    assert "Số liệu thật (từ báo cáo và số liệu nhập): Tỷ lệ số hóa hồ sơ khi tiếp nhận" in cover
    intake = next(text for text in texts if text.startswith("Tỷ lệ số hóa hồ sơ khi tiếp nhận"))
    assert "64,39 %" in intake and "21.777 hồ sơ" in intake and "Chỉ tiêu 80,00 % (minh họa)" in intake
    assert "số liệu theo đơn vị: minh họa" in intake  # the bars are the demo's communes
    charts = [shape for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) >= 7 + 2  # an editable chart per indicator, the scorecard, the reporting
    bars = charts[0].chart
    assert len(bars.plots[0].categories) == 32 and bars.series[0].values[-1] > 0
    for slide in deck.slides:  # every slide links to the same view live, and has its QR code
        linked = [
            run.hyperlink.address
            for shape in slide.shapes
            if shape.has_text_frame
            for paragraph in shape.text_frame.paragraphs
            for run in paragraph.runs
            if run.hyperlink.address
        ]
        assert linked and linked[0].startswith(config.public_url())
        assert any(shape.shape_type == 13 for shape in slide.shapes)  # a picture: the QR code


def test_the_report_says_it_in_the_districts_words_and_tables(demo_url, use_store, tmp_path, capsys):
    use_store(demo_url)
    out, _ = pack_file(tmp_path, capsys, "--year", "2023", "--format", "docx")
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Tỷ lệ số hóa hồ sơ khi tiếp nhận đạt 64,39 % (21.777 hồ sơ)." in text
    assert "So với năm 2022 (41,00 %, minh họa), tăng 23,39 điểm %." in text
    assert "Các đơn vị chưa đạt chỉ tiêu (23): Thị trấn Châu Ổ (23,00 %)" in text
    assert "BÁO CÁO" in text and "Kết quả thực hiện các chỉ số chuyển đổi số năm 2023" in text
    issuer = doc.tables[0].rows[0].cells[0].text
    assert issuer == "UBND HUYỆN BÌNH SƠN"
    communes = doc.tables[1]
    assert [c.text for c in communes.rows[0].cells] == [
        "Đơn vị",
        "Giá trị",
        "Tử số",
        "Mẫu số",
        "So với chỉ tiêu",
    ]
    assert len(communes.rows) == 1 + 32 and "Xã Bình Chương" in communes.rows[1].cells[0].text


def test_the_pack_in_english_says_nothing_in_vietnamese_but_names(demo_url, use_store, tmp_path, capsys):
    use_store(demo_url)
    out, printed = pack_file(tmp_path, capsys, "--year", "2023", "--format", "docx", "--lang", "en")
    assert printed.startswith("Wrote ")
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Intake digitisation rate: 64.39 % (21,777 dossiers)." in text
    for vietnamese in ("đạt", "Chỉ tiêu", "minh họa", "So với"):
        assert vietnamese not in text


def test_no_sentence_claims_what_the_figures_do_not_hold(demo_url):
    engine = db.get_engine(demo_url)
    pack = content.gather(reads.unit("524", engine), Range.year(2021), engine)
    intake = pack.headlines[0]
    assert sentences.comparison(intake, pack.span, "vi") is None  # 2020 holds nothing to compare
    prizes = next(h for h in pack.headlines if h.indicator.id == "contest_prizes")
    assert sentences.target(prizes, "vi") is None and sentences.below_target(prizes, "vi") is None


def test_pack_refuses_a_file_it_cannot_write_and_a_year_without_data(demo_url, use_store, capsys):
    use_store(demo_url)
    assert main(["pack", "--year", "2023", "--format", "pptx", "--out", "/no/such/folder/p.pptx"]) == 2
    assert "Không ghi được tệp /no/such/folder/p.pptx" in capsys.readouterr().err
    assert main(["--lang", "en", "pack", "--year", "2019", "--format", "docx", "--out", "x.docx"]) == 2
    assert "2019" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed (scripts/install-office)"
)
@pytest.mark.parametrize("form", ["pptx", "docx"])
def test_libreoffice_opens_the_pack_and_its_pages_are_pictures(form, demo_url, use_store, tmp_path, capsys):
    import pypdfium2

    use_store(demo_url)
    out, _ = pack_file(tmp_path, capsys, "--year", "2023", "--format", form)
    profile = tmp_path / "profile"  # a profile of its own: no lock shared with another LibreOffice
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = pypdfium2.PdfDocument(str(out.with_suffix(".pdf")))
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert "64,39" in text and "21.777" in text
    assert len(pdf) >= (11 if form == "pptx" else 3)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for index in range(min(len(pdf), 3)):
        image = pdf[index].render(scale=1.2).to_pil()
        image.save(ARTIFACTS / f"pack-{form}-{index + 1}.png")


def test_a_communes_pack_leaves_out_what_it_does_not_report(demo_url):
    engine = db.get_engine(demo_url)
    pack = content.gather(reads.unit("21040", engine), Range.year(2023), engine)
    ids = [h.indicator.id for h in pack.headlines]
    assert "satisfaction_rate" not in ids  # the district's agencies ran the survey before 7/2025
    assert ids[0] == "intake_digitization_rate" and pack.headlines[0].units.empty
    deck = Presentation(io.BytesIO(slides.build(pack)))
    assert len(deck.slides) == 1 + len(ids) + 3  # the cover, the indicators, scorecard, reporting, sources
    assert Document(io.BytesIO(report.build(pack))).tables[0].rows[0].cells[0].text == "UBND THỊ TRẤN CHÂU Ổ"
