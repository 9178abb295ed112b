"""Serve the dashboard: `streamlit run app.py`, routed by app.py from the very first request.

Why this file: Streamlit decides once per server process, when the first session starts,
whether the app uses the legacy pages/ folder (`PagesManager.uses_pages_directory`, set from
whether a pages/ folder sits beside the entry script). Until app.py has called st.navigation
once, that first run goes through the legacy discovery: the sidebar lists the raw file names
of pages/, and a deep link such as /so-hoa-tthc (a url_path, not a file name) gets a "Page not
found" notice over the right page. app.py routes every page itself, so the legacy discovery is
turned off here, before the server starts; tests/test_browser.py restarts the server and opens
a deep link first to prove it.

Usage: python scripts/serve.py [streamlit run options], e.g. --server.port 8600
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main() -> None:
    PagesManager.uses_pages_directory = False  # app.py calls st.navigation on every run
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
