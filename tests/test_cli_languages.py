"""One language per run: every error path of the command line, in Vietnamese and in English,
prints one line in the language asked for and nothing in the other."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from kpi import config
from kpi.cli import main
from kpi.store import db, setup

VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)
ENGLISH = {  # common English words; "in" is left out, Vietnamese has it too (to print)
    "the", "is", "not", "error", "invalid", "argument", "arguments", "usage", "required", "choose",
    "with", "there", "unknown", "must", "cannot", "file", "needs", "expected", "database", "busy",
    "no", "of", "and", "or", "for", "value", "period", "choice", "known", "data", "see", "import",
    "undo", "was", "were", "valid", "district", "unrecognised", "command", "written", "right",
}  # fmt: skip

ERROR_PATHS = [
    ["indicators", "--unit", "99999"],
    ["indicators", "--year", "2019"],
    ["indicators", "--indicator", "nope"],
    ["indicators", "--by", "commune"],
    ["indicators", "--period", "2023-13"],
    ["indicators", "--from", "2023-05", "--to", "2023-02"],
    ["indicators", "--unit", "21040", "--by", "unit"],
    ["indicators", "--to", "2023-03"],
    ["indicators", "--from"],
    ["indicators", "--year", "2023", "--period", "2023-Q1"],
    ["indicators", "--year", "last"],
    ["indicators", "--frob"],
    ["frobnicate"],
    [],
    ["undo"],
    ["undo", "one"],
    ["undo", "999"],
    ["import", "/no/such/file.csv"],
    ["init", "--district", "000"],
    ["pack", "--year", "2023", "--format", "pptx", "--out", "/thu_muc_khong_co/pack.pptx"],
    ["pack", "--year", "2023", "--format", "pdf", "--out", "pack.pdf"],
    ["pack", "--year", "2023"],
]


@pytest.fixture
def names(demo_url) -> list[str]:
    """Unit names: data, shown as they are in either language."""
    with db.get_engine(demo_url).connect() as conn:
        return [r[0] for r in conn.exec_driver_sql("select name from units")]


def words_outside(text: str, names: list[str]) -> str:
    """The message without data (unit names), commands, options, codes and quoted values."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    text = re.sub(r"`[^`]*`|'[^']*'|\S*[_\d]\S*|(?<!\w)--?[\w-]+|python -m kpi \w*", " ", text)
    return text


@pytest.mark.parametrize("args", ERROR_PATHS, ids=lambda a: " ".join(a) or "nothing")
def test_every_error_path_speaks_one_language(capsys, use_store, demo_url, names, args):
    use_store(demo_url)
    said = {}
    for lang in ("vi", "en"):
        code = main(["--lang", lang, *args])
        out, err = capsys.readouterr()
        assert code != 0 and out == "" and len(err.strip().splitlines()) == 1, (lang, err)
        said[lang] = words_outside(err, names)
    english = {w.lower() for w in re.findall(r"[A-Za-z]+", said["vi"])} & ENGLISH
    assert not english, (said["vi"], english)
    assert not VIETNAMESE.search(said["en"]), said["en"]
    assert said["vi"] != said["en"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_store_that_is_busy_or_not_set_up_says_so_in_one_language(capsys, use_store, fresh_url, lang):
    use_store(fresh_url)
    assert main(["--lang", lang, "indicators"]) != 0
    err = capsys.readouterr().err
    assert "python -m kpi init" in err and (VIETNAMESE.search(err) is not None) == (lang == "vi")


def test_the_language_comes_from_kpi_lang_too(capsys, use_store, demo_url, monkeypatch):
    use_store(demo_url)
    monkeypatch.setenv("KPI_LANG", "en")
    assert main(["indicators", "--unit", "99999"]) != 0
    assert "No unit with code '99999'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("lang", "heading"), [("vi", "cách dùng: python -m kpi"), ("en", "usage: python -m kpi")]
)
def test_help_is_in_the_language_asked(capsys, lang, heading):
    with pytest.raises(SystemExit) as done:
        main(["--lang", lang, "indicators", "--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0 and out.startswith(heading)
    assert ("tùy chọn" in out) == (lang == "vi") and ("options" in out) == (lang == "en")


HOLDER = """
import sys, time
from kpi.store import db
with db.get_engine(sys.argv[1]).begin() as conn:
    conn.exec_driver_sql("select count(*) from units").fetchall()
    print("holding", flush=True)
    time.sleep(30)
"""


@pytest.mark.slow
def test_a_busy_store_says_so_in_one_language(capsys, use_store, fresh_url, monkeypatch):
    setup.initialise(db.get_engine(fresh_url))
    use_store(fresh_url)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, fresh_url], cwd=config.PROJECT_DIR, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        monkeypatch.setenv("KPI_LOCK_TIMEOUT", "0.5")
        for lang, words in (("vi", "đang được tiến trình khác sử dụng"), ("en", "busy in another process")):
            assert main(["--lang", lang, "units"]) == 1
            err = capsys.readouterr().err
            assert words in err and len(err.strip().splitlines()) == 1
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize(
    "command", ["init", "indicators", "units", "elements", "demo", "import", "imports", "undo", "pack"]
)
def test_every_command_helps_in_vietnamese(capsys, command):
    with pytest.raises(SystemExit):
        main(["--lang", "vi", command, "--help"])
    shown = re.sub(r"\{[^}]*\}", " ", words_outside(capsys.readouterr().out, []))  # choices are syntax
    assert not {w.lower() for w in re.findall(r"[A-Za-z]+", shown)} & ENGLISH, shown
