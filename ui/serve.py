"""Start the app: `python -m ui.serve [streamlit run options]` (what `make run` and the tests use).

Streamlit treats a folder named `pages/` beside the entry script as a legacy auto-discovered page
folder until `st.navigation` has run once in the process. So the first visitor after start-up who
opens a deep link (e.g. `/fraud-detection` from a QR code or a bookmarked scenario) is greeted with
"Page not found" (streamlit/streamlit#9624). Our `pages/` holds `st.navigation` pages only, so we say
so before the server starts. `streamlit run app.py` still works; it just keeps that first-link quirk.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str] | None = None) -> None:
    PagesManager.uses_pages_directory = False
    cli.main(["run", str(APP), *(sys.argv[1:] if argv is None else argv)], prog_name="streamlit")


if __name__ == "__main__":
    main()
