"""The dashboard in a real browser: Debian's Chromium driven by Playwright.

Starts the real server on the built-in data the way scripts/start does, opens every page,
changes a filter, opens the copied address in a new session, restarts the server and opens a
deep link first, and saves a screenshot of each page in tests/artifacts/. Every wait is on a
condition, with limits generous enough for a busy machine. Skips, saying why, on a machine
without Chromium (scripts/install-browser installs it).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from kpi import config
from kpi.store import db, demo, setup
from tests.helpers import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = shutil.which("chromium")
ARTIFACTS = config.PROJECT_DIR / "tests" / "artifacts"
PAGES = {
    "tong-quan": "Tổng quan",
    "so-hoa-tthc": "Số hóa TTHC",
    "hai-long": "Mức độ hài lòng",
    "thi-khkt": "Thi khoa học kỹ thuật",
    "khcn-dmst": "Khoa học, công nghệ và ĐMST",
    "chi-so-766": "Chỉ số 766",
    "nhap-du-lieu": "Nhập dữ liệu",
    "bao-cao": "Số liệu đã báo cáo",
    "chi-so": "Chỉ số",
    "quan-tri": "Quản trị",
}
RUNNING = '[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]'
WAIT_MS = 90_000  # a busy 2-core machine can take long; a condition ends each wait early
CHARTS = {
    "tong-quan": 0,  # the cards' sparklines are Streamlit's own
    "so-hoa-tthc": 1,
    "hai-long": 2,
    "thi-khkt": 0,  # the latest year (this one) has no results yet: the page offers the last one
    "khcn-dmst": 0,  # yearly figures too: the page offers the report's year
    "bao-cao": 1,
    "chi-so-766": 1,
    "chi-so": 0,
    "nhap-du-lieu": 0,
    "quan-tri": 0,
}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if CHROMIUM is None:
    pytest.skip(
        "Chromium is not installed (Debian package 'chromium'; scripts/install-browser installs it as root)",
        allow_module_level=True,
    )

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str):
    """The dashboard as scripts/start serves it, on a free port; returns (process, address)."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "scripts/serve.py", "--server.port", str(port), "--server.headless", "true"],
        cwd=config.PROJECT_DIR,
        env={**os.environ, "KPI_DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                return process, base
        except OSError:
            time.sleep(0.3)
    process.kill()
    pytest.fail(f"the dashboard did not start: {process.stderr.read().decode()[-2000:]}")


def stop_server(process) -> None:
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"duckdb:///{tmp_path_factory.mktemp('browser') / 'kpi.duckdb'}"
    setup.initialise(db.get_engine(url))
    signed_in(url, "admin")
    signed_in(url, "viewer", name="vy")
    signed_in(url, "analyst", ("21061",), name="ana")  # Bình Trị
    return url


@pytest.fixture(scope="module")
def server(store_url):
    process, base = start_server(store_url)
    yield base
    stop_server(process)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1440, "height": 1800}, locale="vi-VN")
    yield context.new_page()
    context.close()


def settle(page: Page, title: str) -> None:
    """Wait until the page's title is drawn and Streamlit has finished running the script: the
    running sign gone, the page's elements no longer stale (greyed) from the run before, and no
    grey placeholder (skeleton) left for an element still to come. The running sign shows only
    after a moment, and a page opened with its language and mode in the address runs twice:
    without the placeholders in the condition, a screenshot could catch empty cards."""
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=WAIT_MS)
    page.wait_for_function(
        f"""() => !document.querySelector('{RUNNING}')
            && !document.querySelector('[data-stale="true"]')
            && !document.querySelector('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]')""",
        timeout=WAIT_MS,
    )


def sign_in(page: Page, name: str, title: str) -> None:
    """Fill the page's sign-in form (the test accounts' password is pw-NAME)."""
    page.get_by_label("Tên tài khoản").fill(name)
    page.get_by_label("Mật khẩu").fill(f"pw-{name}")
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_timeout(300)  # the form's submission starts a run; settle waits for its end
    settle(page, title)


def cards_uncut(page: Page) -> None:
    """No card's name or figure is cut short ("206 triệu …"): each line of it fits its box."""
    cut = page.evaluate(
        """() => Array.from(document.querySelectorAll(
                '[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] *'))
            .filter(e => e.scrollWidth > e.clientWidth + 1)
            .map(e => e.innerText)"""
    )
    assert not cut, cut


def line_labels_clear_of_bars(page: Page) -> None:
    """A chart's line labels ("Chỉ tiêu") cover no bar: on the ranking, the label sat on the top
    unit's bar wherever that bar crossed the target line."""
    covering = page.evaluate(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap(plot => {
            const bars = Array.from(plot.querySelectorAll('.bars .point path'))
                .map(e => e.getBoundingClientRect());
            return Array.from(plot.querySelectorAll('.annotation-text'))
                .filter(label => {
                    const r = label.getBoundingClientRect();
                    return bars.some(b => r.left < b.right && b.left < r.right
                        && r.top < b.bottom && b.top < r.bottom);
                })
                .map(label => label.textContent);
        })"""
    )
    assert not covering, covering


def range_ends_in_sidebar(page: Page) -> None:
    """The time range's ends stay inside the sidebar, not cut at its right edge ("Tháng 12/202")."""
    spilt = page.evaluate(
        """() => {
            const side = document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect();
            return Array.from(document.querySelectorAll(
                    '[data-testid="stSidebar"] [data-testid="stSliderThumbValue"]'))
                .filter(e => e.getBoundingClientRect().right > side.right)
                .map(e => e.innerText);
        }"""
    )
    assert not spilt, spilt


def no_error(page: Page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()
    assert page.get_by_text("Page not found").count() == 0


@pytest.mark.parametrize("slug", PAGES)
def test_every_page_draws_without_error(server, page, slug):
    page.goto(server)  # a visitor arrives at the start page, then follows the menu
    settle(page, PAGES["tong-quan"])
    page.get_by_role("link", name=PAGES[slug], exact=True).first.click()
    settle(page, PAGES[slug])
    no_error(page)
    cards_uncut(page)
    expect(page.get_by_text("Số liệu minh họa").first).to_be_visible()
    if CHARTS[slug]:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=WAIT_MS)
        assert page.locator(".js-plotly-plot").count() >= CHARTS[slug]
        line_labels_clear_of_bars(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{slug}.png"), full_page=True)


def test_the_target_label_covers_no_bar(server, page):
    """In 2023 the first communes pass the target: their bars cross its line, under its label."""
    page.goto(f"{server}/so-hoa-tthc?{Y2023}")
    settle(page, PAGES["so-hoa-tthc"])
    page.wait_for_selector(".js-plotly-plot .bars .point path", timeout=WAIT_MS)
    line_labels_clear_of_bars(page)


@pytest.mark.parametrize("slug", PAGES)
def test_every_page_on_the_map_before_2025(server, page, slug):
    """The default range is this year, on the current map; a link to 2024 on the old map shows
    the district and its 22 units."""
    path = "" if slug == "tong-quan" else slug  # the start page lives at /
    page.goto(f"{server}/{path}?from=2024-01&to=2024-12&map=legacy")
    settle(page, PAGES[slug])
    no_error(page)
    if slug not in ("chi-so", "nhap-du-lieu", "quan-tri"):
        expect(page.get_by_text("Huyện Bình Sơn — Tháng 1/2024 – Tháng 12/2024").first).to_be_visible()
    if slug not in ("tong-quan", "khcn-dmst", "chi-so", "nhap-du-lieu", "quan-tri"):  # 2024 has contests
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=WAIT_MS)
    page.screenshot(path=str(ARTIFACTS / f"{slug}-legacy.png"), full_page=True)


def test_a_filter_change_and_the_copied_address(server, browser, page):
    page.goto(server)
    settle(page, PAGES["tong-quan"])
    page.get_by_role("link", name=PAGES["so-hoa-tthc"], exact=True).first.click()
    settle(page, PAGES["so-hoa-tthc"])
    page.get_by_text("Quý", exact=True).click()  # break down by quarter
    page.wait_for_function("() => location.search.includes('grain=quarter')", timeout=WAIT_MS)
    settle(page, PAGES["so-hoa-tthc"])
    page.get_by_role("tab", name="Diễn biến").click()
    year = demo.last_full_month(date.today()).start.year  # the default: the latest year with data
    expect(page.locator(".js-plotly-plot").get_by_text(f"Quý I/{year}").first).to_be_attached(timeout=WAIT_MS)
    no_error(page)
    address = page.url
    assert "/so-hoa-tthc" in address and f"from={year}-01" in address

    other = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    other.goto(server)  # a fresh session, as a colleague opening the shared link would have
    settle(other, PAGES["tong-quan"])
    other.goto(address)
    settle(other, PAGES["so-hoa-tthc"])
    no_error(other)
    assert other.url == address
    expect(other.get_by_role("radio", name="Quý")).to_be_checked()
    other.screenshot(path=str(ARTIFACTS / "shared-link.png"), full_page=True)
    other.context.close()


def test_english_and_presentation_mode(server, page):
    page.goto(f"{server}/?lang=en&present=1&from=2023-01&to=2023-12")  # the start page lives at /
    settle(page, "Overview")
    no_error(page)
    expect(page.get_by_text("64.39 %").first).to_be_visible()
    # Large type, readable from the back of the room: waited for, as the page's style may come
    # in a moment after the figures it styles.
    page.wait_for_function(
        """() => parseFloat(getComputedStyle(
            document.querySelector('[data-testid="stMetricValue"]')).fontSize) >= 48""",
        timeout=WAIT_MS,
    )
    page.screenshot(path=str(ARTIFACTS / "presentation-en.png"), full_page=True)


Y2023 = "from=2023-01&to=2023-12"
SCIENCE_EN = "Science, technology & innovation"


@pytest.mark.parametrize(
    ("shot", "query", "title", "seen"),
    [
        ("chi-so-766-2023", f"chi-so-766?{Y2023}", "Chỉ số 766", "Điểm trên phần đo được"),
        ("chi-so-766-en", f"chi-so-766?lang=en&{Y2023}", "766 scorecard", "Score on what is measured"),
        ("chi-so-766-trinh-chieu", f"chi-so-766?present=1&{Y2023}", "Chỉ số 766", "Điểm trên phần đo được"),
        ("khcn-dmst-2023", f"khcn-dmst?{Y2023}", PAGES["khcn-dmst"], "Mô hình khuyến nông"),
        ("khcn-dmst-en-present", f"khcn-dmst?lang=en&present=1&{Y2023}", SCIENCE_EN, "Extension models"),
    ],
)
def test_scorecard_and_report_pages_in_both_languages_and_on_the_wall(server, page, shot, query, title, seen):
    page.goto(f"{server}/{query}")
    settle(page, title)
    no_error(page)
    # exact: a table cell such as "Đợt tham quan học tập mô hình khuyến nông" holds the words too
    expect(page.get_by_text(seen, exact=True).first).to_be_visible(timeout=WAIT_MS)
    expect(page.locator('[data-testid="stMetricValue"]').first).to_be_visible(timeout=WAIT_MS)
    settle(page, title)  # a page opened with its language and mode in the address runs twice
    cards_uncut(page)
    range_ends_in_sidebar(page)
    line_labels_clear_of_bars(page)
    page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)


def test_either_map_and_a_new_communes_past(server, page):
    """The map control: the current map over the merger shows the new communes with the lines of
    the units they were made from; the map before 2025 shows the district again."""
    page.goto(f"{server}/so-hoa-tthc?from=2024-01&to=2025-12&grain=quarter")
    settle(page, PAGES["so-hoa-tthc"])
    page.get_by_text("Từ 01/7/2025 (xã mới)", exact=True).click()
    page.wait_for_function("() => location.search.includes('map=2025')", timeout=WAIT_MS)
    settle(page, PAGES["so-hoa-tthc"])
    expect(
        page.get_by_role("heading", name="Khu vực Bình Sơn — Tháng 1/2024 – Tháng 12/2025")
    ).to_be_visible()
    page.get_by_role("tab", name="Trước sáp nhập").click()
    expect(page.get_by_text("Xã Tịnh Hòa (21187)").first).to_be_visible(timeout=WAIT_MS)
    expect(page.locator(".js-plotly-plot").get_by_text("Thị trấn Châu Ổ").first).to_be_attached(
        timeout=WAIT_MS
    )
    no_error(page)
    page.screenshot(path=str(ARTIFACTS / "map-2025-merger.png"), full_page=True)
    page.get_by_text("Trước 01/7/2025 (có huyện)", exact=True).click()
    page.wait_for_function("() => location.search.includes('map=legacy')", timeout=WAIT_MS)
    settle(page, PAGES["so-hoa-tthc"])
    expect(page.get_by_role("heading", name="Huyện Bình Sơn — Tháng 1/2024 – Tháng 12/2025")).to_be_visible()
    no_error(page)
    page.screenshot(path=str(ARTIFACTS / "map-legacy.png"), full_page=True)


def test_artifacts_folder_is_ignored_by_git():
    ignored = (config.PROJECT_DIR / ".gitignore").read_text()
    assert "tests/artifacts/" in ignored and Path(ARTIFACTS).name == "artifacts"


def test_upload_a_file_with_problems(server, page):
    page.goto(server)
    settle(page, PAGES["tong-quan"])
    page.get_by_role("link", name=PAGES["nhap-du-lieu"], exact=True).first.click()
    settle(page, PAGES["nhap-du-lieu"])
    sign_in(page, "test-admin", PAGES["nhap-du-lieu"])
    bad = config.PROJECT_DIR / "tests" / "imports" / "bad_every_problem.csv"
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    expect(page.get_by_text("Các dòng có vấn đề trong tệp").first).to_be_visible(timeout=WAIT_MS)
    settle(page, PAGES["nhap-du-lieu"])
    no_error(page)
    expect(page.get_by_text("Chưa lưu gì: sửa các lỗi trên rồi nhập lại.")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "nhap-du-lieu-loi.png"), full_page=True)


def test_the_import_page_needs_an_account_and_keeps_an_analyst_to_their_units(server, page, tmp_path):
    dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    page.goto(f"{server}/nhap-du-lieu")
    settle(page, PAGES["nhap-du-lieu"])
    expect(page.get_by_label("Mật khẩu")).to_be_visible()
    assert dropzone.count() == 0
    page.screenshot(path=str(ARTIFACTS / "nhap-du-lieu-dang-nhap.png"), full_page=True)
    sign_in(page, "vy", PAGES["nhap-du-lieu"])  # a viewer: told why, still no uploader
    expect(page.get_by_text("không có quyền nhập tệp").first).to_be_visible()
    assert dropzone.count() == 0
    page.get_by_role("button", name="Đăng xuất").click()
    settle(page, PAGES["nhap-du-lieu"])
    sign_in(page, "ana", PAGES["nhap-du-lieu"])
    expect(page.get_by_text("Đang đăng nhập: ana").first).to_be_visible()
    mixed = tmp_path / "binh-tri.csv"
    rows = ["Mã xã,Kỳ,Số hồ sơ tiếp nhận,Số hồ sơ số hóa", "21061,2025-03,40,20", "21112,2025-03,50,25"]
    mixed.write_text("\n".join([*rows, "21112,2025-04,51,26"]), encoding="utf-8")
    dropzone.set_input_files(str(mixed))
    expect(page.get_by_text("Các dòng có vấn đề trong tệp").first).to_be_visible(timeout=WAIT_MS)
    settle(page, PAGES["nhap-du-lieu"])
    no_error(page)
    expect(page.get_by_text("Chưa lưu gì: sửa các lỗi trên rồi nhập lại.")).to_be_visible()
    problems = page.locator('[data-testid="stDataFrame"]').first
    expect(problems).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "nhap-du-lieu-ngoai-don-vi.png"), full_page=True)


def test_a_deep_link_as_the_first_request_after_a_restart(store_url, browser):
    # A meeting's link opened right after the dashboard was restarted: the very first request of
    # the server is the deep link itself.
    process, base = start_server(store_url)
    try:
        page = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN").new_page()
        page.goto(f"{base}/so-hoa-tthc?from=2023-01&to=2023-12&grain=quarter")
        settle(page, PAGES["so-hoa-tthc"])
        no_error(page)
        nav = page.locator('[data-testid="stSidebarNav"]')
        expect(nav.get_by_text(PAGES["so-hoa-tthc"])).to_be_visible()
        for raw in ("digitisation", "overview", "shared", "upload"):  # file names of pages/
            assert nav.get_by_text(raw, exact=True).count() == 0
        expect(page.get_by_role("radio", name="Quý")).to_be_checked()
        expect(page.get_by_text("64,39 %").first).to_be_visible()
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=WAIT_MS)  # the ranking, drawn
        page.screenshot(path=str(ARTIFACTS / "deep-link-first.png"), full_page=True)
        page.context.close()
    finally:
        stop_server(process)


def test_the_table_downloads_are_made_on_click(server, page):
    page.goto(f"{server}/so-hoa-tthc?from=2023-01&to=2023-12&grain=year")
    settle(page, PAGES["so-hoa-tthc"])
    page.get_by_role("tab", name="Bảng số liệu").click()
    for label, check in (("CSV", lambda b: b.startswith(b"\xef\xbb\xbf") and "Chỉ số".encode() in b),
                         ("XLSX", lambda b: b.startswith(b"PK"))):  # fmt: skip
        with page.expect_download(timeout=WAIT_MS) as download:
            page.get_by_role("button", name=label, exact=True).click()
        content = Path(download.value.path()).read_bytes()
        assert check(content), label
        assert download.value.suggested_filename.startswith("so-hoa-tthc_524_2023-01_2023-12")


def test_the_open_tab_stays_open_across_a_language_switch(server, page):
    page.goto(f"{server}/so-hoa-tthc?from=2023-01&to=2023-12&grain=year")
    settle(page, PAGES["so-hoa-tthc"])
    page.get_by_role("tab", name="Bảng số liệu").click()
    expect(page.get_by_role("button", name="XLSX", exact=True)).to_be_visible(timeout=WAIT_MS)
    page.get_by_text("English", exact=True).click()
    settle(page, "Digitised procedures")
    expect(page.get_by_role("tab", name="Table", exact=True)).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("button", name="XLSX", exact=True)).to_be_visible(timeout=WAIT_MS)


def test_the_meeting_pack_is_made_on_click_and_opens(server, page):
    from docx import Document
    from pptx import Presentation

    page.goto(f"{server}/?from=2023-01&to=2023-12")
    settle(page, PAGES["tong-quan"])
    for label, suffix in (("Slide họp (PowerPoint)", "pptx"), ("Báo cáo (Word)", "docx")):
        with page.expect_download(timeout=WAIT_MS) as download:
            page.get_by_role("button", name=label).click()
        assert download.value.suggested_filename == f"hop_524_2023-01_2023-12.{suffix}"
        path = download.value.path()
        if suffix == "pptx":
            charts = [s for slide in Presentation(path).slides for s in slide.shapes if s.has_chart]
            assert charts
        else:
            text = "\n".join(p.text for p in Document(path).paragraphs)
            assert "Tỷ lệ số hóa hồ sơ khi tiếp nhận đạt 64,39 % (21.777 hồ sơ)." in text


def shown_view(page: Page) -> str:
    """The slideshow's current view (its badge says which), '' before it has started."""
    return page.evaluate("() => document.getElementById('kpi-show-badge')?.dataset.view || ''")


def test_the_slideshow_cycles_views_on_the_wall_and_obeys_the_keys(server, browser):
    wall = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    started = time.monotonic()
    wall.goto(f"{server}/?present=1&advance=3&from=2023-01&to=2023-12")
    seen: list[str] = []
    while time.monotonic() - started < 15 and len(set(seen)) < 3:
        if (view := shown_view(wall)) and view not in seen:
            seen.append(view)
        time.sleep(0.2)
    assert len(set(seen)) >= 3, seen  # three views within 15 s of opening the address
    assert seen[:2] == ["tong-quan", "so-hoa-tthc:intake_digitization_rate"]
    expect(wall.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(wall.locator(".kpi-show-status")).to_contain_text("Huyện Bình Sơn — Tháng 1/2023 – Tháng 12/2023")
    badge = wall.locator("#kpi-show-badge")
    wall.keyboard.press("p")
    expect(badge).to_have_attribute("data-state", "paused")
    paused_on = shown_view(wall)
    time.sleep(4.5)  # longer than a slide: a paused show stays
    assert shown_view(wall) == paused_on
    wall.keyboard.press("p")
    expect(badge).to_have_attribute("data-state", "running")
    wall.keyboard.press("ArrowLeft")
    expect(badge).not_to_have_attribute("data-view", paused_on, timeout=WAIT_MS)
    back_to = shown_view(wall)
    wall.keyboard.press("ArrowRight")
    expect(badge).to_have_attribute("data-view", paused_on, timeout=WAIT_MS)
    assert back_to != paused_on
    wall.mouse.click(400, 500)  # someone uses the page: the show waits
    expect(badge).to_have_attribute("data-state", "paused")
    wall.screenshot(path=str(ARTIFACTS / "slideshow-1920.png"))
    small = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    small.goto(f"{server}/so-hoa-tthc?present=1&advance=30&from=2023-01&to=2023-12&indicator=on_time_rate")
    expect(small.locator("#kpi-show-badge")).to_have_attribute(
        "data-view", "so-hoa-tthc:on_time_rate", timeout=WAIT_MS
    )
    settle(small, PAGES["so-hoa-tthc"])
    expect(small.locator('[data-testid="stMetricValue"]').first).to_be_visible(timeout=WAIT_MS)
    assert small.locator('[data-testid="stMetricValue"]').count() == 1  # the slide's indicator only
    small.screenshot(path=str(ARTIFACTS / "slideshow-1280.png"))
    small.context.close()
    wall.context.close()


def test_switching_to_english_rewrites_the_filters_too(server, page):
    page.goto(server)
    settle(page, PAGES["tong-quan"])
    page.get_by_text("English", exact=True).click()
    settle(page, "Overview")
    # A widget that outlived the switch went on showing "Tỷ lệ số hóa hồ sơ khi tiếp nhận".
    expect(page.locator(".st-key-_widget_indicator_en input")).to_have_value("Intake digitisation rate")
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Month", exact=True)).to_be_visible()
