"""Where a webhook may go: an https URL (http only in debug or with WEBHOOKS_ALLOW_INSECURE)
whose host resolves only to addresses on the public internet (unless
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES), checked when an endpoint is made and again before each
attempt (companies/webhooks.py connects to the address checked here)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .errors import WebhookURLRefused

MAX_URL_LENGTH = 2000


def check_url(url: str) -> SplitResult:
    """The URL's parts, or WebhookURLRefused saying what is wrong with it."""
    if len(url) > MAX_URL_LENGTH:
        raise WebhookURLRefused(
            _("The URL is too long: at most %(count)d characters.") % {"count": MAX_URL_LENGTH}
        )
    if not url or any(c.isspace() or ord(c) < 32 for c in url):
        raise WebhookURLRefused(_("Enter a URL such as https://hr.example.com/wnh-webhooks."))
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is no port
    except ValueError as error:
        raise WebhookURLRefused(_("That is not a valid URL.")) from error
    schemes = {"https"}
    if settings.DEBUG or settings.WEBHOOKS_ALLOW_INSECURE:
        schemes.add("http")
    if parts.scheme.lower() not in schemes:
        raise WebhookURLRefused(_("The URL must start with https://."))
    if not parts.hostname:
        raise WebhookURLRefused(_("The URL has no host name."))
    if parts.username is not None or parts.password is not None:
        raise WebhookURLRefused(_("The URL must not contain a user name or password."))
    return parts


def default_port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme.lower() == "https" else 80)


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """An address on the public internet: not private, loopback, link-local, multicast,
    reserved or unspecified (an IPv4 address inside IPv6 is judged as itself)."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_loopback
        or address.is_link_local
        or address.is_unspecified
        or address.is_private
    )


def allowed_addresses(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, every one of them allowed, or WebhookURLRefused.
    One private address among public ones refuses the host: the connection could reach it."""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            raise WebhookURLRefused(_("The URL's host name could not be found.")) from error
        found = [info[4][0] for info in infos]
    else:
        found = [str(literal)]
    addresses = list(dict.fromkeys(found))
    if not settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            if not is_public(ipaddress.ip_address(address.split("%")[0])):
                raise WebhookURLRefused(
                    _(
                        "The URL leads to a private or local address. Webhooks go only to "
                        "addresses on the public internet."
                    )
                )
    return addresses


def check_endpoint_url(url: str) -> str:
    """The URL, cleaned, when the portal may post to it now; else WebhookURLRefused."""
    url = url.strip()
    parts = check_url(url)
    allowed_addresses(parts.hostname, default_port(parts))
    return url
