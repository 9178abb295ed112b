"""The command line: python -m kpi init | indicators | units | elements | demo | import | imports | undo
| scorecard | pack | users | approve | unapprove | audit.

One language per run (--lang, else KPI_LANG): every line it prints, help and errors included,
comes from kpi/definitions/labels.toml in that language. Every failure the user can cause (a
bad argument, an unknown unit, a year with no data, a store that is not set up or is busy)
ends with one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from kpi import access_commands, catalog, computation, config, fmt, scorecard
from kpi.access import accounts
from kpi.dashboard import tables
from kpi.i18n import Failure, t
from kpi.imports import checking, storing
from kpi.imports.reading import ReadError
from kpi.meeting import content, report, sentences, slides
from kpi.periods import Range
from kpi.store import db, reads, setup, units
from kpi.store.units import UnknownDistrict

EXIT_USAGE = 2
EXIT_UNREADABLE = 2
EXIT_PROBLEMS = 1
LANGUAGES = ("vi", "en")

#: What argparse says (always in English), read back into a label key and its values.
ARGPARSE_ERRORS = (
    (re.compile(r"the following arguments are required: (?P<args>.+)"), "err_cli_required"),
    (re.compile(r"unrecognized arguments: (?P<args>.+)"), "err_cli_unrecognized"),
    (re.compile(r"argument (?P<arg>[^:]+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"),
     "err_cli_choice"),
    (re.compile(r"argument (?P<arg>[^:]+): invalid \w+ value: (?P<value>.+)"), "err_cli_type"),
    (re.compile(r"argument (?P<arg>[^:]+): expected one argument"), "err_cli_value_missing"),
    (re.compile(r"argument (?P<arg>[^:]+): not allowed with argument (?P<other>.+)"), "err_cli_exclusive"),
    (re.compile(r"ambiguous option: (?P<arg>\S+) could match (?P<matches>.+)"), "err_cli_ambiguous"),
)  # fmt: skip


class CliError(Failure):
    """A problem to report to the user in one line."""


class _Parser(argparse.ArgumentParser):
    """argparse, speaking the run's language: its errors become label keys."""

    lang = "vi"

    def error(self, message: str) -> None:  # one line, not usage plus message
        for pattern, key in ARGPARSE_ERRORS:
            if found := pattern.fullmatch(message):
                raise CliError("err_cli", prog=self.prog, detail=t(key, self.lang, **found.groupdict()))
        raise CliError("err_cli", prog=self.prog, detail=t("err_cli_usage", self.lang, prog=self.prog))

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", t("cli_usage", self.lang), 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage: ", t("cli_usage", self.lang), 1)


def language(argv: Sequence[str]) -> str:
    """The run's language, known before the parser is built so that its help is in it too."""
    for index, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else None
        if arg == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        if value in LANGUAGES:
            return value
    return config.language()


def build_parser(lang: str = "vi") -> argparse.ArgumentParser:
    def helped(text_key: str) -> str:
        return t(f"cli_help_{text_key}", lang)

    def shown(name: str) -> str:  # how a value is named in help and messages
        return t(f"cli_metavar_{name}", lang)

    def parser_of(**kwargs) -> _Parser:
        made = _Parser(add_help=False, **kwargs)
        made.lang = lang
        made._positionals.title = t("cli_positionals", lang)
        made._optionals.title = t("cli_options", lang)
        made.add_argument("-h", "--help", action="help", help=helped("help"))
        return made

    parser = parser_of(prog="python -m kpi", description=helped("description"))
    parser.add_argument("--lang", choices=LANGUAGES, default=config.language(), help=helped("lang"))
    sub = parser.add_subparsers(dest="command", required=True, metavar=shown("command"), parser_class=_Parser)

    def command(name: str) -> _Parser:
        made = sub.add_parser(name, help=helped(name), description=helped(name), add_help=False)
        made.lang = lang
        made._positionals.title = t("cli_positionals", lang)
        made._optionals.title = t("cli_options", lang)
        made.add_argument("-h", "--help", action="help", help=helped("help"))
        return made

    init = command("init")
    init.add_argument("--district", metavar=shown("code"), help=helped("district"))
    init.add_argument("--no-demo", action="store_true", help=helped("no_demo"))
    init.add_argument("--refill-cells", action="store_true", help=helped("refill_cells"))

    ind = command("indicators")
    ind.add_argument(
        "--indicator", action="append", dest="indicators", metavar=shown("id"), help=helped("indicator")
    )

    def unit_and_range(made: _Parser) -> None:
        made.add_argument("--unit", metavar=shown("code"), help=helped("unit"))
        when = made.add_mutually_exclusive_group()
        when.add_argument("--year", type=int, metavar=shown("year"), help=helped("year"))
        when.add_argument("--period", metavar=shown("period"), help=helped("period"))
        when.add_argument("--from", dest="start", metavar=shown("period"), help=helped("from"))
        made.add_argument("--to", dest="end", metavar=shown("period"), help=helped("to"))

    unit_and_range(ind)
    ind.add_argument("--as-of", dest="as_of", metavar=shown("date"), help=helped("as_of"))
    ind.add_argument("--by", choices=["unit", "month", "quarter", "year"], help=helped("by"))
    ind.add_argument("--format", choices=["table", "csv", "json"], default="table", help=helped("format"))

    card = command("scorecard")
    unit_and_range(card)
    card.add_argument("--by", choices=["unit"], help=helped("by_unit"))
    card.add_argument("--format", choices=["table", "csv", "json"], default="table", help=helped("format"))

    pack = command("pack")
    unit_and_range(pack)
    pack.add_argument("--format", choices=["pptx", "docx"], required=True, help=helped("pack_format"))
    pack.add_argument("--out", type=Path, required=True, metavar=shown("file"), help=helped("pack_out"))
    # --lang also after the command (the pinned form); SUPPRESS keeps the one given before it
    pack.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=helped("lang"))
    pack.set_defaults(by=None)

    listing = command("units")
    listing.add_argument("--as-of", dest="as_of", metavar=shown("date"), help=helped("units_as_of"))
    for made in (listing, command("elements")):
        made.add_argument("--format", choices=["table", "json"], default="table", help=helped("format"))

    demo = command("demo")
    demo.add_argument("action", choices=["load", "remove"], help=helped("demo_action"))
    demo.add_argument("--user", metavar=shown("user"), help=helped("user"))

    load = command("import")
    load.add_argument("file", metavar=shown("file"), help=helped("file"))
    load.add_argument("--sheet", metavar=shown("sheet"), help=helped("sheet"))
    load.add_argument("--dry-run", action="store_true", help=helped("dry_run"))
    load.add_argument("--accept-warnings", action="store_true", help=helped("accept_warnings"))
    load.add_argument("--user", metavar=shown("user"), help=helped("user"))
    load.add_argument("--format", choices=["text", "json"], default="text", help=helped("format"))

    command("imports").add_argument(
        "--format", choices=["table", "json"], default="table", help=helped("format")
    )
    undo = command("undo")
    undo.add_argument("import_id", type=int, metavar=shown("number"), help=helped("import_id"))
    undo.add_argument("--user", metavar=shown("user"), help=helped("user"))
    access_commands.add_parsers(command, helped, shown)
    return parser


class _Printable(io.TextIOBase):
    """The terminal's side of stdout: control characters that came from a file or a user name
    (an escape sequence can recolour, retitle or clear a terminal) are dropped; JSON escapes
    them itself."""

    CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

    def __init__(self, target) -> None:
        self.target = target

    def write(self, text: str) -> int:
        return self.target.write(self.CONTROL.sub("", text))

    def flush(self) -> None:
        self.target.flush()

    def fileno(self) -> int:
        return self.target.fileno()


def main(argv: Sequence[str] | None = None) -> int:
    with contextlib.redirect_stdout(_Printable(sys.stdout)):
        return _main(argv)


def _main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = language(argv)
    try:
        args = build_parser(lang).parse_args(argv)
        if args.command != "init" and not reads.is_ready():
            raise CliError("err_no_store")
        if args.command != "init" and not reads.is_current():
            raise CliError("err_old_store")
        return COMMANDS[args.command](args)
    except ReadError as exc:  # a file that cannot be read at all
        _fail(exc.text(lang))
        return EXIT_UNREADABLE
    except Failure as exc:
        _fail(exc.text(lang))
        return EXIT_USAGE if isinstance(exc, CliError) else EXIT_PROBLEMS
    except sa.exc.SQLAlchemyError as exc:  # a store this version cannot use: say so in one line
        _fail(t("err_database", lang, kind=type(getattr(exc, "orig", None) or exc).__name__))
        return EXIT_PROBLEMS
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as Python's docs advise
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PROBLEMS


def _fail(message: str) -> None:
    print(_Printable.CONTROL.sub("", message.splitlines()[0]), file=sys.stderr)


def cmd_init(args: argparse.Namespace) -> int:
    try:
        result = setup.initialise(
            district=args.district, with_demo=not args.no_demo, refill_cells=args.refill_cells
        )
    except UnknownDistrict as exc:  # a bad argument
        raise CliError(exc.key, **exc.values) from None
    if result.migrations:
        print(t("init_migrated", args.lang, versions=", ".join(map(str, result.migrations))))
    if args.refill_cells or result.cells_refilled:
        print(t("init_cells_refilled", args.lang, cells=fmt.number(result.cells_refilled or 0, args.lang)))
    if "demo_removed" in result.notes:
        print(t("init_demo_removed", args.lang))
    if password := accounts.first_admin(db.get_engine()):  # printed here once, stored nowhere
        print(t("first_admin", args.lang, name=accounts.FIRST_ADMIN, password=password))
    name = (reads.unit(result.district) or {}).get("name", result.district)
    print(
        t(
            "init_done",
            args.lang,
            district=name,
            units=fmt.number(result.units, args.lang),
            report=fmt.number(result.report_values, args.lang),
            demo=fmt.number(result.demo_values, args.lang),
            targets=fmt.number(result.demo_targets, args.lang),
        )
    )
    return 0


def asked_range(args: argparse.Namespace) -> Range | None:
    """The months the user asked for (a period, a range or a year), or None for the latest year."""
    if args.period:
        return Range.parse(args.period)
    if args.start:
        return Range.parse(args.start, args.end)
    if args.end:
        raise CliError("err_cli_to_without_from")
    return Range.year(args.year) if args.year else None


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError("err_cli_bad_date", value=text) from None


def resolved_unit(code: str, day: date, lang: str) -> dict:
    """The unit a code names on a day, or an error saying when the code named what."""
    found = reads.unit_on(code, day)
    if found is not None:
        return found
    lives = reads.unit_lifetimes(code)
    if lives.empty:
        raise CliError("err_unknown_unit", code=code)
    when = "; ".join(
        f"{row.name} ({fmt.lifetime(row.valid_from, row.valid_to, lang)})"
        for row in lives.itertuples(index=False)
    )
    raise CliError("err_unit_not_in_force", code=code, day=fmt.day(day, lang), lifetimes=when)


def _year_with_data(root: dict, year: int | None) -> int:
    """The year asked, or the latest one, when the root's sub-tree holds data for it."""
    years = computation.data_years(root["code"])
    if not years:
        raise CliError("err_no_data", unit=root["name"])
    if year is not None and year not in years:
        raise CliError("err_no_data_year", year=year, unit=root["name"], years=", ".join(map(str, years)))
    return year or years[-1]


def asked_view(args: argparse.Namespace) -> tuple[dict, Range, str]:
    """The unit, the range and the map a command asks for: the map in force at --as-of (by
    default at the end of the range), so that a code names the unit it named that day, and on
    the current map a new commune's past is the sum of the units it was made from."""
    as_of = _day(getattr(args, "as_of", None))
    span = asked_range(args)
    if span is None:  # the latest year with data, of the unit asked or of the district's ground
        start = args.unit or reads.default_root(units.CURRENT) or reads.setting("district") or ""
        span = Range.year(_year_with_data(resolved_unit(start, as_of or date.today(), args.lang), None))
    day = as_of or span.last.start
    map_id = units.map_on(day)
    code = args.unit or reads.default_root(map_id)
    if code is None:
        raise CliError("err_no_store")
    root = resolved_unit(code, day, args.lang)
    if args.year:
        _year_with_data(root, args.year)
    if args.by == "unit" and not root["children"]:
        raise CliError("err_no_children", unit=root["name"])
    return root, span, map_id


def cmd_indicators(args: argparse.Namespace) -> int:
    """Indicators of a unit over a range (see asked_view)."""
    root, span, map_id = asked_view(args)
    ids = tuple(args.indicators or catalog.indicators())
    grain = args.by if args.by in ("month", "quarter", "year") else "total"
    by = "child" if args.by == "unit" else "total"
    query = computation.Query(ids, root["code"], span, grain=grain, by=by, map=map_id)
    result = computation.compute(query)
    if result.numerator.isna().all():
        raise CliError("err_no_data_in", unit=root["name"], span=span.label(args.lang))
    print(_render(result, args.format, args.lang))
    return 0


def cmd_scorecard(args: argparse.Namespace) -> int:
    """The Decision 766 scorecard of a unit (or of each unit under it) over a range."""
    root, span, map_id = asked_view(args)
    card = scorecard.scorecard(root["code"], span, by_unit=args.by == "unit", map_id=map_id)
    if not card.measured.any():
        raise CliError("err_no_data_in", unit=root["name"], span=span.label(args.lang))
    if args.format == "json":
        print(_json(card))
    elif args.format == "csv":
        print(card.to_csv(index=False).rstrip("\n"))
    else:
        print(tables.scorecard_table(card, args.lang).to_string(index=False))
        for row in scorecard.totals(card).query("group == 'total'").itertuples():
            print(
                t(
                    "score_total",
                    args.lang,
                    unit=row.unit_name,
                    points=row.points,
                    measured=row.measured_points,
                )
            )
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    """The meeting pack of a unit over a range, as PowerPoint or Word."""
    root, span, map_id = asked_view(args)
    pack = content.gather(root, span, lang=args.lang, map_id=map_id)
    if not any(h.has_value for h in pack.headlines):
        raise CliError("err_no_data_in", unit=root["name"], span=span.label(args.lang))
    data = (slides if args.format == "pptx" else report).build(pack)
    try:
        args.out.write_bytes(data)
    except OSError:  # the system's reason is in its own language: the message says what to check
        raise CliError("err_cli_cannot_write", path=str(args.out)) from None
    print(t("pack_written", args.lang, path=str(args.out), size=fmt.number(len(data) / 1024, args.lang)))
    for line in sentences.status_lines(pack):
        print(line)
    return 0


def _render(result: pd.DataFrame, form: str, lang: str) -> str:
    if form == "json":
        return _json(result[[c for c in computation.COLUMNS if c not in ("period_start", "period_end")]])
    if form == "csv":
        return result.to_csv(index=False).rstrip("\n")
    shown = tables.indicator_table(result, lang, keys=TABLE_COLUMNS)
    return shown.to_string(index=False)


TABLE_COLUMNS = tuple(key for key, _column, _how in tables.COLUMNS if key != "code")


def _json(frame: pd.DataFrame) -> str:
    """Rows as a JSON list of objects; missing values become null, dates ISO text (a day, not a
    timestamp: the store's dates come back from DuckDB as timestamps)."""
    frame = frame.copy()
    for column in frame.columns[[pd.api.types.is_datetime64_any_dtype(d) for d in frame.dtypes]]:
        frame[column] = frame[column].dt.date
    return fmt.json_text(frame.astype(object).where(frame.notna(), None).to_dict("records"))


def cmd_units(args: argparse.Namespace) -> int:
    """The units in force on a day (today by default), in tree order; the areas after them."""
    day = _day(args.as_of) or date.today()
    tree = reads.units_on(day)
    if args.format == "json":
        records = tree.assign(code=tree.official_code, parent_code=tree.parent_official_code)
        print(_json(records[["code", "name", "kind", "parent_code", "valid_from", "valid_to"]]))
        return 0
    depth: dict[str | None, int] = {}
    lines = [t("units_on_day", args.lang, day=fmt.day(day, args.lang))]
    for row in tree.itertuples():
        depth[row.code] = depth.get(row.parent_code, -1) + 1
        level = t(f"unit_level_{row.level}", args.lang)
        lines.append(f"{'  ' * depth[row.code]}{row.official_code:<11} {row.name} ({level})")
    for area in reads.unit_tree().query("level == 'area'").itertuples():
        lines.append(t("units_area", args.lang, id=area.code, name=area.name))
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
            t("measure", lang): frame.measure.map(lambda m: t(f"measure_{m}", lang)),
        }
    )
    print(shown.to_string(index=False))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    if args.action == "remove":
        print(t("demo_removed", args.lang, **setup.remove_demo(actor=access_commands.acting(args))))
    else:
        observations, targets = setup.load_demo(actor=access_commands.acting(args))
        print(t("demo_loaded", args.lang, observations=observations, targets=targets))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise ReadError("err_file_missing", path=str(path))
    actor = access_commands.acting(args)
    report = checking.check(path.read_bytes(), path.name, sheet=args.sheet, actor=actor)
    refused = bool(report.errors) or (bool(report.warnings) and not args.accept_warnings)
    result = None
    if not refused and not args.dry_run:
        result = storing.apply(report, actor=actor, accept_warnings=args.accept_warnings)
    if args.format == "json":
        print(fmt.json_text({**report.as_dict(args.lang), "import_id": result.import_id if result else None}))
    else:
        print(_import_text(report, result, args))
    if report.errors:
        return EXIT_PROBLEMS
    return 0 if args.dry_run or not refused else EXIT_PROBLEMS  # a dry run with warnings would import


def _import_text(report: checking.Report, result: storing.ImportResult | None, args) -> str:
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
        value = f"'{problem.value}'" if problem.value else ""
        place = " ".join(part for part in (t(f"severity_{problem.severity}", lang), where, value) if part)
        lines.append(f"  {place}: {problem.message(lang)}")
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
    log = storing.log()
    if args.format == "json":
        print(_json(log.drop(columns="source_id")))
    elif log.empty:
        print(t("imports_none", args.lang))
    else:
        print(tables.import_log_table(log, args.lang).to_string(index=False))
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    restored = storing.undo(args.import_id, actor=access_commands.acting(args))
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
    "scorecard": cmd_scorecard,
    "pack": cmd_pack,
    **access_commands.COMMANDS,
}
