"""The test harness itself: a server's output can never block it, however much it logs."""

from __future__ import annotations

import sys

from harness.server import server_log_tail, spawn_logged, stop_server


def test_a_server_that_logs_a_megabyte_is_never_blocked_by_its_own_output():
    # A pipe holds 64 KB: with stderr=PIPE and nobody reading, this child would block in write() for ever.
    process = spawn_logged([sys.executable, "-c", "import sys; sys.stderr.write('x' * 1_000_000 + 'done')"])
    try:
        assert process.wait(timeout=60) == 0
        assert server_log_tail(process, 10).endswith("done")
    finally:
        stop_server(process)
    assert not process.log_path.exists(), "the log is removed with the server unless SHOWCASE_KEEP_SERVER_LOG"
