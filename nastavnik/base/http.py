"""The client's address behind the configured proxies, for every limit that counts per address."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _networks(entries: Iterable[str]) -> list[Network]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return networks


def _is_trusted(address: str, proxies: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(request: HttpRequest) -> str:
    """The address of the client: behind trusted proxies, the one the first of them saw."""
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    proxies = _networks(getattr(settings, "TRUSTED_PROXIES", []))
    if not proxies or not _is_trusted(remote, proxies):
        return remote
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    # Each proxy appends the address it saw; entries left of the first untrusted one (read from
    # the right) were written by the client and prove nothing.
    for address in reversed([part for part in forwarded if part]):
        if not _is_trusted(address, proxies):
            return address
    return remote
