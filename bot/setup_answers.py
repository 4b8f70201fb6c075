"""Answers in the rehearsal set-up: a first name, or a wish to prepare a real conversation.

``read_first_name`` accepts "Sanne", "ik ben Sanne", "mijn naam is Sanne de Vries" and
refuses what only looks like a sentence ("de klant is akkoord", "nee, ik wil een echt
gesprek voorbereiden", "weet ik veel", numbers, markup). ``wants_real_conversation``
recognises "nee, ik wil een echt gesprek voorbereiden", "geen rollenspel, ik wil mijn
gesprek met de gemeente voorbereiden" and the like.
"""

from __future__ import annotations

import re

__all__ = ["MAX_NAME", "read_first_name", "wants_real_conversation"]

MAX_NAME = 40

_NAME_INTRO = re.compile(
    r"^\s*(?:(?:hoi|hallo|hey|hi|dag|goedemorgen|goedemiddag)[,!.]?\s+)?"
    r"(?:ik\s+(?:ben|heet)|mijn\s+(?:voor)?naam\s+is|noem\s+me|zeg\s+maar|je\s+kunt\s+me\s+\w+\s+noemen)\s+",
    re.IGNORECASE,
)
_NAME = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ]+(?:[-'][A-Za-zÀ-ÖØ-öø-ÿ]+)*$")
# Dutch words that start a sentence rather than being a first name.
_NOT_A_NAME = frozenset(
    """
    hoi hallo hey hi dag ja nee nou ok oké oke okay help stop waarom klaar weet niet geen nvt start
    opnieuw de het een en of maar dus die dat deze dit wat wie waar hoe wanneer ik je jij u we wij
    ze zij hij mijn onze de klant klanten graag laat liever toch echt even eerst sorry jep ja prima
    goed top akkoord waardegesprek gesprek rollenspel oefenen oefening terug verder volgende vorige
    is zijn was ben heet naam voornaam anoniem geheim niemand iemand test testen schoonmaak catering
    beveiliging ziekenhuis gemeente lunch kantine facilitair ict offerte prijs waarde klantgesprek
    """.split()
)
_GREETING = re.compile(
    r"^\s*(?:hoi|hallo|hey|hi|dag|goedemorgen|goedemiddag|goedenavond)\b[\s,!.]*", re.IGNORECASE
)
_HERE = re.compile(r"\s+(?:hier|aan\s+het\s+woord)$", re.IGNORECASE)
_PROSE = re.compile(
    r"\b(?:is|zijn|wil|wilt|ga|gaat|heb|heeft|kan|moet|doe|niet|geen|akkoord)\b", re.IGNORECASE
)
_REAL_CONVERSATION = re.compile(
    r"\b(?:echt(?:e)?\s+(?:klant)?gesprek\w*|waardegesprek\s+voorbereiden|gesprek\s+voorbereiden"
    r"|(?:geen|niet)\s+(?:rollenspel|oefen\w*)|wil\s+niet\s+oefenen|voorbereiden\b"
    r"|stop\s+(?:met\s+)?(?:het\s+)?(?:oefenen|rollenspel)|echte?\s+(?:offerte|klant|situatie|deal)"
    r"|doorreken\w*|waardeberekening|eigen\s+(?:deal|offerte|klant|gesprek)"
    r"|waardegesprek(?!\s+(?:te\s+)?oefen))",
    re.IGNORECASE,
)


def read_first_name(text: str) -> str | None:
    """The first name in the answer, capitalised; None when the answer does not look like one."""
    answer = _GREETING.sub("", " ".join(text.split()))
    answer = _NAME_INTRO.sub("", answer).strip(" .!?,;:")
    answer = _HERE.sub("", answer)
    introduced = answer != " ".join(text.split()).strip(" .!?,;:")  # "ik ben ...", "... hier"
    words = answer.split()
    if not words or len(words) > 4 or len(answer) > MAX_NAME:
        return None
    first = words[0]
    if not _NAME.match(first) or first.lower() in _NOT_A_NAME:
        return None
    if len(words) > 1 and not introduced and (_PROSE.search(answer) or not words[-1][:1].isupper()):
        return None
    return first[:1].upper() + first[1:]


def wants_real_conversation(text: str) -> bool:
    """True when the answer asks to prepare a real client conversation instead of rehearsing."""
    return bool(_REAL_CONVERSATION.search(text))
