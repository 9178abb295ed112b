"""Benchmark of the indicator computation on a national-scale store.

Builds (once, then reuses) a store with both maps of Vietnam's units and, for every commune of
the pre-2025 map and every district agency, 60 months (2020-2024) of the monthly elements with
synthetic values, and prints, each measured in a fresh process so that peak memory is its own:

- one rate for every commune by month for a year (the engine: kpi.computation, in DuckDB);
- the national and one-district roll-ups, and all the overview's indicators at once;
- the same per-commune monthly rate as a plain DuckDB group-by (sums only: no completeness,
  reporting, previous period or targets), through the same connection;
- the same rate done naively: load the observations into pandas, pivot.

The last two lines (other tools read them): `engine_vs_raw_duckdb: X.XX`, the engine's median
time divided by the plain group-by's, both taken in turns in one process (the goal: at most
2.00), and `engine_vs_naive_pandas: Y.Y`, how many times faster than the naive way the engine
is (the naive median over the engine's).

Usage: .venv/bin/python benchmarks/national_scale.py [--store PATH] [--rebuild] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kpi import catalog
from kpi.periods import Period, Range
from kpi.store import db, migrate, units, writes

DEFAULT_STORE = Path(__file__).resolve().parent.parent / "data" / "benchmark-national.duckdb"
MONTHS = [Period(date(2020, 1, 1), "month").shift(i) for i in range(60)]
RATE = "intake_digitization_rate"
YEAR = Range.year(2023)
RAW = """
select
    unit_code,
    period_start,
    sum(value) filter (where element_id = 'dossiers_digitized_at_intake') as numerator,
    sum(value) filter (where element_id = 'dossiers_received') as denominator,
    100 * sum(value) filter (where element_id = 'dossiers_digitized_at_intake')
        / sum(value) filter (where element_id = 'dossiers_received') as value
from observations
where element_id in ('dossiers_digitized_at_intake', 'dossiers_received')
    and period_type = 'month' and period_start >= date '2023-01-01' and period_end <= date '2024-01-01'
group by unit_code, period_start
"""


def build(path: Path) -> dict[str, float]:
    """Create the national store with synthetic monthly values; returns its size figures."""
    path.unlink(missing_ok=True)
    engine = db.get_engine(f"duckdb:///{path}")
    migrate.migrate(engine)
    frame = units.divisions()
    monthly = [e for e in catalog.elements().values() if e.group in ("tthc", "survey")]
    rng = np.random.default_rng(2023)
    started = time.perf_counter()
    rows = 0
    with engine.begin() as conn:
        writes.sync_definitions(conn)
        writes.upsert_units(conn, frame)
        source = writes.source_id(conn, "benchmark", "synthetic", True, "synthetic national-scale values")
        for level in ("commune", "agency"):
            # 2020-2024: the units of the map before 1/7/2025 (the current map's communes begin later)
            codes = frame[(frame.level == level) & frame.valid_from.isna()].code.to_numpy()
            elements = [e for e in monthly if level in e.reported_by]
            received = rng.integers(20, 400, (len(codes), len(MONTHS)))
            for element in elements:
                share = 1.0 if element.part_of is None else rng.uniform(0.2, 0.9, received.shape)
                values = np.floor(received * share)
                rows += _insert(conn, codes, element.id, values, source)
    return {"rows": rows, "units": len(frame), "build_seconds": time.perf_counter() - started}


def upgrade(url: str) -> None:
    """Bring a store built by an older version up to date: its schema, and the indicators'
    cells that the computation reads (filled from the observations already there). Written as
    `init` writes, so the store has a version, as every store the product set up has (what the
    dashboard and the computation key what they keep by)."""
    engine = db.get_engine(url)
    migrate.migrate(engine)
    with db.writing(engine) as conn:
        writes.sync_definitions(conn)


def check_cells(url: str) -> None:
    """Stop when a cell is kept more than once: the timings would be those of a wrong
    computation (DuckDB 2.0.0 left the store so, and the engine ran three times slower)."""
    with db.get_engine(url).connect() as conn:
        twice = conn.exec_driver_sql(
            "select count(*) from (select 1 from indicator_cells"
            " group by indicator_id, unit_code, period_start, period_end having count(*) > 1)"
        ).scalar_one()
    if twice:
        sys.exit(f"{twice:,} cells of {url} are kept more than once: build it again with --rebuild")


def _insert(conn, codes: np.ndarray, element: str, values: np.ndarray, source: int) -> int:
    n_units, n_months = values.shape
    batch = pd.DataFrame(
        {
            "unit_code": np.repeat(codes, n_months),
            "element_id": element,
            "period_type": "month",
            "period_start": np.tile([m.start for m in MONTHS], n_units),
            "period_end": np.tile([m.end for m in MONTHS], n_units),
            "value": values.ravel().astype(float),
            "note": None,
        }
    )
    return writes.add_observations(conn, batch, source)


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """Median and best wall time of fn over repeat runs, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), result


def every_commune_by_month():
    """The case the ratio compares: the rate for every unit of the country by month for a year."""
    from kpi import computation

    return computation.Query((RATE,), "VN", YEAR, grain="month", by="unit")


def measure_engine(url: str, repeat: int) -> dict:
    from kpi import computation
    from kpi.dashboard import frames

    out = {}
    cases = {
        "every_commune_by_month_for_a_year": every_commune_by_month(),
        "national_rollup_year": computation.Query((RATE,), "VN", YEAR),
        "national_rollup_by_month": computation.Query((RATE,), "VN", YEAR, grain="month"),
        "one_district_rollup_year": computation.Query((RATE,), "524", YEAR),
        "one_district_by_commune": computation.Query((RATE,), "524", YEAR, by="child"),
        "one_district_overview_by_month": computation.Query(
            frames.headline_ids(), "524", YEAR, grain="month"
        ),
    }
    for name, query in cases.items():
        median, best, result = timed(lambda q=query: computation.compute(q, db.get_engine(url)), repeat)
        out[name] = {"median_s": median, "best_s": best, "rows": len(result)}
    return out


def raw_group_by(url: str) -> pd.DataFrame:
    """The same rate as one plain group-by, through the same connection and DataFrame hand-over."""
    with db.get_engine(url).connect() as conn:
        return conn.exec_driver_sql(RAW).cursor.fetchdf()


def measure_raw(url: str, repeat: int) -> dict:
    median, best, result = timed(lambda: raw_group_by(url), repeat)
    return {"every_commune_by_month_for_a_year": {"median_s": median, "best_s": best, "rows": len(result)}}


def measure_in_turns(url: str, repeat: int) -> dict:
    """The engine's every-commune case and the plain group-by taken in turns in one process, so
    that both meet the same moments of a busy machine: measured in processes one after the
    other, their ratio moved between 1.6 and 2.8 on one unchanged store."""
    from kpi import computation

    query = every_commune_by_month()
    cases = {
        "engine": lambda: computation.compute(query, db.get_engine(url)),
        "raw": lambda: raw_group_by(url),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for fn in cases.values():
        fn()  # both warm before the first turn
    for _ in range(repeat):
        for name, fn in cases.items():
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    return {name: {"median_s": statistics.median(t), "best_s": min(t)} for name, t in times.items()}


def measure_naive(url: str, repeat: int) -> dict:
    """What a dashboard without the engine would do: load the table, pivot in pandas.

    The load uses DuckDB's fast DataFrame hand-over, so the comparison is of where the sums
    are done, not of how rows cross into Python (through SQLAlchemy rows, as pd.read_sql
    does, the load alone takes about ten times longer).
    """

    def naive() -> pd.DataFrame:
        with db.get_engine(url).connect() as conn:
            result = conn.exec_driver_sql(
                "select unit_code, element_id, period_start, value from observations"
            )
            frame = result.cursor.fetchdf()
        frame = frame[pd.to_datetime(frame.period_start).dt.year == 2023]
        wide = frame.pivot_table(
            index=["unit_code", "period_start"], columns="element_id", values="value", aggfunc="sum"
        )
        return 100 * wide["dossiers_digitized_at_intake"] / wide["dossiers_received"]

    median, best, result = timed(naive, repeat)
    return {"every_commune_by_month_for_a_year": {"median_s": median, "best_s": best, "rows": len(result)}}


def child(mode: str, url: str, repeat: int) -> None:
    if mode == "upgrade":  # in a process of its own, so that no measured process inherits its peak memory
        upgrade(url)
        print(json.dumps({}))
        return
    measure = {
        "engine": measure_engine,
        "raw": measure_raw,
        "naive": measure_naive,
        "turns": measure_in_turns,
    }[mode]
    figures = measure(url, repeat)
    peak_mib = peak_rss_mib()
    print(json.dumps({"figures": figures, "peak_rss_mib": peak_mib}))


def peak_rss_mib() -> float:
    """This process's peak memory. Linux's VmHWM is its own; ru_maxrss also keeps the peak of
    the process it was started from (the parent that has just built the store)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(mode: str, url: str, repeat: int) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--url", url, "--repeat", str(repeat)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    children = ["upgrade", "engine", "raw", "naive", "turns"]
    parser.add_argument("--child", choices=children, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.repeat)
        return
    url = f"duckdb:///{args.store}"
    if args.rebuild or not args.store.exists():
        size = build(args.store)
        print(f"built {args.store}: {size['units']:,} units, {size['rows']:,} observations "
              f"in {size['build_seconds']:.1f} s")  # fmt: skip
    run_child("upgrade", url, 0)  # a store built by an older version
    check_cells(url)
    engine_run = run_child("engine", url, args.repeat)
    raw_run = run_child("raw", url, args.repeat)
    naive_run = run_child("naive", url, max(1, args.repeat // 2))
    turns = run_child("turns", url, 3 * args.repeat)["figures"]
    key = "every_commune_by_month_for_a_year"
    peak = engine_run["peak_rss_mib"]
    print(f"\nengine (kpi.computation), median and best of {args.repeat}, peak RSS {peak:.0f} MiB")
    for name, f in engine_run["figures"].items():
        timing = f"{f['median_s'] * 1000:8.0f} ms  (best {f['best_s'] * 1000:.0f} ms"
        print(f"  {name:<36} {timing}, {f['rows']:,} rows)")
    for label, run in (
        ("raw DuckDB group-by (sums only)", raw_run),
        ("naive (load into pandas, pivot)", naive_run),
    ):
        f = run["figures"][key]
        print(f"\n{label}, peak RSS {run['peak_rss_mib']:.0f} MiB")
        print(f"  {key:<36} {f['median_s'] * 1000:8.0f} ms  ({f['rows']:,} rows)")
    print(f"\nthe engine and the raw group-by in turns in one process, median and best of {3 * args.repeat}")
    for name, f in turns.items():
        print(f"  {name:<36} {f['median_s'] * 1000:8.0f} ms  (best {f['best_s'] * 1000:.0f} ms)")
    engine_s = engine_run["figures"][key]["median_s"]
    print()
    print(f"engine_vs_raw_duckdb: {turns['engine']['median_s'] / turns['raw']['median_s']:.2f}")
    print(f"engine_vs_naive_pandas: {naive_run['figures'][key]['median_s'] / engine_s:.1f}")


if __name__ == "__main__":
    main()
