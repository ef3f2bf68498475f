"""Phones in the crowd: a QR code of the app's own address, drawn locally with segno."""

from __future__ import annotations

import functools
import io
import ipaddress
import os
import re
import socket
import struct
import sys
from urllib.parse import urlsplit, urlunsplit

import segno
import streamlit as st

__all__ = ["app_address", "is_web_address", "qr_png", "phone_qr", "lan_addresses", "phone_address"]

ADDRESS_KEY = "phone_url"


MAX_ADDRESS = 200
"""Characters of an address for phones: a LAN address is about 30; a QR code holds at most about 2,300."""
_ADDRESS = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9.\-/%]*)?$")
"""Scheme, host (or [IPv6]), port and a plain path: no characters Markdown or a browser would act on."""


def is_web_address(text: str) -> bool:
    """True for a short http(s) address with a host: anything else would make a QR code phones can't open."""
    text = text.strip()
    if len(text) > MAX_ADDRESS or not _ADDRESS.match(text):
        return False
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port beyond 65535
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


def app_address() -> str:
    """The address to share: a presenter's override, SHOWCASE_PUBLIC_URL, or what the browser used."""
    for override in (st.session_state.get(ADDRESS_KEY, ""), os.environ.get("SHOWCASE_PUBLIC_URL", "")):
        if override and is_web_address(override):
            return override.strip()
    url = st.context.url or "http://localhost:8501/"
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


_VIRTUAL = ("lo", "docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "tun", "tap", "utun", "zt", "tailscale")


def _linux_interface_addresses() -> list[tuple[str, str]]:
    """(interface, IPv4) pairs read from the kernel with SIOCGIFADDR: no packet leaves the machine."""
    import fcntl  # Unix only

    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:  # never connected, never sends
        for _, name in socket.if_nameindex():
            try:
                raw = fcntl.ioctl(probe.fileno(), 0x8915, struct.pack("256s", name[:15].encode()))  # SIOCGIFADDR
            except OSError:
                continue  # no IPv4 address on this interface
            found.append((name, socket.inet_ntoa(raw[20:24])))
    return found


def lan_addresses() -> list[tuple[str, str]]:
    """This laptop's own private network addresses, (interface, IPv4), likeliest Wi-Fi/Ethernet first.

    Read offline from the network interfaces (Linux), or from the local host table elsewhere; never by
    asking a server outside. Loopback, link-local and virtual interfaces (Docker, VPNs) are left out.
    """
    try:
        pairs = (
            _linux_interface_addresses()
            if sys.platform.startswith("linux")
            else [
                ("this laptop", info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
            ]
        )
    except (OSError, ImportError):
        pairs = []
    good = []
    for name, text in pairs:
        address = ipaddress.ip_address(text)
        if (
            address.is_private
            and not (address.is_loopback or address.is_link_local)
            and not name.lower().startswith(_VIRTUAL)
            and (name, text) not in good
        ):
            good.append((name, text))
    # Wireless and Ethernet names first (wl*, en*, eth*), then the rest, in the kernel's order.
    return sorted(good, key=lambda pair: not pair[0].startswith(("wl", "en", "eth")))


def phone_address() -> tuple[str, str]:
    """The address phones should open, and a sentence saying where it came from."""
    address = app_address()
    if not _is_local(address):
        return address, ""
    found = lan_addresses()
    if not found:
        return address, (
            "Phones cannot reach this laptop's loopback address, and no Wi-Fi or Ethernet address was "
            "found: connect to the stand's network, or type the address under 'Change address'."
        )
    name, ip = found[0]
    parts = urlsplit(address)
    port = f":{parts.port}" if parts.port else ""
    others = f" (also on this laptop: {', '.join(f'{n} {a}' for n, a in found[1:4])})" if len(found) > 1 else ""
    return (
        urlunsplit((parts.scheme, f"{ip}{port}", "/", "", "")),
        f"Opened here as {parts.hostname}, which phones cannot reach; the code uses this laptop's network "
        f"address on {name}{others}, read from its network interfaces. Phones must be on the same network.",
    )


@functools.lru_cache(maxsize=16)  # drawn on every rerun of the home page and the presenter's sidebar
def qr_png(address: str, *, scale: int = 6) -> bytes:
    buffer = io.BytesIO()
    segno.make(address, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def _is_local(address: str) -> bool:
    host = urlsplit(address).hostname or ""
    return host in {"localhost", "0.0.0.0"} or host.startswith("127.") or host == "::1"


def phone_qr(*, width: int = 180) -> None:
    """QR code plus the address in words; says plainly which address it chose and why."""
    address, source = phone_address()
    st.image(
        qr_png(address), width=width, caption="Scan to try the demos on your phone", alt=f"QR code that opens {address}"
    )
    # Plain markdown, not a caption: captions dim the auto-link below readable contrast.
    st.markdown(f"Or type: {address}")  # validated by is_web_address: no spaces, backticks or tags
    if source:
        st.caption(source)
    with st.popover("Change address", icon=":material/qr_code:"):
        typed = st.text_input(
            "Address for phones",
            key=ADDRESS_KEY,
            placeholder="http://192.168.1.20:8501",
            help="Where phones on the same Wi-Fi reach this app.",
        )
        if typed and len(typed.strip()) > MAX_ADDRESS:
            st.error(
                f"That address is {len(typed.strip()):,} characters long; an address for phones has at most "
                f"{MAX_ADDRESS}. Type it like http://192.168.1.20:8501; the QR code keeps the previous one."
            )
        elif typed and not is_web_address(typed):
            st.error(
                "That is not a web address. Type it like http://192.168.1.20:8501; the QR code keeps the previous one."
            )
