"""Settings live in kpi/config.py, and the README documents every one of them."""

from __future__ import annotations

import re
import tomllib

from kpi import config

PROJECT = config.PROJECT_DIR
CODE = [*PROJECT.glob("kpi/**/*.py"), *PROJECT.glob("pages/**/*.py"), PROJECT / "app.py"]


def test_only_config_reads_the_environment():
    for path in CODE:
        if path.name != "config.py":
            assert not re.search(r"os\.environ|getenv", path.read_text(encoding="utf-8")), path


def test_every_setting_the_code_names_is_known_and_documented():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    named = {m for path in CODE for m in re.findall(r"\bKPI_[A-Z_]+\b", path.read_text(encoding="utf-8"))}
    assert named <= set(config.SETTINGS)
    for name in config.SETTINGS:
        assert re.search(rf"^\| `{name}`", readme, re.M), f"{name} is not in README's configuration table"


def test_the_upload_widget_takes_what_the_importer_takes():
    streamlit = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert streamlit["server"]["maxUploadSize"] * 2**20 == int(config.SETTINGS["KPI_IMPORT_MAX_BYTES"])


def test_data_frames_hand_out_no_cells_of_their_own():
    """Streamlit's own CSV download and copy would pass a file's cells on raw (formulas too); the
    product's exports neutralise them, so the built-in one is off, and Streamlit reads it so."""
    from streamlit import config as streamlit_config

    streamlit = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert streamlit["client"]["disableDataExport"] is True
    assert streamlit_config.get_option("client.disableDataExport") in (True, False)  # an option it has


def test_the_dashboard_listens_on_this_machine_only_and_keeps_xsrf_protection():
    streamlit = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert streamlit["server"]["address"] == "127.0.0.1"
    assert streamlit["server"]["enableXsrfProtection"] is True
