"""The next step the salesperson agrees with the client, read from free text or a button.

Reading (:func:`read_next_step`, :func:`parse_next_step`):

* every mention of a step is found; a mention right after ``niet``, ``geen``, ``zonder``,
  ``in plaats van`` or ``i.p.v.`` (within three words) is negated and does not count, so
  "toch niet de prijs noemen, liever drie opties" is three options;
* of the mentions left, one after a preference word (``liever``, ``doe maar``, ``toch``,
  ``kies``, ...) wins; otherwise the first step in the order budget, options, more value,
  confirm-and-name-the-price;
* words such as ``toch``, ``liever``, ``nee``, ``eigenlijk`` or ``in plaats van`` mark a
  change of mind; "een andere stap" without naming one asks to choose again.

Checking (:func:`check_next_step`), the method's rule: below the threshold (value/price
ratio < 0.95, :data:`bot.value_model.DISSATISFIED_BELOW`) naming the price is not
accepted until the bot has said why and offered the three other ways (``warned``). Chosen
again after that warning, it is accepted *against the advice*, and the summary says so
(:func:`step_label_key`) instead of "met vertrouwen".
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import Decimal

from bot.moments import is_concrete_moment
from bot.value_model import DISSATISFIED_BELOW

__all__ = [
    "NextStep",
    "NextStepAnswer",
    "NextStepCheck",
    "Refusal",
    "check_next_step",
    "is_below_threshold",
    "mentions_discount",
    "moment_of",
    "names_price",
    "parse_next_step",
    "read_next_step",
    "step_label_key",
]


class NextStep(str, enum.Enum):
    """The four ways forward after the verdict."""

    CONFIRM_PRICE = "confirm_price"
    RAISE_VALUE = "raise_value"
    THREE_OPTIONS = "three_options"
    EXPLAIN_BUDGET = "explain_budget"


class Refusal(str, enum.Enum):
    """Why a chosen next step is not accepted (yet)."""

    PRICE_BELOW_THRESHOLD = "price_below_threshold"


# The ways forward when the value is below the price, in the order the advice lists them.
ALTERNATIVES = (NextStep.RAISE_VALUE, NextStep.THREE_OPTIONS, NextStep.EXPLAIN_BUDGET)

# Checked in this order when several steps are named and none is preferred.
_PATTERNS = (
    (NextStep.EXPLAIN_BUDGET, re.compile(r"budget|plafond|businesscase")),
    (
        NextStep.THREE_OPTIONS,
        re.compile(r"optie|variant|scope|kleiner|pakket|scenario|afgeslankt|prijsniveau|smaken|niveaus"),
    ),
    (
        NextStep.RAISE_VALUE,
        re.compile(
            r"(meer|extra) waarde"
            r"|waarde(?:\s+(?:nog|verder|eerst|echt|flink|wat|beter|samen|dus))*\s+(te\s+)?"
            r"(zoeken|vinden|verhogen|vergroten|ophalen|ontdekken|uitbreiden|opkrikken|opschroeven)"
            r"|waarde(?:\s+\w+){0,2}\s+(omhoog|hoger|groter)"
            r"|ontdek|doorvragen|door te vragen|verder vragen"
        ),
    ),
    (
        NextStep.CONFIRM_PRICE,
        re.compile(
            r"bevestig|prijs(?:\s+\w+){0,2}\s+(noemen|geven)|noem\b.*\bprijs|vertrouwen|prijs(?:\s+\w+){0,2}\s+op\s+tafel"
            r"|afsluiten|(deal|opdracht|contract) (sluiten|binnenhalen)"
        ),
    ),
)
# Up to three words of one clause: no punctuation, and no word that turns the sentence.
_CLAUSE_WORDS = r"(?:\s+(?!(?:maar|liever|wel|toch|doe|dan)\b)[^\s,.;:!?]+){0,3}\s*$"
_NEGATION = re.compile(r"(?:\b(?:niet|geen|zonder)|\bin plaats van|\bi\.?p\.?v\.?)" + _CLAUSE_WORDS)
_PREFERENCE = re.compile(
    r"(?:\bliever|\bdoe maar|\bdan maar|\btoch|\bkies|\bwordt|\bga voor"
    r"|\bwacht|\bbeter|\bsorry|\bcorrectie|\bbedoel(?:de)?\s+ik|[.,;]\s*(?:nee|eerst)\b)[,:;]?"
    + _CLAUSE_WORDS
)
_CHANGE_OF_MIND = re.compile(
    r"^\s*nee\b|\btoch\b|\bliever\b|\beigenlijk\b|\bin plaats van\b|\bi\.?p\.?v\b|\bbedacht\b"
    r"|\bander(?:e)? (?:stap|keuze|plan)\b|\b(?:wijzig|verander|aanpass)|\bdoe maar\b|\bdan maar\b"
)
_OTHER_STEP = re.compile(
    r"\bander(?:e)? (?:volgende )?(?:stap|keuze|plan)\b|\bstap(?:\s+\w+){0,2}\s+(?:wijzigen|veranderen|aanpassen)\b"
    r"|\b(?:wijzig|verander|pas)\w* (?:de|mijn) (?:volgende )?stap\b|\bterug naar de (?:volgende )?stap\b"
    r"|\bopnieuw kiezen\b|\biets anders kiezen\b"
)
_CLAUSE_BREAK = re.compile(r"\s*[,;]\s*|\s+(?:en|maar)\s+")
_DISCOUNT = re.compile(
    r"korting|goedkoper|prijs (omlaag|verlagen|zakken)|lagere prijs|(laat|ga|zak) .*(zakken|omlaag)"
)


@dataclass(frozen=True)
class NextStepAnswer:
    """What one answer says about the next step.

    ``step`` is the step named (None when none is); ``changes_mind`` is True when the
    wording revises an earlier choice ("toch liever", "nee, doe maar"); ``wants_other``
    is True when the salesperson asks to choose again without naming a step;
    ``discount`` is True when a discount or lower price is proposed.
    """

    step: NextStep | None
    changes_mind: bool = False
    wants_other: bool = False
    discount: bool = False


@dataclass(frozen=True)
class NextStepCheck:
    """Whether a chosen step is accepted, given the verdict.

    ``refusal`` says why it is not (None when accepted); ``alternatives`` are the steps to
    offer instead; ``against_advice`` is True for an accepted step that names the price
    while the value is below it.
    """

    step: NextStep
    accepted: bool
    refusal: Refusal | None = None
    alternatives: tuple[NextStep, ...] = ()
    against_advice: bool = False


def _mentions(lowered: str) -> list[tuple[int, NextStep, bool]]:
    """(position, step, preferred) for every mention of a step that is not negated."""
    found = []
    for step, pattern in _PATTERNS:
        for match in pattern.finditer(lowered):
            before = lowered[: match.start()]
            if _NEGATION.search(before):
                continue
            found.append((match.start(), step, bool(_PREFERENCE.search(before))))
    return sorted(found, key=lambda mention: mention[0])


def read_next_step(text: str) -> NextStepAnswer:
    """Read the step, a change of mind, a wish to choose again and a discount from ``text``."""
    lowered = (text or "").lower()
    mentions = _mentions(lowered)
    preferred = [step for _, step, is_preferred in mentions if is_preferred]
    named = {step for _, step, _ in mentions}
    if preferred:
        step: NextStep | None = preferred[-1]
    else:
        step = next((candidate for candidate, _ in _PATTERNS if candidate in named), None)
    return NextStepAnswer(
        step=step,
        changes_mind=bool(_CHANGE_OF_MIND.search(lowered)),
        wants_other=step is None and bool(_OTHER_STEP.search(lowered)),
        discount=mentions_discount(lowered),
    )


def parse_next_step(text: str) -> NextStep | None:
    """The next step that ``text`` names, or None (see the module docstring)."""
    return read_next_step(text).step


def mentions_discount(text: str) -> bool:
    """True when ``text`` proposes a discount or a lower price."""
    return bool(_DISCOUNT.search(text.lower()))


def names_price(step: NextStep) -> bool:
    """True for the step that names the price to the client."""
    return step is NextStep.CONFIRM_PRICE


def is_below_threshold(ratio: Decimal | None) -> bool:
    """True when the value/price ratio is below 0.95 (None: no price, so not below)."""
    return ratio is not None and ratio < DISSATISFIED_BELOW


def check_next_step(step: NextStep, ratio: Decimal | None, warned: bool = False) -> NextStepCheck:
    """Apply the method's rule to ``step`` at value/price ``ratio``.

    Naming the price below the threshold is refused unless ``warned`` is True: the bot
    has already said why and offered the alternatives since the verdict. Then it is
    accepted with ``against_advice``. Every other step is accepted.
    """
    if names_price(step) and is_below_threshold(ratio):
        if not warned:
            return NextStepCheck(step, False, Refusal.PRICE_BELOW_THRESHOLD, ALTERNATIVES)
        return NextStepCheck(step, True, against_advice=True)
    return NextStepCheck(step, True)


def step_label_key(step: NextStep, ratio: Decimal | None) -> str:
    """The key of the step's Dutch label for the summary: never 'met vertrouwen' below the threshold."""
    if names_price(step) and is_below_threshold(ratio):
        return "confirm_price_below"
    return step.value


def moment_of(text: str) -> str:
    """The clauses of ``text`` that name the moment, without a step said in the same message.

    "toch liever drie opties, donderdag om 10.00 uur" gives "donderdag om 10.00 uur"; a
    text without a separate concrete clause is returned whole.
    """
    clauses = [clause for clause in _CLAUSE_BREAK.split(text.strip()) if clause]
    concrete = [
        clause for clause in clauses if is_concrete_moment(clause) and parse_next_step(clause) is None
    ]
    return ", ".join(concrete) if concrete else text.strip()
