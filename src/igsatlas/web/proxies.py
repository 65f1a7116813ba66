"""Who the client is behind a reverse proxy: ``X-Forwarded-For`` and ``X-Forwarded-Proto`` count only when the
connection comes from a proxy listed in IGSATLAS_TRUSTED_PROXIES; from anyone else they are ignored and the
peer's address is the client. Every per-client limit (the page share, login, reports, signups) reads the client
from here, so a client cannot choose its own address by sending the header.

The client behind trusted proxies is the rightmost address in ``X-Forwarded-For`` that is not itself a trusted
proxy (the one the first trusted proxy saw); addresses further left were written by the client and prove nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import ip_address

from starlette.types import ASGIApp, Receive, Scope, Send

from igsatlas.config import Network


def is_trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in n for n in networks)


def forwarded_client(peer: str, forwarded_for: str, networks: Sequence[Network]) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy and says who it serves."""
    if not is_trusted(peer, networks):
        return peer
    client = peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        try:
            ip_address(hop)
        except ValueError:
            break  # not an address: what lies to its left cannot be trusted either
        client = hop
        if not is_trusted(hop, networks):
            break
    return client


class TrustedProxies:
    """ASGI middleware: sets the scope's client (and scheme) from the forwarding headers of trusted proxies."""

    def __init__(self, app: ASGIApp, networks: Sequence[Network] = ()) -> None:
        self.app = app
        self.networks = tuple(networks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        peer = scope.get("client")
        if scope["type"] in ("http", "websocket") and peer and is_trusted(peer[0], self.networks):
            headers: dict[bytes, list[str]] = {}
            for key, value in scope["headers"]:
                headers.setdefault(key.lower(), []).append(value.decode("latin-1"))
            scope = dict(scope)
            forwarded = ",".join(headers.get(b"x-forwarded-for", []))
            scope["client"] = (forwarded_client(peer[0], forwarded, self.networks), 0)
            proto = ",".join(headers.get(b"x-forwarded-proto", [])).split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                scope["scheme"] = proto if scope["type"] == "http" else {"http": "ws", "https": "wss"}[proto]
        await self.app(scope, receive, send)
