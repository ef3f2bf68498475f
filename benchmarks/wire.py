"""A Streamlit session driven over its WebSocket, sending the messages the browser's frontend sends.

The load benchmark uses it to put many sessions on the server without a browser per session: at a
stand each visitor's browser runs on their own phone, but here headless Chromium would share the
server's two cores and use about five times its CPU. A `WireVisitor` opens pages the way the
sidebar does (a `rerun_script` with the page's script hash), moves widgets the way the frontend does
(a rerun carrying every widget state it has set on the page, with the fragment id when the widget
lives in a fragment) and waits for `script_finished`. Like the browser it honours `auto_rerun`
(a fragment's `run_every`: the fraud stream while it plays, the tour's clock) while it dwells on a page,
fetches the images and media a run references, and on arrival the page shell and its static files.
It renders nothing, so it measures the server alone.
"""

from __future__ import annotations

import asyncio
import re
import time
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


@dataclass
class Widget:
    """What a rerun needs to know of a widget the server drew: its id, its fragment and its proto."""

    id: str
    fragment_id: str
    proto: object


@dataclass
class RunResult:
    seconds: float
    errors: list[str] = field(default_factory=list)


class WireVisitor:
    """One session over `ws://…/_stcore/stream`. Use as `async with WireVisitor(url) as v: await v.open("")`."""

    def __init__(self, url: str, timeout_s: float = 60.0) -> None:
        self.url = url
        self.timeout_s = timeout_s
        self.pages: dict[str, str] = {}  # url path ("" for home) -> page script hash
        self.page_hash = ""
        self.query = ""
        self.widgets: dict[str, Widget] = {}  # user key -> widget
        self.texts: list[str] = []  # the markdown (text, headings, captions) the last run drew
        self.set_states: dict[str, WidgetState] = {}  # widget id -> the state this visitor gave it on this page
        self.auto_reruns: dict[str, float] = {}  # fragment id -> seconds between its automatic reruns
        self.media: set[str] = set()  # URLs (under /media) the last run referenced
        self._socket = None

    async def __aenter__(self) -> WireVisitor:
        from websockets.asyncio.client import connect

        stream = self.url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
        self._socket = await connect(
            stream, subprotocols=["streamlit"], origin=self.url.rstrip("/"), max_size=None, open_timeout=self.timeout_s
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self._socket.close()

    async def open(self, path: str, query: str = "") -> RunResult:
        """Go to a page by its URL path ("" for the home page), as a click in the sidebar does, then fetch
        the media it shows (the page is not ready for a person until its images are)."""
        if path and path not in self.pages:
            return RunResult(0.0, [f"no page at /{path} in the navigation"])
        self.page_hash = self.pages.get(path, "")
        self.query = query
        self.widgets, self.set_states, self.auto_reruns = {}, {}, {}
        return await self._rerun([], "")

    async def fetch_shell(self) -> RunResult:
        """What a browser loads before the WebSocket: the page shell and the static files it names."""
        start = time.perf_counter()
        errors: list[str] = []
        html, error = await _get(self.url.rstrip("/") + "/")
        errors += [f"shell: {error}"] if error else []
        for asset in sorted(set(re.findall(r'(?:src|href)="\.?/?(static/[^"]+)"', html or ""))):
            _, error = await _get(f"{self.url.rstrip('/')}/{asset}")
            errors += [f"{asset}: {error}"] if error else []
        return RunResult(time.perf_counter() - start, errors)

    async def dwell(self, seconds: float) -> list[RunResult]:
        """Stay on the page for `seconds`, sending each fragment's automatic reruns when they fall due, as the
        browser does for `st.fragment(run_every=...)`; returns one result per automatic rerun."""
        results: list[RunResult] = []
        end = time.perf_counter() + seconds
        due = {fragment: time.perf_counter() + interval for fragment, interval in self.auto_reruns.items()}
        while True:
            due = {f: t for f, t in due.items() if f in self.auto_reruns}
            now = time.perf_counter()
            if not due or min(due.values()) > end:
                await asyncio.sleep(max(end - now, 0.0))
                return results
            fragment, when = min(due.items(), key=lambda item: item[1])
            await asyncio.sleep(max(when - now, 0.0))
            results.append(await self._rerun([], fragment, auto=True))
            for new in self.auto_reruns.keys() - due.keys():  # a run may start another fragment's clock
                due[new] = time.perf_counter() + self.auto_reruns[new]
            if fragment in self.auto_reruns:
                due[fragment] = max(when + self.auto_reruns[fragment], time.perf_counter())

    async def set_widget(self, key: str, state: WidgetState) -> RunResult:
        """Send a widget's new value (its `id` is filled in from the widget drawn under `key`)."""
        widget = self.widgets.get(key)
        if widget is None:
            return RunResult(0.0, [f"no widget with key {key!r} on the page"])
        state.id = widget.id
        return await self._rerun([state], widget.fragment_id)

    async def nudge_slider(self, key: str) -> RunResult:
        """One step to the right (or left at the end), like the arrow key on a focused slider."""
        widget = self.widgets.get(key)
        if widget is None:
            return RunResult(0.0, [f"no slider with key {key!r} on the page"])
        slider = widget.proto
        value = list(slider.value) or list(slider.default)
        moved = value[0] + slider.step if value[0] + slider.step <= slider.max else value[0] - slider.step
        state = WidgetState()
        state.double_array_value.data.extend([moved, *value[1:]])
        return await self.set_widget(key, state)

    async def _rerun(self, states: list[WidgetState], fragment_id: str, *, auto: bool = False) -> RunResult:
        for state in states:
            self.set_states[state.id] = state
        message = BackMsg()
        client = message.rerun_script
        client.query_string = self.query
        client.page_script_hash = self.page_hash
        client.fragment_id = fragment_id
        client.is_auto_rerun = auto
        client.widget_states.widgets.extend(self.set_states.values())  # the browser sends every widget's state
        if not fragment_id:
            self.auto_reruns = {}  # a full run re-announces the fragments that rerun on their own
        self.texts, self.media = [], set()
        start = time.perf_counter()
        await self._socket.send(message.SerializeToString())
        errors = await self._until_finished(start + self.timeout_s)
        for url in sorted(self.media):
            _, error = await _get(url if url.startswith("http") else self.url.rstrip("/") + url)
            errors += [f"media {url}: {error}"] if error else []
        return RunResult(time.perf_counter() - start, errors)

    async def _until_finished(self, deadline: float) -> list[str]:
        from asyncio import timeout

        errors: list[str] = []
        try:
            async with timeout(max(deadline - time.perf_counter(), 0.0)):
                async for raw in self._socket:
                    msg = ForwardMsg()
                    msg.ParseFromString(raw)
                    kind = msg.WhichOneof("type")
                    if kind == "delta":
                        errors += self._read_delta(msg.delta)
                    elif kind == "navigation":
                        self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
                        self.pages.setdefault("", msg.navigation.page_script_hash)
                        self.page_hash = msg.navigation.page_script_hash
                    elif kind == "page_info_changed":
                        self.query = msg.page_info_changed.query_string
                    elif kind == "auto_rerun":
                        self.auto_reruns[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
                    elif kind == "stop_auto_rerun":
                        for fragment in msg.stop_auto_rerun.fragment_ids:
                            self.auto_reruns.pop(fragment, None)
                    elif kind == "page_not_found":
                        errors.append("page not found")
                    elif kind == "script_finished":
                        if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                            continue  # the script asked for a rerun (a tour step's page turn): wait for it
                        if msg.script_finished not in FINISHED:
                            status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
                            errors.append(f"script finished with {status}")
                        return errors
        except TimeoutError:
            errors.append(f"no script_finished within {self.timeout_s:.0f} s")
        return errors

    def _read_delta(self, delta) -> list[str]:
        if delta.WhichOneof("type") != "new_element":
            return []
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            return [f"exception: {element.exception.type}: {element.exception.message[:120]}"]
        proto = getattr(element, kind)
        if kind == "markdown":
            self.texts.append(proto.body)
        elif kind == "imgs":
            self.media.update(img.url for img in proto.imgs if img.url and not img.url.startswith("data:"))
        elif kind in ("audio", "video") and proto.url and not proto.url.startswith("data:"):
            self.media.add(proto.url)
        widget_id = getattr(proto, "id", "") if kind else ""
        if widget_id and "-" in widget_id:
            key = widget_id.rsplit("-", 1)[1]  # Streamlit's ids end with the user key: "$$ID-<hash>-<key>"
            self.widgets[key] = Widget(widget_id, delta.fragment_id, proto)
        return []


async def _get(url: str, timeout_s: float = 60.0) -> tuple[str | None, str | None]:
    """(text, error) of one GET, off the event loop (a browser fetches these beside the WebSocket)."""

    def fetch() -> str:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return response.read().decode("utf-8", "replace")

    try:
        return await asyncio.to_thread(fetch), None
    except OSError as err:
        return None, f"{type(err).__name__}: {err}"
