"""Offline guard: refuse and record every network destination outside loopback.

Python imports `sitecustomize` at start-up from the first folder on `sys.path` that has one,
so putting this folder on PYTHONPATH guards a whole process (the Streamlit server, and any
worker processes it starts, since they inherit the environment). The guard does nothing
unless OFFLINE_GUARD_LOG names a file; then it

- writes one `{"kind": "loaded", ...}` line, so a test can prove the guard was active, and
- for every attempt to resolve a name or open a connection outside loopback, writes one
  `{"kind": "dns" | "connect" | "sendto", "target": ..., "stack": [...]}` line and fails the
  call the way an unplugged network would (a resolver error or "network is unreachable").

Loopback means 127.0.0.0/8, ::1, "localhost", the unspecified address (which reaches this
host) and Unix sockets. Nothing here is imported by the app itself.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import os
import socket
import threading
import time
import traceback

_LOG = os.environ.get("OFFLINE_GUARD_LOG")
_lock = threading.Lock()


def _write(record: dict) -> None:
    record = {"pid": os.getpid(), "time": time.time(), **record}
    line = json.dumps(record, default=str) + "\n"
    with _lock, open(_LOG, "a", encoding="utf-8") as log:  # type: ignore[arg-type]
        log.write(line)


def _is_local_host(host: object) -> bool:
    if host is None or host == "" or host == b"":
        return True  # passive / local lookups
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").split("%", 1)[0].lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False  # any other name would need a resolver outside this machine
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_loopback or address.is_unspecified


def _is_local_address(family: int, address: object) -> bool:
    if family == getattr(socket, "AF_UNIX", object()) or isinstance(address, (str, bytes)):
        return True
    if isinstance(address, tuple) and address:
        return _is_local_host(address[0])
    return False


def _record(kind: str, target: object) -> None:
    stack = [f"{f.filename}:{f.lineno} {f.name}" for f in traceback.extract_stack()[-12:-2]]
    _write({"kind": kind, "target": repr(target), "stack": stack})


def _install() -> None:
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    original_sendto = socket.socket.sendto
    original_getaddrinfo = socket.getaddrinfo
    original_gethostbyname = socket.gethostbyname
    original_gethostbyname_ex = socket.gethostbyname_ex
    original_create_connection = socket.create_connection

    def unreachable(target: object) -> OSError:
        return OSError(errno.ENETUNREACH, f"offline guard: refused non-loopback destination {target!r}")

    def connect(self, address):
        if not _is_local_address(self.family, address):
            _record("connect", address)
            raise unreachable(address)
        return original_connect(self, address)

    def connect_ex(self, address):
        if not _is_local_address(self.family, address):
            _record("connect", address)
            return errno.ENETUNREACH
        return original_connect_ex(self, address)

    def sendto(self, data, *args):
        address = args[-1] if args else None
        if not _is_local_address(self.family, address):
            _record("sendto", address)
            raise unreachable(address)
        return original_sendto(self, data, *args)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_local_host(host):
            _record("dns", host)
            raise socket.gaierror(socket.EAI_NONAME, f"offline guard: refused lookup of {host!r}")
        return original_getaddrinfo(host, *args, **kwargs)

    def gethostbyname(host):
        if not _is_local_host(host):
            _record("dns", host)
            raise socket.gaierror(socket.EAI_NONAME, f"offline guard: refused lookup of {host!r}")
        return original_gethostbyname(host)

    def gethostbyname_ex(host):
        if not _is_local_host(host):
            _record("dns", host)
            raise socket.gaierror(socket.EAI_NONAME, f"offline guard: refused lookup of {host!r}")
        return original_gethostbyname_ex(host)

    def create_connection(address, *args, **kwargs):
        if not _is_local_address(socket.AF_INET, address):
            _record("connect", address)
            raise unreachable(address)
        return original_create_connection(address, *args, **kwargs)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.socket.sendto = sendto
    socket.getaddrinfo = getaddrinfo
    socket.gethostbyname = gethostbyname
    socket.gethostbyname_ex = gethostbyname_ex
    socket.create_connection = create_connection
    _write({"kind": "loaded"})


if _LOG:
    _install()
