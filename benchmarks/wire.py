"""A Streamlit session driven over its WebSocket, sending the messages the browser's frontend sends.

The load benchmark uses it to put many sessions on the server without a browser per session: at a
stand each visitor's browser runs on their own phone, but here headless Chromium would share the
server's two cores and use about five times its CPU. A `WireVisitor` opens pages the way the
sidebar does (a `rerun_script` with the page's script hash), moves widgets the way the frontend does
(a rerun carrying the widget's new state, with the fragment id when the widget lives in a fragment)
and waits for `script_finished`. It renders nothing, so it measures the server alone.
"""

from __future__ import annotations

import time
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
        self._socket = None

    async def __aenter__(self) -> WireVisitor:
        from websockets.asyncio.client import connect

        stream = self.url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
        self._socket = await connect(stream, subprotocols=["streamlit"], origin=self.url.rstrip("/"),
                                     max_size=None, open_timeout=self.timeout_s)
        return self

    async def __aexit__(self, *exc) -> None:
        await self._socket.close()

    async def open(self, path: str) -> RunResult:
        """Go to a page by its URL path ("" for the home page), as a click in the sidebar does."""
        if path and path not in self.pages:
            return RunResult(0.0, [f"no page at /{path} in the navigation"])
        self.page_hash = self.pages.get(path, "")
        self.query = ""
        self.widgets = {}
        return await self._rerun([], "")

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

    async def _rerun(self, states: list[WidgetState], fragment_id: str) -> RunResult:
        message = BackMsg()
        client = message.rerun_script
        client.query_string = self.query
        client.page_script_hash = self.page_hash
        client.fragment_id = fragment_id
        client.widget_states.widgets.extend(states)
        self.texts = []
        start = time.perf_counter()
        await self._socket.send(message.SerializeToString())
        errors = await self._until_finished(start + self.timeout_s)
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
                    elif kind == "page_not_found":
                        errors.append("page not found")
                    elif kind == "script_finished":
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
        widget_id = getattr(proto, "id", "") if kind else ""
        if widget_id and "-" in widget_id:
            key = widget_id.rsplit("-", 1)[1]  # Streamlit's ids end with the user key: "$$ID-<hash>-<key>"
            self.widgets[key] = Widget(widget_id, delta.fragment_id, proto)
        return []
