"""The client's address, as far as we can trust it.

Behind nginx every request arrives from the proxy (127.0.0.1). The proxy appends the address it saw to
``X-Forwarded-For``; anything to the left of that was written by the client and proves nothing. So the header is
honoured only when the request comes from a configured trusted proxy (``TRUSTED_PROXIES``), and then the client is
the right-most address in it that is not itself a trusted proxy. With no trusted proxy configured the header is
ignored and the client is ``REMOTE_ADDR``. Everything that wants the client's address (the login lockout, the
access-denial log) asks :func:`client_ip`.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {entry!r} is not an address or a network") from exc
    return tuple(networks)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def parse_address(value: str | None) -> Address | None:
    """An address from a header or REMOTE_ADDR, or None when it is not one (IPv4-mapped IPv6 becomes IPv4)."""
    if not value:
        return None
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]" or "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted_proxy(address: Address | None, networks: tuple[Network, ...] | None = None) -> bool:
    if address is None:
        return False
    networks = trusted_networks() if networks is None else networks
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or, when that is a trusted proxy, the right-most address in
    X-Forwarded-For that is not a trusted proxy. An address that does not parse ends the walk: we keep the last
    address we could check."""
    remote = parse_address(request.META.get("REMOTE_ADDR"))
    if remote is None:
        return None
    networks = trusted_networks()
    if not is_trusted_proxy(remote, networks):
        return str(remote)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    client = remote
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            break
        client = address
        if not is_trusted_proxy(address, networks):
            break
    return str(client)
