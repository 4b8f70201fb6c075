"""Writes Waardecoach's nginx configuration (deploy/nginx.conf.template) to standard output.

    WAARDECOACH_RASA_SERVERS='server 10.0.0.11:5005; server 10.0.0.12:5005;' WAARDECOACH_LISTEN='443 ssl' \\
      .venv/bin/python deploy/render_nginx.py > /etc/nginx/conf.d/waardecoach.conf

Every setting comes from the environment; ``SETTINGS`` lists them with their defaults (README,
"Production topology"). Each value is checked, so that nothing but the intended directive can end up
in the configuration.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

import jinja2

__all__ = ["SETTINGS", "render"]

TEMPLATE = Path(__file__).resolve().with_name("nginx.conf.template")

_SERVERS = re.compile(r"(\s*server\s+[\w.:\[\]-]+(\s+[\w=.]+)*;\s*)+")
_LISTEN = re.compile(r"[\w.:\[\]]+(\s+(ssl|http2|default_server))*")
_ADDRESS = re.compile(r"[\w.-]+:\d+|\[[0-9a-fA-F:]+\]:\d+")
_RATE = re.compile(r"[1-9]\d*r/[sm]")
_NUMBER = re.compile(r"[1-9]\d*")
_TOKEN = re.compile(r"[A-Za-z0-9._~+/=-]{16,}")  # no quote, space or `;`: it goes inside "..."
_SWITCH = re.compile(r"[01]?")

# variable: (default, allowed values). No default: required. An empty value: off.
SETTINGS: dict[str, tuple[str | None, re.Pattern[str]]] = {
    "WAARDECOACH_RASA_SERVERS": (None, _SERVERS),  # 'server 10.0.0.11:5005; server 10.0.0.12:5005;'
    "WAARDECOACH_LISTEN": (None, _LISTEN),  # '443 ssl' (HSTS is sent then), or '127.0.0.1:8080'
    "WAARDECOACH_WEB_SERVER": ("", re.compile(f"({_ADDRESS.pattern})?")),  # the web app, host:port
    "WAARDECOACH_CHAT_RATE": ("10r/s", _RATE),  # socket.io requests per client address
    "WAARDECOACH_CHAT_BURST": ("20", _NUMBER),
    "WAARDECOACH_CHAT_CONNECTIONS": ("20", _NUMBER),  # open socket.io requests per address
    "WAARDECOACH_REST_RATE": ("5r/s", _RATE),
    "WAARDECOACH_REST_BURST": ("10", _NUMBER),
    "WAARDECOACH_REST_CONNECTIONS": ("10", _NUMBER),
    "WAARDECOACH_REST_TOKEN": ("", re.compile(f"({_TOKEN.pattern})?")),  # empty: REST is not public
    "WAARDECOACH_LOGIN_RATE": ("10r/m", _RATE),  # /trainer/login (with WAARDECOACH_WEB_SERVER)
    "WAARDECOACH_LOGIN_BURST": ("5", _NUMBER),
    "WAARDECOACH_LOGIN_CONNECTIONS": ("5", _NUMBER),
    "WAARDECOACH_UPSTREAM_HEADER": ("0", _SWITCH),  # 1: X-Waardecoach-Upstream names the instance
}


def render(environ: Mapping[str, str]) -> str:
    """The configuration for these settings; ``ValueError`` names a missing or wrong one."""
    values: dict[str, object] = {}
    for name, (default, allowed) in SETTINGS.items():
        value = environ.get(name, "").strip() or default
        if value is None:
            raise ValueError(f"{name} is not set")
        if not allowed.fullmatch(value):
            raise ValueError(f"{name}={value!r} is not a valid value")
        values[name.removeprefix("WAARDECOACH_").lower()] = value
    environment = jinja2.Environment(
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True
    )
    template = environment.from_string(TEMPLATE.read_text(encoding="utf-8"))
    values["https"] = "ssl" in values["listen"].split()
    values["upstream_header"] = values["upstream_header"] == "1"
    return template.render(values)


if __name__ == "__main__":
    try:
        sys.stdout.write(render(os.environ))
    except ValueError as error:
        sys.exit(f"render_nginx.py: {error}")
