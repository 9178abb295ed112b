"""Benchmark of the dashboard pages on the national-scale store.

Runs each page script through Streamlit's AppTest (the script alone, no browser) against the
store built by benchmarks/national_scale.py, with Bình Sơn as the dashboard's district, and
prints for each page: the first (cold) run, a warm rerun, and the rerun after a filter change
(another time range and break-down, so the cached queries miss), next to an empty page's
time in the same run. The last line, `slowest_filter_change_ms: N`, is the slowest page's
filter change (the goal: at most 300 ms); other tools read it.

Usage: .venv/bin/python benchmarks/national_scale.py   (once, to build the store)
       .venv/bin/python benchmarks/page_times.py [--store PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st
from national_scale import DEFAULT_STORE, upgrade
from streamlit.testing.v1 import AppTest

from kpi import config
from kpi.meeting import links
from kpi.store import db, writes

PAGES = links.READING
FIRST = {"span": ("2024-01", "2024-12")}
CHANGED = {"span": ("2023-01", "2023-12"), "grain": "quarter"}


def run(at: AppTest, **state) -> float:
    for key, value in state.items():
        at.session_state[key] = value
    started = time.perf_counter()
    at.run(timeout=300)
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError("\n".join(at.exception[0].stack_trace))
    return elapsed


def measure(script: str, repeat: int) -> dict[str, float]:
    cold, warm, changed = [], [], []
    for _ in range(repeat):
        st.cache_data.clear()
        at = AppTest.from_file(script, default_timeout=300)
        cold.append(run(at, **FIRST))
        warm.append(run(at))
        changed.append(run(at, **CHANGED))
    return {
        "cold": statistics.median(cold),
        "warm": statistics.median(warm),
        "changed": statistics.median(changed),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.store.exists():
        sys.exit(f"{args.store} does not exist: run benchmarks/national_scale.py first")
    url = f"duckdb:///{args.store}"
    os.environ["KPI_DATABASE_URL"] = url
    upgrade(url)  # a store built by an older version
    with db.get_engine(url).begin() as conn:
        writes.set_setting(conn, "district", "524")  # the dashboard shows one district of the country
    empty = Path(config.PROJECT_DIR / "data" / "benchmark-empty-page.py")
    empty.write_text("import streamlit as st\n\nst.title('empty')\n")
    try:
        baseline = measure(str(empty), args.repeat)
        print(f"page script times on {args.store.name}, median of {args.repeat} (AppTest, no browser)\n")
        print(f"  {'page':<14} {'cold':>9} {'warm':>9} {'filter changed':>15}")
        print(f"  {'(empty page)':<14} {baseline['cold'] * 1000:7.0f} ms {baseline['warm'] * 1000:7.0f} ms "
              f"{baseline['changed'] * 1000:12.0f} ms")  # fmt: skip
        slowest = 0.0
        for name in PAGES:
            t = measure(str(config.PROJECT_DIR / "pages" / f"{name}.py"), args.repeat)
            times = " ".join(
                f"{t[k] * 1000:{w}.0f} ms" for k, w in (("cold", 7), ("warm", 7), ("changed", 12))
            )
            print(f"  {name:<14} {times}")
            slowest = max(slowest, t["changed"])
    finally:
        empty.unlink(missing_ok=True)
    print(f"\nslowest_filter_change_ms: {slowest * 1000:.0f}")


if __name__ == "__main__":
    main()
