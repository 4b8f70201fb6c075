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
    r"^\s*(?:ik\s+(?:ben|heet)|mijn\s+(?:voor)?naam\s+is|noem\s+me|zeg\s+maar|je\s+kunt\s+me\s+\w+\s+noemen)\s+",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^\s*(?:(?:hoi|hallo|hey|hi|dag|goedemorgen|goedemiddag|goedenavond|sorry|oeps|oh|excuses|pardon)\b[\s,!.]*)+",
    re.IGNORECASE,
)
_HERE = re.compile(r"\s+(?:hier|aan\s+het\s+woord)$", re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ]{2,}(?:[-'][A-Za-zÀ-ÖØ-öø-ÿ]+)*$")
# Words that start a sentence or an answer but are no first name ("de klant is akkoord",
# "nee, ik wil ..."), and the bot's own subjects ("schoonmaak", "ziekenhuis").
_NOT_A_NAME = frozenset(
    """hoi hallo hey hi dag doei ja jawel nee neen ok oké oke okay prima goed akkoord klaar stop help
    waarom wat wie hoe waar wanneer welke weet niet geen nvt start opnieuw terug verder begin
    de het een en of is bent zijn was wil wilt willen kan kun kunt mag moet ga gaat gaan doe doet
    doen heb hebt heeft hebben ik jij je u we wij zij ze hij mijn jouw uw ons onze dit dat die deze
    er hier daar graag liever maar ook nog wel al echt gewoon even eerst klant klanten gesprek
    oefenen oefening voorbereiden waarde prijs test anoniem niemand iemand naam voornaam sorry
    dank bedankt geen idee zeg noem nou jep eigenlijk laat toch schoonmaak catering beveiliging
    ziekenhuis gemeente lunch kantine facilitair ict offerte klantgesprek waardegesprek rollenspel
    bv b.v. nv n.v. vof v.o.f. holding groep group bedrijf van voor bij uit afdeling team
    week dag maand jaar vandaag morgen gisteren nieuw nieuwe twee drie""".split()
)
_SURNAME_PREFIXES = frozenset("van de der den het ter ten te 't in op la le du da di von vd v.d.".split())
_REAL_CONVERSATION = re.compile(
    r"\b(?:echt(?:e)?\s+(?:klant)?gesprek\w*|waardegesprek\s+voorbereiden|gesprek\s+voorbereiden"
    r"|(?:geen|niet)\s+(?:rollenspel|oefen\w*)|wil\s+niet\s+oefenen|voorbereiden\b"
    r"|stop\s+(?:met\s+)?(?:het\s+)?(?:oefenen|rollenspel)|echte?\s+(?:offerte|klant\w*|situatie|deal|case|casus|opdracht|project|lead|prospect)"
    r"|doorreken\w*|waardeberekening|eigen\s+(?:deal|offerte|klant|gesprek)|gesprek\s+(?:\w+\s+){0,3}voor\s+te\s+bereiden"
    r"|\baf\s+van\s+(?:de|het|dit)\s+(?:oefening|oefenen|rollenspel)"
    r"|waardegesprek(?!\s+(?:te\s+)?oefen)|echte?\s+(?:berekening|afspraak|cijfers)|afspraak\s+(?:bij|met)\s+een"
    r"|(?:skip|stop)\s+(?:the\s+)?(?:role-?play|rehearsal|practice)|real\s+(?:meeting|client|deal|conversation)"
    r"|\blaat\s+(?:dat|het|dit)\s+oefenen|\boverslaan\b|\b(?:meteen|gewoon|zelf)\s+(?:\w+\s+){0,5}(?:uit|na|door)?rekenen"
    r"|\b(?:na|door|uit)rekenen\b|\becht\s+(?:\w+\s+){0,4}aan\s+tafel|\becht(?:e)?\s+voorstel"
    r"|\bskip\b|\bgeen\s+tijd\s+voor\b|\bgeen\s+toneel\w*|\b(?:zit|ben)\s+ik\s+(?:\w+\s+){0,2}(?:echt\s+)?bij\b"
    r"|\bbij\s+een\s+echte\b|\b(?:hoef|wil|ga)\s+niet\s+(?:te\s+)?oefenen\b|\bstop\s+maar\s+met\s+(?:het\s+)?oefenen\b"
    r"|\bcijfers\b[^.]*\buitwerken\b)",
    re.IGNORECASE,
)


_NOT_WORDS = re.compile(r"[^\w\s'.,!?;:()-]")  # emoji and other symbols
_TITLE = re.compile(r"^\W*(?:meneer|mevrouw|mevr|dhr|mw|mr|mevr)\b\.?", re.IGNORECASE)
_JOB = re.compile(  # "ik ben accountmanager": a job, not a name
    r"(?:manager|adviseur|verkoper|verkoopster|consultant|directeur|eigenaar|medewerker|specialist"
    r"|ondernemer|trainer|coach|monteur|planner|stagiair\w*)$",
    re.IGNORECASE,
)
_ORGANISATION = re.compile(  # "Schoonmaakbedrijf", "adviesbureau": a kind of organisation, not a name
    r"\w{2,}(?:bedrijf|bedrijven|bureau|groep|instelling|centrum|dienst|diensten|kantoor|winkel|fabriek"
    r"|school|zaak|praktijk|vereniging|stichting|organisatie|maatschappij|holding|techniek|logistiek"
    r"|bouw|handel|services|solutions|consult|erij)$",
    re.IGNORECASE,
)
_LONGEST_NAME_PART = 14  # "Maximiliaan", "Jan-Willem" fit; "Installatiebedrijven" is a noun
_AFTER_NAME = re.compile(r"\s*[,;.!?(]\s*|\s+(?:en|maar|ik|bij|werk|van\s+(?:het|een)|-)\s+", re.IGNORECASE)


def read_first_name(text: str) -> str | None:
    """The first name in an answer (see :func:`_first_name`); also the last part after a comma
    ("sorry verkeerde veld, Daan") or the first sentence ("Mo. Bel me gerust")."""
    name = _first_name(text)
    if name is None and "," in text:
        name = _first_name(text.rsplit(",", 1)[1])
    for sentence in re.split(r"[.!?]\s", text) if name is None else ():
        name = name or _first_name(
            sentence
        )  # "Mo. Bel me gerust", "Hoi! Ik ben nieuw hier. Mijn naam is Sanne."
    return name


def _first_name(text: str) -> str | None:
    """The first name in an answer like 'Sanne', 'ik ben Sanne', 'mijn naam is Sanne de Vries'.

    None unless the answer looks like a name: at most four words, each a name-like word that
    is not a common Dutch word, or a surname prefix ('de', 'van') after the first. A greeting
    before it and "hier" after it are allowed ("hoi! pieter-jan hier").
    """
    answer = _GREETING.sub("", " ".join(_NOT_WORDS.sub(" ", text).split()))
    if _TITLE.match(answer):  # "meneer De Wit": a surname, not a first name
        return None
    introduced = _NAME_INTRO.sub("", answer)
    if introduced != answer:  # "ik ben Fatima, accountmanager bij ...": the name is the first clause
        introduced = _AFTER_NAME.split(introduced.strip(" .!?,;:"), maxsplit=1)[0]
    answer = _HERE.sub("", introduced.strip(" .!?,;:"))
    words = answer.split()
    if not words or len(words) > 4 or len(answer) > MAX_NAME:
        return None
    first, rest = words[0], words[1:]
    if (
        not _NAME.match(first)
        or first.lower() in _NOT_A_NAME
        or _JOB.search(first)
        or _ORGANISATION.match(first)
        or max(len(part) for part in re.split(r"[-']", first)) > _LONGEST_NAME_PART
    ):
        return None
    for word in rest:
        if word.lower() in _SURNAME_PREFIXES:
            continue
        if not _NAME.match(word) or word.lower() in _NOT_A_NAME:
            return None
    return first[:1].upper() + first[1:]


def wants_real_conversation(text: str) -> bool:
    """True when the answer asks to prepare a real client conversation instead of rehearsing."""
    return bool(_REAL_CONVERSATION.search(text))
