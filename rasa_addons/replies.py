"""Dutch texts the channels send without asking the bot (empty or too long message, storage down).

They live in domain.yml with the other responses; this reads the first variation of one.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

__all__ = ["DOMAIN_FILE", "reply_text"]

DOMAIN_FILE = Path(__file__).resolve().parents[1] / "domain.yml"


@cache
def _responses() -> dict[str, list[dict[str, object]]]:
    with DOMAIN_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["responses"]


def reply_text(name: str, **values: object) -> str:
    """The text of response ``name`` with ``{placeholders}`` filled in; KeyError when it is missing."""
    text = str(_responses()[name][0]["text"])
    return text.format(**values) if values else text
