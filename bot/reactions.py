"""The client's reaction to the value question, read from the salesperson's own words.

The NLU maps "akkoord", "hij twijfelt" and "nee" to the reaction; this reads what it leaves
unmapped ("ja hoor, dat vindt hij redelijk", "jazeker, en ze besparen ook ..."). Doubt is looked
for first ("ja, maar hij twijfelt nog" doubts), then refusal ("niet akkoord"), then agreement.
"""

from __future__ import annotations

import enum
import re

__all__ = ["Reaction", "read_reaction"]


class Reaction(str, enum.Enum):
    """How the client answered the value question (the slot ``client_answer``)."""

    AGREES = "agrees"
    DOUBTS = "doubts"
    REFUSES = "refuses"


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_DOUBTS = _compile(
    r"\btwijfel\w*|\baarzel\w*|\bweet\s+(?:het\s+)?(?:nog\s+)?niet\b|\bdenkt\s+(?:er\s+)?(?:nog\s+)?over\s+na"
    r"|\bsceptisch|\bterughoudend|\bmisschien\b|\bwil\s+(?:eerst\s+)?(?:meer\s+)?(?:weten|zien|horen)\b"
    r"|\b(?:raar|vreemd|ongewoon)\b|\bhalf\s+half\b|\bbeetje\b|\bgoh\b|\bhmm+\b|\bweet\s+niet\s+zeker\b"
)
_REFUSES = _compile(
    r"^\W*(?:nee|neen|nope|nah)\b|\bniet\s+(?:akkoord|mee\s+eens|eens|in\s+(?:te\s+)?vinden)\b|\bweiger\w*"
    r"|\bwijst?\s+(?:het\s+)?af\b|\bafgewezen\b|\bgaat\s+(?:er\s+)?niet\s+in\s+mee\b|\bwil\s+(?:er\s+)?niets?\s+van\s+weten"
    r"|\balleen\s+(?:om\s+)?(?:de\s+)?prijs\b|\bonzin\b|\bgeen\s+interesse\b"
)
_AGREES = _compile(
    r"^\W*(?:ja+|jazeker|jawel|jep|yes|zeker|absoluut|prima|akkoord|natuurlijk|uiteraard|helemaal)\b"
    r"|\bakkoord\b|\b(?:mee\s+)?eens\b|\bredelijk\b|\blogisch\b|\bterecht\b|\bgoed\s+idee\b"
    r"|\b(?:kan|kon|kunnen|konden)\s+(?:zich\s+)?(?:er\s+)?(?:wel\s+|goed\s+|prima\s+)?in\s+vinden|\bstaat\s+(?:er\s+)?(?:helemaal\s+)?achter"
    r"|\bpositief\b|\benthousiast\b|\beerlijk\b|\bfair\b|\bklinkt\s+(?:goed|logisch|redelijk|prima)\b"
    r"|\b(?:vindt?|vond|vonden)\s+(?:het|dat|dit)\s+(?:\w+\s+){0,2}(?:goed|prima|fair|mooi|sterk|interessant|verfrissend)"
)


_TURN = _compile(r"\b(?:maar|uiteindelijk|toch|daarna|later|na\s+uitleg)\b")


def read_reaction(text: str) -> Reaction | None:
    """The reaction the text describes; None when it names none. After a turn in the sentence
    ("een beetje vreemd, maar ging uiteindelijk akkoord"), what follows the turn counts."""
    turns = list(_TURN.finditer(text or ""))
    if turns:
        last = _reaction_in(text[turns[-1].end() :])
        if last is not None:
            return last
    return _reaction_in(text)


def _reaction_in(text: str) -> Reaction | None:
    for pattern, reaction in (
        (_DOUBTS, Reaction.DOUBTS),
        (_REFUSES, Reaction.REFUSES),
        (_AGREES, Reaction.AGREES),
    ):
        if pattern.search(text or ""):
            return reaction
    return None
