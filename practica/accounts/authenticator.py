"""What the set-up page gives an authenticator app: the key as a QR code and as text."""

from __future__ import annotations

import io
from base64 import b32encode
from typing import Any

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_code_svg(device: Any) -> SafeString:
    """The device's ``otpauth://`` address as an inline SVG QR code.

    Colours are SVG presentation attributes, never a ``style`` attribute or element, so the
    Content Security Policy (no inline styles) holds; ``<title>`` names it for screen readers.
    """
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=False,
        svgclass="practica-qr-code",
        lineclass=None,
        title="QR code for your authenticator app",
        scale=5,
        border=4,
        dark="#0b0c0c",
        light="#ffffff",
    )
    svg = buffer.getvalue().decode()
    # segno's own SVG of the device's address: no text from a person in it.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 # nosec B308, B703


def secret_key(device: Any) -> str:
    """The secret key in base 32, in groups of four, as apps ask for it typed in."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
