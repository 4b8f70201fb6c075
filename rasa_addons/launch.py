"""Rasa's command line, with the HTTP API's token taken from the environment instead of the arguments.

``rasa run --enable-api --auth-token TOKEN`` shows the token to every user of the machine (``ps``,
``/proc/<pid>/cmdline``), and Rasa 3.6 reads it only from its arguments. This launcher reads
``WAARDECOACH_RASA_API_TOKEN`` and adds ``--enable-api --auth-token=TOKEN`` to ``sys.argv`` inside
the process, where ``ps`` does not see it (``/proc/<pid>/cmdline`` keeps the arguments the process
was started with), then runs Rasa's command line::

    WAARDECOACH_RASA_API_TOKEN=... python -m rasa_addons.launch run --model ... --endpoints ...

Without the variable, Rasa's HTTP API stays off. ``--enable-api`` and ``--auth-token`` on the
command line are refused: the first would open the API without a token, the second shows it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from rasa.__main__ import main as rasa_main

__all__ = ["TOKEN_VARIABLE", "arguments"]

TOKEN_VARIABLE = "WAARDECOACH_RASA_API_TOKEN"
_REFUSED = ("--enable-api", "--auth-token")


def arguments(argv: list[str], environ: Mapping[str, str]) -> list[str]:
    """``argv`` with the API options added when the token variable is set (for ``rasa run``)."""
    given = [argument for argument in argv[1:] if argument.split("=", 1)[0] in _REFUSED]
    if given:
        raise SystemExit(f"{' '.join(given)}: set {TOKEN_VARIABLE} instead (see rasa_addons/launch.py)")
    token = environ.get(TOKEN_VARIABLE, "")
    if not token:
        return argv
    if argv[1:2] != ["run"] or argv[2:3] == ["actions"]:
        raise SystemExit(f"{TOKEN_VARIABLE} is for `rasa run` (the Rasa server) only")
    # `=`: a token that starts with `-` is not taken for an option
    return [argv[0], "run", "--enable-api", f"--auth-token={token}", *argv[2:]]


if __name__ == "__main__":
    sys.argv = arguments(sys.argv, os.environ)
    sys.exit(rasa_main())
