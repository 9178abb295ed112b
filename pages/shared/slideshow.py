"""The slideshow for the meeting room's wall: `?present=1&advance=N[&views=…]` cycles through a
list of views every N seconds, full screen, with the period and the data's status always in
view. Space or → next, ← back, p pause; it pauses by itself while someone uses the page.

A view is a page's url path, or on a page with indicators `path:indicator` (one slide per
indicator). The list and the interval live in the address, so the meeting room's PC opens the
same show from a bookmark. The timer and the keys run in the page (a script added to the
parent document: a component's own frame may not navigate the page), which opens the next
view when the time is up by pressing a hidden button: the next view comes in the same
session, as fast as a click on the menu (a new page load would cost seconds on the wall).
"""

from __future__ import annotations

import html
import json
from urllib.parse import urlencode

import streamlit as st

from kpi import catalog
from kpi.i18n import t
from kpi.meeting import links

MIN_SECONDS, MAX_SECONDS = 3, 600
#: The pages a show can hold, in the order of the menu; the pages whose indicators each get a slide.
PAGES = ("overview", "digitisation", "satisfaction", "contests", "science", "scorecard", "reporting")
PER_INDICATOR = {"digitisation": catalog.vocabulary().page_indicators["digitisation"]}

HIDE_CHROME = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], .st-key-show_next, .st-key-show_previous { display: none !important; }
.block-container { padding-top: 1rem !important; padding-bottom: 5rem !important;
  max-width: 100% !important; }
.kpi-show-status { position: fixed; left: 0; right: 0; bottom: 0; z-index: 999990; padding: .5rem 1.5rem;
  background: #000; color: #fff; font-size: 1.3rem; font-weight: 600; }
</style>
"""


def page_of(slug: str) -> str:
    """The page a view's url path names."""
    return next(p for p in PAGES if links.SLUGS[p] == slug)


def all_views() -> list[str]:
    """Every view a show can hold: each page, and each indicator of the pages that have one
    slide per indicator."""
    found = []
    for page in PAGES:
        slug = links.SLUGS[page]
        found += [f"{slug}:{i}" for i in PER_INDICATOR[page]] if page in PER_INDICATOR else [slug]
    return found


def parse_views(text: str | None) -> list[str]:
    """The views of the address, those that exist, in order; all of them when none is given."""
    known = all_views()
    asked = [v for v in (text or "").split(",") if v in known]
    return asked or known


def parse_seconds(text: str | None) -> int | None:
    """The interval of the address, within bounds; None when it is not a number."""
    try:
        return min(max(int(text or ""), MIN_SECONDS), MAX_SECONDS)
    except ValueError:
        return None


def view_label(view: str, lang: str) -> str:
    """'Số hóa TTHC — Tỷ lệ số hóa hồ sơ khi tiếp nhận' for a view."""
    slug, _, indicator = view.partition(":")
    page = page_of(slug)
    name = t(f"page_{page}", lang)
    return f"{name} — {catalog.indicators()[indicator].name(lang)}" if indicator else name


def start_address(views: list[str], params: dict[str, str]) -> str:
    """The address that opens a show at its first view."""
    slug, _, indicator = views[0].partition(":")
    query = {**params, "indicator": indicator} if indicator else params
    return f"/{links.path(page_of(slug))}?{urlencode(query)}"


def current_index(views: list[str], slug: str, indicator: str) -> int:
    """Where the page shown stands in the show (its indicator's slide, else its first)."""
    for index, view in enumerate(views):
        if view == f"{slug}:{indicator}" or view == slug:
            return index
    return next((i for i, v in enumerate(views) if v.startswith(f"{slug}:")), -1)


def _go(view: str) -> None:
    """A hidden button's callback: the view to show next (page_setup switches to it)."""
    st.session_state.show_target = view


def target() -> tuple[str, str] | None:
    """The page file and indicator of the view to switch to, once (None: stay)."""
    view = st.session_state.pop("show_target", None)
    if view is None:
        return None
    slug, _, indicator = view.partition(":")
    return f"pages/{page_of(slug)}.py", indicator


def run(page: str, indicator: str, lang: str, status: str, views: list[str], seconds: int) -> None:
    """Hide the menu, show the status bar, and start the timer and the keys."""
    st.html(HIDE_CHROME)
    here = current_index(views, links.SLUGS[page], indicator)
    st.html(f'<div class="kpi-show-status">{html.escape(status)}</div>')
    for key, step in (("show_next", 1), ("show_previous", -1)):
        st.button(key, key=key, on_click=_go, args=(views[(here + step) % len(views)],))
    setup = {
        "seconds": seconds,
        "view": views[here] if here >= 0 else "",
        "position": f"{here + 1}/{len(views)}",
        "paused": t("show_paused", lang),
        "keys": t("show_keys", lang),
    }
    st.iframe(f"<script>{SCRIPT.replace('__SETUP__', json.dumps(setup))}</script>", height=1)


#: Runs in the page itself (added to the parent document once per page load).
SCRIPT = """
const parentDoc = window.parent.document;
const old = parentDoc.getElementById('kpi-show-script');
if (old) { old.remove(); }
const script = parentDoc.createElement('script');
script.id = 'kpi-show-script';
script.textContent = `(() => {
  const setup = __SETUP__;
  const before = window.kpiShow;
  if (before) { clearInterval(before.timer); }
  const same = before && before.view === setup.view;  // the frame drawn again: the clock runs on
  const now = Date.now();
  const show = window.kpiShow = {
    deadline: same ? before.deadline : now + setup.seconds * 1000, tick: now, view: setup.view,
    paused: before ? before.paused : false, idleUntil: same ? before.idleUntil : 0 };
  let badge = document.getElementById('kpi-show-badge');
  if (!badge) {
    badge = document.createElement('div');
    badge.id = 'kpi-show-badge';
    badge.setAttribute('role', 'timer');
    badge.style.cssText = 'position:fixed;top:.6rem;right:1rem;z-index:999999;background:#000;color:#fff;'
      + 'font:600 1.4rem sans-serif;padding:.35rem .8rem;border-radius:.4rem;opacity:.85';
    document.body.appendChild(badge);
  }
  badge.dataset.view = setup.view;
  const press = (key) => {
    const button = document.querySelector('.st-key-' + key + ' button');
    if (button) { show.deadline = Date.now() + setup.seconds * 1000; button.click(); }
  };
  show.press = press;
  const draw = (waiting) => {
    const left = Math.max(0, Math.ceil((show.deadline - Date.now()) / 1000));
    badge.textContent = (waiting ? '‖ ' + setup.paused : '▶ ' + left + ' s')
      + ' · ' + setup.position + ' · ' + setup.keys;
    badge.dataset.state = waiting ? 'paused' : 'running';
  };
  // Wall-clock time: a page busy drawing its charts delays the ticks, not the slide's end.
  show.timer = setInterval(() => {
    const at = Date.now();
    const waiting = show.paused || at < show.idleUntil;
    if (waiting) { show.deadline += at - show.tick; }
    show.tick = at;
    if (!waiting && at >= show.deadline) { press('show_next'); }
    draw(waiting);
  }, 250);
  if (!window.kpiShowKeys) {
    window.kpiShowKeys = true;
    document.addEventListener('keydown', (e) => {
      const s = window.kpiShow;
      if (e.key === ' ' || e.key === 'ArrowRight') { e.preventDefault(); s.press('show_next'); }
      else if (e.key === 'ArrowLeft') { e.preventDefault(); s.press('show_previous'); }
      else if (e.key === 'p' || e.key === 'P') { s.paused = !s.paused; }
      else { s.idleUntil = Date.now() + 20000; }
    }, true);
    ['pointerdown', 'wheel', 'input'].forEach((kind) => document.addEventListener(kind, (e) => {
      if (e.isTrusted) { window.kpiShow.idleUntil = Date.now() + 20000; }  // someone is using the page
    }, true));
  }
  draw(show.paused);
})();`;
parentDoc.body.appendChild(script);
"""
