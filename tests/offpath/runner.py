"""Drives the off-path cases (tests/offpath/*.yml) through bot.value_session and scores them.

See tests/offpath/README.md for the format. Used by tests/offpath/test_dev.py (every dev
turn must pass) and by `make evaluate` (scripts/evaluate_offpath.py), which also
measures the held-out file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

from bot.next_steps import NextStep
from bot.value_model import Category, Frequency, ValueLine
from bot.value_session import Draft, Step, Turn, step

HERE = Path(__file__).parent
DEV = HERE / "dev.yml"


def _numbered(prefix: str) -> tuple[Path, ...]:
    """``prefix.yml``, ``prefix2.yml``, ... in the order they were written."""

    def number(path: Path) -> int:
        return int(path.stem.removeprefix(prefix) or 1)

    return tuple(sorted(HERE.glob(f"{prefix}*.yml"), key=number))


# The files we develop against (all must pass in `make test`) and the blind files, which are
# only measured (see README.md).
DEV_FILES = _numbered("dev")
HELDOUT_FILES = _numbered("heldout")

# Kinds of question that the README groups under "amount".
_ASK_ALIASES = {
    "negative": "amount",
    "too_large": "amount",
    "zero": "amount",
    "price_zero": "amount",
    "not_understood": "amount",
    "contract_length_missing": "contract_length",
    "per_item": "amount",
    "per_item_count": "amount",
    "per_hour": "hourly_rate",
    "days": "frequency",
}


@dataclass(frozen=True)
class TurnResult:
    """One scored turn."""

    case: str
    category: str
    index: int
    say: str
    failures: tuple[str, ...]
    silent: bool

    @property
    def understood(self) -> bool:
        return not self.failures


@dataclass
class Score:
    """The score of one file."""

    results: list[TurnResult] = field(default_factory=list)

    @property
    def turns(self) -> int:
        return len(self.results)

    @property
    def understood(self) -> int:
        return sum(r.understood for r in self.results)

    @property
    def silent(self) -> int:
        return sum(r.silent for r in self.results)

    def by_category(self) -> dict[str, tuple[int, int]]:
        total: Counter[str] = Counter()
        good: Counter[str] = Counter()
        for result in self.results:
            total[result.category] += 1
            good[result.category] += result.understood
        return {category: (good[category], total[category]) for category in sorted(total)}


def load(path: Path) -> list[dict[str, Any]]:
    """The cases of one file."""
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["cases"])


def _line(raw: dict[str, Any]) -> ValueLine:
    return ValueLine(
        description=str(raw.get("about", "waarde")),
        amount=Decimal(str(raw["amount"])),
        frequency=Frequency(raw.get("per", "year")),
        category=Category.OTHER,
        certainty=Decimal(str(raw.get("certainty", "1"))),
    )


def start_draft(start: dict[str, Any]) -> Draft:
    """The draft a case starts from."""
    price = start.get("price") or {}

    def money(key: str) -> Decimal | None:
        return None if price.get(key) is None else Decimal(str(price[key]))

    lines = tuple(_line(raw) for raw in start.get("lines") or ())
    at = Step(start.get("at", "line"))
    waiting = at is Step.CERTAINTY  # the lines were just read back and wait for their certainty
    return Draft(
        at=at,
        lines=() if waiting else lines,
        pending=lines if waiting else (),
        one_off=money("one_off"),
        per_year=money("per_year"),
        years=None if price.get("years") is None else int(price["years"]),
        next_step=NextStep(start["next_step"]) if start.get("next_step") else None,
        mode="roleplay" if start.get("at") in ("salesperson_name", "persona_choice") else "value",
    )


def _same(actual: Decimal | None, expected: Any) -> bool:
    if expected is None:
        return actual is None
    return actual is not None and actual == Decimal(str(expected))


def check(turn: Turn, expect: dict[str, Any]) -> tuple[list[str], bool]:
    """The failed expectations of a turn, and whether a failure is a silent misread."""
    failures: list[str] = []
    taken_wrong = False  # a number held that should not be (wrong amount, frequency or role)
    missed: list[Decimal] = []  # numbers that should be held and are not
    draft = turn.draft
    if "lines" in expect:
        actual = [(line.amount, line.frequency.value) for line in draft.all_lines]
        wanted = [(Decimal(str(raw["amount"])), raw.get("per", "year")) for raw in expect["lines"] or ()]
        if actual != wanted:
            failures.append(f"lines {[(str(a), f) for a, f in actual]} != {[(str(a), f) for a, f in wanted]}")
            taken_wrong = taken_wrong or any(line not in wanted for line in actual)
            missed += [amount for amount, _ in wanted if (amount, _) not in actual]
    for key, value in (expect.get("price") or {}).items():
        have = {"one_off": draft.one_off, "per_year": draft.per_year, "years": draft.years}[key]
        if not _same(None if have is None else Decimal(have), value):
            failures.append(f"price {key} {have} != {value}")
            taken_wrong = taken_wrong or have is not None
            missed += [] if value is None else [Decimal(str(value))]
    if "readback" in expect:
        missing = [v for v in expect["readback"] if Decimal(str(v)) not in turn.readback]
        if missing:
            failures.append(f"not read back {missing} (read back {[str(v) for v in turn.readback]})")
    if "asks" in expect:
        # The form's own next question counts as asking for the certainty of lines read back.
        own = "certainty" if draft.at is Step.CERTAINTY else None
        asked = _ASK_ALIASES.get(turn.asks or "", turn.asks) or own or "none"
        if asked != expect["asks"]:
            failures.append(f"asks {asked} != {expect['asks']}")
    if "unused" in expect:
        missing = [v for v in expect["unused"] if Decimal(str(v)) not in turn.unused]
        if missing:
            failures.append(f"not named as unused {missing}")
    if "next" in expect and draft.at.value != expect["next"]:
        failures.append(f"next {draft.at.value} != {expect['next']}")
    if "ratio" in expect:
        ratio = draft.ratio
        rounded = None if ratio is None else ratio.quantize(Decimal("0.01"), ROUND_HALF_UP)
        if not _same(rounded, expect["ratio"]):
            failures.append(f"ratio {rounded} != {expect['ratio']}")
            taken_wrong = True
    if "next_step" in expect:
        chosen = draft.next_step.value if draft.next_step else None
        if chosen != expect["next_step"]:
            failures.append(f"next_step {chosen} != {expect['next_step']}")
    if "mode" in expect and expect["mode"] != draft.mode:
        failures.append(f"mode {draft.mode} != {expect['mode']}")
    # Silent: no question, and a wrong number was taken or a number was dropped without naming it.
    unnamed = [amount for amount in missed if amount not in turn.unused]
    silent = turn.asks is None and (taken_wrong or bool(unnamed))
    return failures, silent


def run(path: Path) -> Score:
    """Every turn of every case in ``path``, scored."""
    score = Score()
    for case in load(path):
        draft = start_draft(case.get("start") or {})
        for index, turn_spec in enumerate(case["turns"]):
            turn = step(draft, str(turn_spec.get("say") or ""))
            failures, silent = check(turn, turn_spec)
            score.results.append(
                TurnResult(
                    case["id"],
                    case.get("category", "?"),
                    index,
                    str(turn_spec.get("say")),
                    tuple(failures),
                    silent,
                )
            )
            draft = turn.draft
    return score
