"""Phones in the crowd: a QR code of the app's own address, drawn locally with segno."""

from __future__ import annotations

import io
import os
from urllib.parse import urlsplit, urlunsplit

import segno
import streamlit as st

__all__ = ["app_address", "is_web_address", "qr_png", "phone_qr"]

ADDRESS_KEY = "phone_url"


def is_web_address(text: str) -> bool:
    """True for an http(s) address with a host: anything else would make a QR code phones can't open."""
    parts = urlsplit(text.strip())
    return parts.scheme in {"http", "https"} and bool(parts.hostname) and not any(c in text for c in "` <>")


def app_address() -> str:
    """The address to share: a presenter's override, SHOWCASE_PUBLIC_URL, or what the browser used."""
    for override in (st.session_state.get(ADDRESS_KEY, ""), os.environ.get("SHOWCASE_PUBLIC_URL", "")):
        if override and is_web_address(override):
            return override.strip()
    url = st.context.url or "http://localhost:8501/"
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def qr_png(address: str, *, scale: int = 6) -> bytes:
    buffer = io.BytesIO()
    segno.make(address, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def _is_local(address: str) -> bool:
    host = urlsplit(address).hostname or ""
    return host in {"localhost", "0.0.0.0"} or host.startswith("127.") or host == "::1"


def phone_qr(*, width: int = 180) -> None:
    """QR code plus the address in words; warns when the address is this laptop's loopback."""
    address = app_address()
    st.image(qr_png(address), width=width, caption="Scan to try the demos on your phone",
             alt=f"QR code that opens {address}")
    # Plain markdown, not a caption: captions dim the auto-link below readable contrast.
    st.markdown(f"Or type: {address}")  # validated by is_web_address: no spaces, backticks or tags
    with st.popover("Change address", icon=":material/qr_code:"):
        if _is_local(address):
            st.caption(
                "Phones cannot reach this laptop's loopback address. Type the laptop's Wi-Fi address "
                "below (`hostname -I` shows it), or start the app with it: "
                "`SHOWCASE_PUBLIC_URL=http://192.168.1.20:8501 make run`."
            )
        typed = st.text_input("Address for phones", key=ADDRESS_KEY, placeholder="http://192.168.1.20:8501",
                              help="Where phones on the same Wi-Fi reach this app.")
        if typed and not is_web_address(typed):
            st.error("That is not a web address. Type it like http://192.168.1.20:8501; "
                     "the QR code keeps the previous one.")
