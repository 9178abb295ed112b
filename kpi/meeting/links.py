"""Links from a handed-out file back to the same view live, and their QR codes."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import qrcode

from kpi import config
from kpi.periods import Range

#: The dashboard's pages and their url paths: app.py's menu, the pack's links and the slideshow
#: read them here. The start page is served at / (its path works too).
SLUGS = {
    "overview": "tong-quan",
    "digitisation": "so-hoa-tthc",
    "satisfaction": "hai-long",
    "contests": "thi-khkt",
    "science": "khcn-dmst",
    "scorecard": "chi-so-766",
    "upload": "nhap-du-lieu",
    "reporting": "bao-cao",
    "catalogue": "chi-so",
    "administration": "quan-tri",
}
START = "overview"
#: The pages that only read the store (uploading and administration ask for an account that may write).
READING = tuple(p for p in SLUGS if p not in ("upload", "administration"))


def path(page: str) -> str:
    """The part of a page's address after the host: empty for the start page."""
    return "" if page == START else SLUGS[page]


def view_url(
    page: str,
    span: Range,
    map_id: str | None = None,
    lang: str = "vi",
    indicator: str | None = None,
    units: tuple[str, ...] = (),
) -> str:
    """The address of a page with the filters that show what a slide or a section shows, in the
    form the dashboard reads (from, to, map, indicator, unit, lang)."""
    params: list[tuple[str, str]] = [("from", span.first.code), ("to", span.last.code)]
    if map_id:
        params.append(("map", map_id))
    if indicator:
        params.append(("indicator", indicator))
    params += [("unit", u) for u in units]
    if lang in {"en"}:  # Vietnamese is the dashboard's own language: no parameter
        params.append(("lang", lang))
    return f"{config.public_url()}/{path(page)}?{urlencode(params)}"


def qr_png(url: str) -> bytes:
    """A QR code of the link, as a PNG a phone in the room can read off a slide or a page."""
    image = qrcode.make(url, box_size=6, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
