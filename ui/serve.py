"""Start the app: `python -m ui.serve [streamlit run options]` (what `make run` and the tests use).

Streamlit treats a folder named `pages/` beside the entry script as a legacy auto-discovered page
folder until `st.navigation` has run once in the process. So the first visitor after start-up who
opens a deep link (e.g. `/fraud-detection` from a QR code or a bookmarked scenario) is greeted with
"Page not found" (streamlit/streamlit#9624). Our `pages/` holds `st.navigation` pages only, so we say
so before the server starts. `streamlit run app.py` still works; it just keeps that first-link quirk.

It also starts the warm-up (`ui/warmup.py`): one low-priority thread that trains every demo's default
model and draws its engineer's panels before the first visitor asks (`SHOWCASE_WARMUP=0` turns it off).
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"
M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)


def main(argv: list[str] | None = None) -> None:
    PagesManager.uses_pages_directory = False
    lean_allocator()
    if os.environ.get("SHOWCASE_WARMUP", "1") != "0":
        _log_warm_up()
        from ui import warmup

        warmup.start()
    cli.main(["run", str(APP), *(sys.argv[1:] if argv is None else argv)], prog_name="streamlit")


def lean_allocator() -> None:
    """Fewer malloc arenas: glibc gives each thread that allocates its own arena (up to 8 per core), and a
    server with a script thread per rerun then keeps hundreds of MB of freed memory spread over them.
    Two arenas are plenty for two cores' worth of Python under one interpreter lock. A no-op off glibc."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_ARENA_MAX, int(os.environ.get("SHOWCASE_MALLOC_ARENAS", "2")))
    except (OSError, AttributeError, ValueError):
        pass


def _log_warm_up() -> None:
    """The warm-up reports each demo on stderr, so a presenter sees when the stand is ready."""
    logger = logging.getLogger("showcase.warmup")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


if __name__ == "__main__":
    main()
