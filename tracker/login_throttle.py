"""The client address django-axes counts failed sign-ins against.

Axes would ask django-ipware, which is not installed, and otherwise takes REMOTE_ADDR.
Behind a reverse proxy REMOTE_ADDR is the proxy, so every user would share one address;
taking X-Forwarded-For at face value is worse: a client can write any address there and
get a fresh counter per attempt. Each proxy *appends* the address it received the
request from, so with TRUSTED_PROXY_COUNT proxies in front of the app the client is the
entry that many places from the right; whatever stands further left came from the client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) < proxies:
        # Not through the whole proxy chain (a direct request or a misconfiguration).
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote
