"""How often `bot.amounts.parse_amount` reads the held-out amount phrases exactly right."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from bot.amounts import parse_amount

AMOUNTS_HELDOUT = Path(__file__).with_name("amounts_heldout.yml")


@dataclass(frozen=True)
class AmountAccuracy:
    total: int
    correct: int
    misses: list[tuple[str, Decimal, Decimal | None]]  # text, expected, parsed

    @property
    def accuracy(self) -> float:
        return self.correct / self.total


def amount_accuracy(path: Path = AMOUNTS_HELDOUT) -> AmountAccuracy:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["amounts"]
    misses = []
    for case in cases:
        expected, parsed = Decimal(case["amount"]), parse_amount(case["text"])
        if parsed != expected:
            misses.append((case["text"], expected, parsed))
    return AmountAccuracy(len(cases), len(cases) - len(misses), misses)
