"""The command line: python -m kpi init | indicators | units | elements | demo.

Every failure the user can cause (a bad argument, an unknown unit, a year with no data, a
store that is not set up or is busy) ends with one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from kpi import builtin, catalog, db, engine, fmt, importer, reads
from kpi.filereader import ReadError
from kpi.i18n import t
from kpi.periods import Period, PeriodError

EXIT_USAGE = 2
EXIT_UNREADABLE = 2
EXIT_PROBLEMS = 1


class CliError(Exception):
    """A problem to report to the user in one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage plus message
        raise CliError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m kpi", description="Digital-transformation KPIs of a district")
    parser.add_argument("--lang", choices=["vi", "en"], default=os.environ.get("KPI_LANG", "vi"))
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    init = sub.add_parser("init", help="create or migrate the store and load units and built-in data")
    init.add_argument("--district", help="district code (default: the store's, else 524 Bình Sơn)")
    init.add_argument("--no-demo", action="store_true", help="do not load illustrative data")

    ind = sub.add_parser("indicators", help="compute indicators")
    ind.add_argument("--indicator", action="append", dest="indicators", metavar="ID")
    ind.add_argument("--unit", help="unit code (default: the district)")
    when = ind.add_mutually_exclusive_group()
    when.add_argument("--year", type=int)
    when.add_argument("--period", help="2023, 2023-Q1 or 2023-03")
    when.add_argument("--from", dest="start", metavar="PERIOD", help="first period of a range")
    ind.add_argument("--to", dest="end", metavar="PERIOD", help="last period of a range (with --from)")
    ind.add_argument("--by", choices=["unit", "month", "quarter", "year"])
    ind.add_argument("--format", choices=["table", "csv", "json"], default="table")

    for name, text in (("units", "the unit tree"), ("elements", "the data elements")):
        listing = sub.add_parser(name, help=text)
        listing.add_argument("--format", choices=["table", "json"], default="table")

    demo = sub.add_parser("demo", help="load or remove the illustrative data")
    demo.add_argument("action", choices=["load", "remove"])

    load = sub.add_parser("import", help="check a CSV or XLSX file and store its values")
    load.add_argument("file")
    load.add_argument("--sheet", help="XLSX sheet (default: the first)")
    load.add_argument("--dry-run", action="store_true", help="only check and say what would change")
    load.add_argument(
        "--accept-warnings", action="store_true", help="store despite warnings (values checked)"
    )
    load.add_argument("--user", default=os.environ.get("USER", ""), help="who imports (for the log)")
    load.add_argument("--format", choices=["text", "json"], default="text")

    log = sub.add_parser("imports", help="the import log")
    log.add_argument("--format", choices=["table", "json"], default="table")

    undo = sub.add_parser("undo", help="undo an import, restoring exactly what it replaced")
    undo.add_argument("import_id", type=int)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command != "init" and not reads.is_ready():
            raise CliError(t("err_no_store", args.lang))
        return COMMANDS[args.command](args)
    except ReadError as exc:  # a file that cannot be read at all
        print(exc.en if args.lang == "en" else exc.vi, file=sys.stderr)
        return EXIT_UNREADABLE
    except (CliError, PeriodError, engine.UnknownIndicator, db.StoreBusy, importer.UndoRefused) as exc:
        print(str(exc).splitlines()[0], file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, CliError) else 1
    except sa.exc.SQLAlchemyError as exc:  # a store this version cannot use: say so in one line
        print(f"Lỗi cơ sở dữ liệu / database error: {str(exc.orig or exc).splitlines()[0]}", file=sys.stderr)
        return 1


def cmd_init(args: argparse.Namespace) -> int:
    from kpi.units import UnknownDistrict

    try:
        result = builtin.initialise(district=args.district, with_demo=not args.no_demo)
    except UnknownDistrict as exc:
        raise CliError(str(exc)) from None
    if result.migrations:
        print(t("init_migrated", args.lang, versions=", ".join(map(str, result.migrations))))
    if "demo_removed" in result.notes:
        print(t("init_demo_removed", args.lang))
    name = (reads.unit(result.district) or {}).get("name", result.district)
    print(
        t(
            "init_done",
            args.lang,
            district=name,
            units=result.units,
            report=result.report_values,
            demo=result.demo_values,
            targets=result.demo_targets,
        )
    )
    return 0


def _range(args: argparse.Namespace, root: dict) -> tuple[date, date]:
    """The first day and the day after the last of what the user asked for."""
    if args.period:
        period = Period.parse(args.period)
        return period.start, period.end
    if args.start:
        first = Period.parse(args.start)
        last = Period.parse(args.end) if args.end else first
        return first.start, last.end
    if args.end:
        raise CliError("--to cần đi cùng --from / --to needs --from")
    years = engine.data_years(root["code"])
    if not years:
        raise CliError(t("err_no_data", args.lang, unit=root["name"]))
    year = args.year or years[-1]
    if year not in years:
        shown = ", ".join(map(str, years))
        raise CliError(t("err_no_data_year", args.lang, year=year, unit=root["name"], years=shown))
    return date(year, 1, 1), date(year + 1, 1, 1)


def cmd_indicators(args: argparse.Namespace) -> int:
    code = args.unit or reads.setting("district")
    root = reads.unit(code) if code else None
    if root is None:
        raise CliError(t("err_unknown_unit", args.lang, code=code))
    if args.by == "unit" and not root["children"]:
        raise CliError(t("err_no_children", args.lang, unit=root["name"]))
    start, end = _range(args, root)
    ids = tuple(args.indicators or catalog.indicators())
    grain = args.by if args.by in ("month", "quarter", "year") else "total"
    query = engine.Query(
        ids, root["code"], start, end, grain=grain, by="child" if args.by == "unit" else "total"
    )
    result = engine.compute(query)
    if result.numerator.isna().all():
        raise CliError(t("err_no_data", args.lang, unit=root["name"]) + f" ({query.start}..{query.end})")
    print(_render(result, args.format, args.lang))
    return 0


def _render(result: pd.DataFrame, form: str, lang: str) -> str:
    if form == "json":
        return _json(result[[c for c in engine.COLUMNS if c not in ("period_start", "period_end")]])
    if form == "csv":
        return result.to_csv(index=False).rstrip("\n")
    return _table(result, lang)


def _json(frame: pd.DataFrame) -> str:
    """Rows as a JSON list of objects; missing values become null, dates ISO text."""
    return _json_obj(frame.astype(object).where(frame.notna(), None).to_dict("records"))


def _json_obj(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _table(result: pd.DataFrame, lang: str) -> str:
    defs = catalog.indicators()
    rows = []
    for r in result.itertuples():
        unit = defs[r.indicator].unit
        rows.append(
            {
                t("indicator", lang): defs[r.indicator].name(lang),
                t("unit", lang): r.unit_name,
                t("period", lang): r.period,
                t("value", lang): fmt.value(r.value, unit, lang),
                t("numerator", lang): fmt.number(r.numerator, lang),
                t("denominator", lang): fmt.number(r.denominator, lang),
                t("target", lang): fmt.value(r.target, unit, lang),
                t("gap", lang): fmt.signed(r.gap, lang, unit),
                t("change", lang): fmt.signed(r.change, lang, unit),
                t("reported", lang): f"{r.units_reported}/{r.units_expected}",
            }
        )
    return pd.DataFrame(rows).to_string(index=False)


def cmd_units(args: argparse.Namespace) -> int:
    tree = reads.unit_tree()
    if args.format == "json":
        records = tree[["code", "name", "level", "kind", "parent_code", "valid_from", "valid_to"]]
        print(_json(records))
        return 0
    depth = {None: -1}
    lines = []
    for row in tree.itertuples():
        depth[row.code] = depth.get(row.parent_code, -1) + 1
        lines.append(f"{'  ' * depth[row.code]}{row.code:<11} {row.name} ({row.level})")
    print("\n".join(lines))
    return 0


def cmd_elements(args: argparse.Namespace) -> int:
    frame = reads.elements()
    if args.format == "json":
        frame.insert(3, "unit", frame.unit_vi)  # what one of it is, in Vietnamese; unit_en follows
        print(_json(frame))
        return 0
    lang = args.lang
    shown = pd.DataFrame(
        {
            t("code", lang): frame.id,
            t("name", lang): frame[f"name_{lang}"],
            t("element_unit", lang): frame[f"unit_{lang}"],
            t("part_of", lang): frame.part_of.fillna(""),
        }
    )
    print(shown.to_string(index=False))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    if args.action == "remove":
        print(t("demo_removed", args.lang, **builtin.remove_demo()))
    else:
        observations, targets = builtin.load_demo()
        print(t("demo_loaded", args.lang, observations=observations, targets=targets))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise ReadError(f"Không có tệp {path}.", f"There is no file {path}.")
    report = importer.check(path.read_bytes(), path.name, sheet=args.sheet)
    refused = bool(report.errors) or (bool(report.warnings) and not args.accept_warnings)
    result = None
    if not refused and not args.dry_run:
        result = importer.apply(report, user=args.user, accept_warnings=args.accept_warnings)
    if args.format == "json":
        print(_json_obj({**report.as_dict(args.lang), "import_id": result.import_id if result else None}))
    else:
        print(_import_text(report, result, args))
    if report.errors:
        return EXIT_PROBLEMS
    return 0 if args.dry_run or not refused else EXIT_PROBLEMS  # a dry run with warnings would import


def _import_text(report: importer.Report, result: importer.ImportResult | None, args) -> str:
    lang = args.lang
    info = report.as_dict(lang)
    lines = [
        t(
            "import_summary",
            lang,
            file=report.file_name,
            format=info["format"],
            encoding=info["encoding"] or info["sheet"] or "",
            shape=t(f"shape_{report.shape}", lang) if report.shape else "—",
            rows=report.rows_read,
            valid=report.rows_valid,
            errors=len(report.errors),
            warnings=len(report.warnings),
        )
    ]
    for problem in report.problems:
        where = t("at_row", lang, row=problem.row) if problem.row else ""
        if problem.column:
            where += t("at_column", lang, column=problem.column)
        value = f" '{problem.value}'" if problem.value else ""
        lines.append(f"  {t(f'severity_{problem.severity}', lang)} {where}{value}: {problem.message(lang)}")
    counts = report.counts()
    if not report.errors:
        lines.append(t("import_changes", lang, **counts))
    if result is not None:
        lines.append(
            t("import_done", lang, id=result.import_id) if result.import_id else t("import_nothing", lang)
        )
    elif report.errors:
        lines.append(t("import_refused", lang))
    elif report.warnings and not args.accept_warnings:
        lines.append(t("import_confirm", lang))
    return "\n".join(lines)


def cmd_imports(args: argparse.Namespace) -> int:
    log = importer.log()
    if args.format == "json":
        print(_json(log.drop(columns="source_id")))
    elif log.empty:
        print(t("imports_none", args.lang))
    else:
        print(log.drop(columns=["source_id", "sha256"]).to_string(index=False))
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    restored = importer.undo(args.import_id)
    print(t("undo_done", args.lang, id=args.import_id, count=restored))
    return 0


COMMANDS = {
    "init": cmd_init,
    "indicators": cmd_indicators,
    "units": cmd_units,
    "elements": cmd_elements,
    "demo": cmd_demo,
    "import": cmd_import,
    "imports": cmd_imports,
    "undo": cmd_undo,
}
