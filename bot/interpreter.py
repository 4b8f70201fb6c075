"""Reading everything in one message of the value conversation: amounts and their roles.

:func:`interpret` turns one Dutch message into :class:`Fact` objects (a value line, a
one-off or recurring part of the price, a contract length), :class:`Question` objects
(what the bot must ask before it can take a number) and :class:`Unused` numbers (what it
found but cannot use, so that the reply can name them). Every fact keeps the part of the
text it came from. Nothing here produces text for the user.

How a number gets its role, in order:

1. **Vague amounts and ranges** ("een paar duizend", "duizenden", "tussen 5 en 10k",
   "5 à 6 duizend") are never taken: a question of kind ``VAGUE``.
2. **Written-out arithmetic** ("2 x 58.000 = 116.000", "6 keer 9.000, dus 54.000"): the
   stated result counts when it equals the product (or sum) of its terms; otherwise a
   question of kind ``ARITHMETIC`` and none of its numbers is taken. Without a stated
   result the product counts.
3. **People × hours × rate** and **FTE × cost**: "14 mensen, elk 6 uur per week, à 48
   euro" is 4.032 per week; "2 FTE à 58.000 per jaar" is 116.000 per year. Hours
   without a rate ask ``HOURLY_RATE``; FTE (or people) without a cost ask ``FTE_COST``.
4. **Contract length**: a number of years or months ("3 jaar", "36 maanden", "een
   contract van vier jaar") that is not a frequency ("per jaar"). Months must make
   whole years, or a question of kind ``CONTRACT_LENGTH``.
5. **Money**: each remaining amount, with the frequency phrase nearest to it (each
   phrase serves one amount). Words give the role: price words ("onze prijs", "wij
   factureren", "opstartkosten", "we zitten op") make it price, value words ("besparen",
   "levert op", "scheelt") make it value; otherwise the question that was asked decides.
   A price amount with a recurring frequency is the recurring part, one stated once
   ("eenmalig", "opstartkosten") the one-off part. "geen eenmalig deel" is a one-off part
   of zero.

Typos in frequency words ("per maandd", "jaarlijs", "per jaat") are matched to the
nearest word and returned in :attr:`Interpretation.corrections`, so the reply can say
how it read them. Abbreviations ("p/mnd", "pm", "pj") are read as their phrases.
"""

from __future__ import annotations

import enum
import functools
import itertools
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from bot.amounts import AmountMatch, find_amounts
from bot.text import without_asides
from bot.value_lines import MAX_LINE_AMOUNT, FrequencyMatch, detect_category, find_frequencies
from bot.value_model import Category, Frequency

__all__ = [
    "MAX_CONTRACT_YEARS",
    "PRICE_WORDS",
    "Fact",
    "Interpretation",
    "Problem",
    "Question",
    "Role",
    "Unused",
    "clause_around",
    "interpret",
    "normalise",
]

MAX_CONTRACT_YEARS = 30
_SMALL = Decimal(100)  # a bare number below this, beside real amounts, is a count
_COUNT_LIMIT = Decimal(1000)  # a number below this before a plural noun ("210 bedden") is a count
_HUNDRED = Decimal(100)
MAX_PRICE = Decimal("1000000000")
_ONE = Decimal(1)
_MONTHS_PER_YEAR = Decimal(12)
_MINUTES_PER_HOUR = Decimal(60)


class Role(str, enum.Enum):
    """What a number means in the value conversation."""

    VALUE = "value"
    PRICE_ONE_OFF = "price_one_off"
    PRICE_RECURRING = "price_recurring"
    CONTRACT_YEARS = "contract_years"


class Problem(str, enum.Enum):
    """Why the bot must ask before it can take a number."""

    VAGUE = "amount"
    ARITHMETIC = "arithmetic"
    FTE_COST = "fte_cost"
    HOURLY_RATE = "hourly_rate"
    CONTRACT_LENGTH = "contract_length"
    FREQUENCY = "frequency"
    ZERO = "zero"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    PER_ITEM = "per_item"  # "12 euro per gebruiker per maand": for how many?
    PER_ITEM_COUNT = "per_item_count"  # "per apparaat 35, het gaat om 24 demotoestellen": for all 24?
    PER_HOUR = "per_hour"  # "stilstand kost ze 900 per uur": for how many hours?
    DAYS = "days"  # "40 euro per dag": on how many days a week or a year?


@dataclass(frozen=True)
class Fact:
    """One fact read from the message.

    ``amount`` is per occurrence of ``frequency`` for a value line and for the recurring
    part of the price; the one-off part has ``frequency`` ``ONE_OFF``; a contract length
    has the number of years as ``amount`` and ``frequency`` None. ``terms`` are the
    numbers it was computed from (people, hours, rate; FTE and cost; the terms of a sum),
    empty when it was stated as it is. ``frequency_stated`` is False when no frequency
    phrase was found (a value line is then yearly, a recurring price per year).
    """

    role: Role
    amount: Decimal
    frequency: Frequency | None
    quote: str
    start: int
    end: int
    category: Category | None = None
    terms: tuple[Decimal, ...] = ()
    hours: Decimal | None = None
    hourly_rate: Decimal | None = None
    months: Decimal | None = None
    frequency_stated: bool = True
    operator: str = "x"  # how ``terms`` make the amount: "x" (product) or "+" (sum)

    @property
    def per_year(self) -> Decimal:
        """A recurring amount per year (the amount itself for one-off and years)."""
        if self.frequency is None or self.frequency is Frequency.ONE_OFF:
            return self.amount
        return self.amount * self.frequency.per_year


@dataclass(frozen=True)
class Question:
    """What must be asked before a number can be taken; ``quote`` is the text concerned."""

    problem: Problem
    quote: str
    values: tuple[Decimal, ...] = ()
    frequency: Frequency | None = None


@dataclass(frozen=True)
class Unused:
    """A number that was found but not used, with the text around it."""

    value: Decimal
    quote: str


@dataclass(frozen=True)
class Interpretation:
    """Everything read from one message."""

    text: str
    facts: tuple[Fact, ...] = ()
    questions: tuple[Question, ...] = ()
    unused: tuple[Unused, ...] = ()
    corrections: tuple[tuple[str, str], ...] = ()
    zero_parts: tuple[Role, ...] = field(default=())

    def of_role(self, role: Role) -> tuple[Fact, ...]:
        """The facts with ``role``, left to right."""
        return tuple(fact for fact in self.facts if fact.role is role)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# --- normalising: abbreviations and typos in frequency words -----------------------

_DIGIT_WORDS = {
    "nul": "0",
    "een": "1",
    "één": "1",
    "twee": "2",
    "drie": "3",
    "vier": "4",
    "vijf": "5",
    "zes": "6",
    "zeven": "7",
    "acht": "8",
    "negen": "9",
}
_PERIOD_OF_COUNT = {
    ("4", "kw"): "kwartaal",
    ("12", "mn"): "maand",
    ("12", "ma"): "maand",
    ("52", "wk"): "week",
}
_PERIOD_OF_COUNT[("52", "we")] = "week"
_ABBREVIATIONS = (
    (
        _compile(
            r"(?<![\w/])p\s*[/.]\s*mnd\b\.?|(?<![\w/])p\s*[/.]\s*maand\b|(?<![\w/])p\.?m\.?(?=\s|$|[,;!?])|(?<!\w)/\s*mnd\b"
        ),
        "per maand",
    ),
    (
        _compile(
            r"(?<![\w/])p\s*/\s*jr\b\.?|(?<![\w/])pj\b|(?:(?<!\w)|(?<=[0-9kK]))\s*/\s*(?:jr|jaar)\b|\bper\s+jr\b\.?"
        ),
        " per jaar",
    ),
    (_compile(r"(?<=[0-9kK])\s*/\s*(?:maand|mnd|m)\b"), " per maand"),  # "12k/mnd", "300/m"
    (_compile(r"(?<=[0-9kK])\s*/\s*(?:week|wk)\b"), " per week"),
    (
        _compile(r"(?<=[0-9kK])\s*/\s*kw(?:artaal)?\b|(?<![\w/])p\s*[/.]\s*kw\b\.?|\bper\s+kw\b\.?"),
        " per kwartaal",
    ),
    (_compile(r"\beenm\b\.?"), "eenmalig"),
    (_compile(r"\bk€\s*([0-9]+(?:[.,][0-9]+)?)"), r"€ \1k"),  # "k€ 40": thousands of euros
    (_compile(r"https?://\S+|\bwww\.\S+|\S+@\S+\.\w+"), " "),  # a link or an address holds no amount
    (_compile(r"\(\s*([0-9][0-9.,]*\s*[x×*]\s*[0-9][0-9.,]*)\s*\)"), r"\1"),  # "(2 x 38) x 52 uur"
    # "4 kw à 2k", "12 mnd à 950": so much per period, for a year of them
    (
        _compile(
            r"\b(4|12|52)\s*(kw|kwartalen|mnd|maanden|wk|weken)\b\.?\s*(?:à|á|a|van)\s+"
            r"((?:€\s*)?[0-9][0-9.,]*(?![0-9.,])\s*k?\b(?:\s*euro)?)(?!\s*,?\s*(?:dat\s+is|dus|=|oftewel|samen))"
        ),
        lambda m: f"{m.group(3)} per {_PERIOD_OF_COUNT.get((m.group(1), m.group(2).lower()[:2]), m.group(2))}"
        if (m.group(1), m.group(2).lower()[:2]) in _PERIOD_OF_COUNT
        else m.group(),
    ),
    # "mnd 1.450", "jr 15k": the period before the figure
    (
        _compile(
            r"(?<![0-9])(?<![0-9]\s)(?<![\w/.])(?<!per\s)(?:p\.?\s*)?mnd\b\.?\s*(?=(?:€\s*)?[0-9]+(?![0-9]*\)))"
        ),
        "per maand ",
    ),
    (
        _compile(
            r"(?<![0-9])(?<![0-9]\s)(?<![\w/.])(?<!per\s)(?:p\.?\s*)?jr\b\.?\s*(?=(?:€\s*)?[0-9]+(?![0-9]*\)))"
        ),
        "per jaar ",
    ),
    (_compile(r"(?<![\w/])pw\b"), "per week"),
    (_compile(r"\btrimester\b"), "kwartaal"),  # Flemish
    # English, as salespeople mix it in: "savings van 4k per month", "hourly rate 55"
    (_compile(r"\b(?:per|a|an|each|every)\s+month\b|\bmonthly\b"), "per maand"),
    (
        _compile(r"\b(?:per|a|an|each|every)\s+year\b|\byearly\b|\bannually\b|\bper\s+annum\b|\bp\.a\."),
        "per jaar",
    ),
    (_compile(r"\b(?:per|a|an|each|every)\s+week\b|\bweekly\b"), "per week"),
    (_compile(r"\b(?:per|a|an|each|every)\s+quarter\b|\bquarterly\b"), "per kwartaal"),
    (_compile(r"\bone[- ]?off\b"), "eenmalig"),
    (_compile(r"\b(?:per|an|a|each|every)\s+hour\b"), "per uur"),
    (_compile(r"(?<=[0-9])\s*-?\s*(?:hours?|hrs?)\b"), " uur"),
    (_compile(r"(?<=[0-9])\s*-?\s*months?\b"), " maanden"),
    (_compile(r"(?<=[0-9])\s*-?\s*(?:years?|yrs?)\b"), " jaar"),
    (_compile(r"\b(?:staff\s+members|staff|employees|workers|colleagues|people)\b"), "medewerkers"),
    (_compile(r"\beach\b"), "elk"),
    (_compile(r"(?<![\w])at\s+(?=[0-9€])"), "à "),
    (_compile(r"\bdeal\b"), "contract"),
    (_compile(r"\bsave[sd]?\b"), "besparen"),
    (_compile(r"\bhourly\s+rate\b"), "uurtarief"),
    (_compile(r"\bfirst\s+line\b"), "eerste regel"),
    (_compile(r"\bsecond\s+line\b"), "tweede regel"),
    (_compile(r"\bthird\s+line\b"), "derde regel"),
    (_compile(r"\bmy\s+bad\b"), "sorry"),
    (_compile(r"\bop\s+jaarbasis\b"), "per jaar"),
    (_compile(r"\bvte'?s?\b"), "fte"),  # Flemish: voltijdse equivalenten
    (_compile(r"\bsavings?\b"), "besparing"),
    (_compile(r"\bbetween\b"), "tussen"),
    (_compile(r"(?<=[0-9k])\s+and\s+(?=[0-9])"), " en "),
    (_compile(r"\bderhalve\b|\boftewel\b|\bofwel\b"), "dus"),
    (_compile(r"\bshould\s+be\b"), "moet zijn"),
    (_compile(r"\bactually\b"), "eigenlijk"),
    (_compile(r"\bthe\s+(\w+)\s+line\b"), r"de regel \1"),
    # Flemish and spoken forms: "da's", "nie", "'t is", "ne nul"
    (_compile(r"\bda'?s\b"), "dat is"),
    (_compile(r"\bnie\b"), "niet"),
    (_compile(r"(?<!\w)'t\s+(?=is\b|was\b|wordt\b|contract\b)"), "het "),
    # a table pasted as text: "| energie | 450 | per maand |" is one line of words
    (_compile(r"(?m)^\s*\|\s*|\s*\|\s*$"), ""),
    (_compile(r"\s*\|\s*"), " "),
    (
        _compile(r"(?m)^\s*fte\s*:?\s+([0-9]{1,2}(?:,[0-9])?)(?![0-9.,]|\s*(?:fte|euro|k\b|%))"),
        r"\1 fte",
    ),  # "FTE 2"
    # dictated decimals: "4 punt 5 duizend", "1249 komma 50"
    (_compile(r"\b([0-9]+)\s+(?:komma|punt)\s+([0-9]+)\b"), r"\1,\2"),
    # "per maand1200": a number glued to the word before it
    (_compile(r"(?<=[^\W\d_]{3})(?=[0-9])"), " "),
    (_compile(r"(?m)^\s*[-•*]\s+"), ""),  # bullet lists
    (_compile(r"(?m)^\s*[0-9]{1,2}[.)]\s+(?=[^\W\d_])"), ""),  # numbered lists: "1. minder bederf: 850 ..."
    # "4.800. dat besparen ze per jaar op ...": the figure first, then what it is
    (
        _compile(r"^(\s*(?:€\s*)?[0-9][0-9.,]*\s*(?:k|euro)?)\s*[.:!]\s+(?=(?:dat|dit|zoveel|zo\s+veel)\b)"),
        r"\1 ",
    ),
    (_compile(r"\s*\n+\s*"), ", "),
    # "de storingen gaan van 40 naar 25": a number of things, said as "van 40 naar 25 storingen"
    (
        _compile(
            r"\b(?:de|hun|het\s+aantal)\s+(?!(?:kosten|uitgaven|lasten|prijzen|premies|huren|tarieven|rekeningen"
            r"|facturen|bedragen|boetes|salarissen|lonen)\b)([^\W\d_]{3,}(?:en|s))\s+"
            r"(gaan|gaat|dalen|daalt|zakken|zakt|lopen|loopt|stijgen|stijgt)\s+((?:\w+\s+){0,2}?)"
            r"van\s+([0-9]{1,3})\s+naar\s+([0-9]{1,3})(?![0-9.,]|\s*(?:k\b|euro|€|,-|duizend|%|procent|uur|minuten))"
        ),
        r"\2 \3van \4 naar \5 \1",
    ),
    # "24 maanden, eh nee, 36": the figure said instead has the unit of the one it replaces
    (
        _compile(
            r"\b([0-9][0-9.,]*)\s+(maanden|jaar|jaren|fte|uur|weken)\b(\s*[,.…]+\s*(?:(?:eh+m?|uh+m?)\b[\s,]*)?"
            r"(?:nee|sorry|oeps|pardon)\b[\s,:.]*(?:doe\s+(?:maar\s+)?|maak\s+er\s+maar\s+|het\s+(?:is|was|wordt)\s+)?)"
            r"([0-9][0-9.,]*)(?![0-9.,]*\s*(?:maand|jaar|jaren|fte|uur|weken|%|euro|k\b|€|duizend|per\b))"
        ),
        r"\1 \2\3\4 \2",
    ),
    (  # "nul komma acht fte" (dictated): 0,8
        _compile(rf"\b({'|'.join(_DIGIT_WORDS)})\s+komma\s+({'|'.join(_DIGIT_WORDS)})\b"),
        lambda m: f"{_DIGIT_WORDS[m.group(1).lower()]},{_DIGIT_WORDS[m.group(2).lower()]}",
    ),
    (_compile(r"\b(?:een\s+)?halve\s+(fte|formatieplaats)\b"), r"0,5 \1"),
    (_compile(r"\been\s+kwart\s+(fte|formatieplaats)\b"), r"0,25 \1"),
    (  # "drie-en-een-half jaar": 3,5
        _compile(rf"\b({'|'.join(_DIGIT_WORDS)}|[0-9]+)[- ]en[- ]een[- ]half\b"),
        lambda m: f"{_DIGIT_WORDS.get(m.group(1).lower(), m.group(1))},5",
    ),
    (_compile(r"\banderhalve\s+(fte|formatieplaats)\b"), r"1,5 \1"),
    (_compile(r"\bpr\.?\s+(?=(?:jaar|maand|week|kwartaal|dag|mnd|jr)\b)"), "per "),
    # "een driejarig contract", "3-jarig", "een jaarcontract": a contract length
    (_compile(r"\b(een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|[0-9]+)[- ]?jarige?\b"), r"\1 jaar"),
    (_compile(r"\b(?:een\s+)?jaarcontract\b"), "contract van 1 jaar"),
    # "de maandprijs wordt 3.000": the period inside a compound
    (_compile(r"\bmaand(prijs|bedrag|tarief|fee|factuur|termijn|licentie)\b"), r"\1 per maand"),
    (_compile(r"\bjaar(prijs|bedrag|tarief|fee|factuur|omzet|licentie)\b"), r"\1 per jaar"),
    (_compile(r"\bkwartaal(prijs|bedrag|tarief|factuur)\b"), r"\1 per kwartaal"),
    (_compile(r"\bweek(prijs|bedrag|tarief)\b"), r"\1 per week"),
)
_SHORT_WORDS = ("maand", "jaar", "week", "dag", "kwartaal", "werkdag", "maanden", "jaren", "weken")
_LONG_WORDS = ("maandelijks", "jaarlijks", "wekelijks", "dagelijks", "eenmalig", "eenmalige", "kwartaal")
_REAL_WORDS = frozenset(
    "maar waar daar naar haar paar weer werk week dat dan das jaren maand maanden jaar dag dagen weken wel"
    " zaak mand maal keer man mannen dagelijkse wekelijkse maandelijkse jaarlijkse panden banden landen handen"
    " wanden randen tanden standen manden klaar kaart".split()
)
_WORD = re.compile(r"[^\W\d_]+")
_AFTER_PER = _compile(r"(?:\bper|\belke?|\biedere?|/)\s*$")
_AFTER_NUMBER = _compile(r"[0-9]\s*$")
_LOOK_BACK = 12  # characters before a word in which "per" or a number is looked for


def _distance(a: str, b: str) -> int:
    """Levenshtein distance with adjacent transpositions (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        previous2, previous = previous, current
    return previous[-1]


@functools.lru_cache(maxsize=4096)
def _closest(word: str, candidates: tuple[str, ...], limit: int) -> str | None:
    """The candidate within ``limit`` edits of ``word`` (only those of about its length are tried)."""
    near = [c for c in candidates if abs(len(c) - len(word)) <= limit]
    if not near:
        return None
    distances = {c: _distance(word, c) for c in near}
    best = min(near, key=lambda c: (distances[c], abs(len(c) - len(word)), -len(c)))
    return best if distances[best] <= limit else None


_VOWEL = re.compile(r"[aeiou]")


def _vowels_differ(word: str, candidates: tuple[str, ...]) -> str | None:
    """The one candidate with the same consonants in the same places, at most two vowels apart."""
    skeleton = _VOWEL.sub("_", word)
    found = [
        candidate
        for candidate in candidates
        if len(candidate) == len(word)
        and _VOWEL.sub("_", candidate) == skeleton
        and sum(a != b for a, b in zip(word, candidate, strict=True)) <= 2
    ]
    return found[0] if len(found) == 1 else None


def normalise(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``text`` with abbreviations spelled out and frequency typos mended, and the typos found."""
    for pattern, phrase in _ABBREVIATIONS:
        text = pattern.sub(phrase, text)
    corrections: list[tuple[str, str]] = []
    pieces: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        word = match.group()
        lower = word.lower()
        replacement = None
        before = text[max(0, match.start() - _LOOK_BACK) : match.start()]
        after_per = _AFTER_PER.search(before)
        if lower == "mand" and after_per:  # "1.975 per mand": a month, not a basket
            replacement = "maand"
        elif lower not in _REAL_WORDS and lower not in _SHORT_WORDS and lower not in _LONG_WORDS:
            if len(lower) >= 7:
                replacement = _closest(lower, _LONG_WORDS, 2)
            after_number = len(lower) >= 5 and _AFTER_NUMBER.search(before)  # "36 maandn"
            if replacement is None and 3 <= len(lower) <= 9 and (after_per or after_number):
                replacement = _closest(lower, _SHORT_WORDS, 1 if len(lower) <= 5 else 2)
                if replacement and not after_per and replacement[0] != lower[0]:
                    replacement = None  # "14 paarden", "3 haren": another word after a count, no typo
                if replacement is None and after_per and len(lower) >= 4:  # "per mnad": letters swapped
                    swapped = _closest(lower, _SHORT_WORDS, 2)
                    replacement = swapped if swapped and set(lower) <= set(swapped) else None
                if replacement is None and after_per:  # "per jeer", "per waek": only vowels differ
                    replacement = _vowels_differ(lower, _SHORT_WORDS)
        if replacement is not None:
            corrections.append((word, replacement))
            pieces.append(text[position : match.start()] + replacement)
            position = match.end()
    pieces.append(text[position:])
    return "".join(pieces), tuple(corrections)


# --- the quantities in a message ----------------------------------------------------


class _Unit(str, enum.Enum):
    MONEY = "money"
    PLAIN = "plain"
    HOURS = "hours"
    PEOPLE = "people"
    FTE = "fte"
    YEARS = "years"
    MONTHS = "months"
    RATE = "rate"
    PERCENT = "percent"
    IGNORED = "ignored"
    REFERENCE = "reference"  # "offertenummer 5512": no amount, and named as not used


@dataclass(frozen=True)
class _Quantity:
    value: Decimal
    unit: _Unit
    start: int
    end: int  # including its unit word


_PEOPLE = (  # also as the end of a compound ("basisscholen", "magazijnmedewerkers"), "man" only alone
    r"man\b|(?:[^\W\d_]+-)?[^\W\d_]*(?:mensen|personen|persoon|medewerkers?|werknemers?|collega'?s|teamleden|schoonmakers?"
    r"|koks?|monteurs?|beveiligers?|verpleegkundigen|artsen|chauffeurs?|agenten|docenten"
    r"|leerlingen|gebruikers?|werkplekken|locaties|vestigingen|afdelingen|ploegen|operators?"
    r"|technici|planners?|receptionisten|hoveniers?|kantoren|gebouwen|panden|scholen|winkels"
    r"|assistente?s?|secretaresses?|receptionistes?|krachten?|medewerksters?|verpleegkundige|analisten?"
    r"|adviseurs?|consultants?|engineers?|developers?|schoonmaaksters?|kassamedewerkers?|agents?"
    r"|receptionist|assistent|monteur|chauffeur|kracht)"
)
_AFTER_PEOPLE = _compile(  # "3 mensen", "3 extra planners"; not "45.000 per persoon" (a rate)
    rf"\s*(?:(?:extra|meer|minder|nieuwe|vaste|losse|eigen|interne|externe)\s+)?"
    rf"(?:(?!(?:per|voor|van|aan|op|bij|elke?|iedere?)\b)[^\W\d_]+\s+)?(?:{_PEOPLE}|[^\W\d_]+(?:isten|istes|sters|kers|ici|ers|medewerkers|krachten|entes|enten|anten))\b"
)
_COUNTED = _compile(
    r"\s*(?:(?:extra|meer|minder|nieuwe|losse)\s+)?((?!euro|jaar|maand|week|uur|dag|keer)[^\W\d_]{4,})"
)
_PER_ITEM = _compile(
    r"\b(?:per|elke?|iedere?)\s+(?!jaar|maand|week|kwartaal|dag|uur|werkdag|keer|stuk)([^\W\d_]{3,}|m[2²3³]|km|kg)(?!\w)"
)


def _same_item(counted: str, per: str) -> bool:
    """ "storingen" and "per storing", "nachtrondes" and "per ronde": one kind of item."""
    counted, per = counted.lower(), per.lower()
    stem = per.rstrip("e")
    plural = any(counted.endswith(per + ending) for ending in ("s", "en", "ten", "n"))
    return counted.startswith(per[:5]) or (len(stem) >= 4 and stem in counted) or (len(per) >= 3 and plural)


_ADJECTIVE = r"(?:(?:extra|meer|minder|nieuwe|grote|kleine|losse|lege)\s+)?"
_ADJECTIVE_WORD = _compile(r"\s*(?:extra|meer|minder|nieuwe|grote|kleine|losse|lege)\s")
_COUNT_NOUN = _compile(rf"\s*{_ADJECTIVE}([^\W\d_](?:[^\W\d_]|-(?=[^\W\d_])){{3,}}(?:en|s))\b")
_NOT_COUNTED = _compile(
    r"^(?:euros|uren|jaren|maanden|weken|dagen|werkdagen|keren|minuten|seconden|kwartalen|stuks|opties"
    r"|dingen|zaken|punten|posten|regels|waarden|bedragen|besparingen|voordelen|smaken|varianten|scenario's)$"
    r"|lijks$|kosten$|besparing\w*$"
)
_LIST_INTRO_AFTER = _compile(r"\s*(?:dingen|zaken|punten|posten|voordelen|besparingen|onderdelen)\b")
_LINES_AFTER = _compile(r"\s*(?:regels|posten|waarden|lijnen)\b")  # "de eerste twee regels zijn goed"
_WORD_AFTER_HYPHEN = re.compile(r"-[^\W\d_]{2,}")
_AFTER_DAYS = _compile(r"\s*(?:werk|open|winkel)?dag(?:en)?\b")
_TIMES_NEAR = _compile(r"(?<!\w)[x×*à@](?!\w)|\bkeer\b|\bmaal\b|=")  # "40 euro per dag x 220 werkdagen"
_EACH_AFTER = _compile(
    r"\b(?:op|voor|per)\s+(?:elk|ieder)e?\b|\bper\s+stuk\b|(?<!\w)(?:à|x|×)\s*(?:€\s*)?[0-9]"
)
_REDUCED_AFTER = _compile(
    r"\s*(?:fte\s+)?(?:van\s+)?(?:weg|af|eruit|minder|schrappen"
    r"|(?:(?:van|bij|op|uit)\s+(?:de|het)\s+[^\W\d_]+(?:\s+[^\W\d_]+)?\s+)?niet\s+meer\s+(?:nodig|in\s+dienst))\b"
)
_REDUCED_BEFORE = _compile(r"\ber\s+$")
_OF_THEM_AFTER = _compile(r"\s+(?:van\s+(?:hen|hun|die|deze)|daarvan)\b")
_HEADCOUNT_BEFORE = _compile(r"\b(?:headcount|bezetting|formatie|personeel)\b[^.;,0-9]{0,30}?\bmet\s+$")
_COUNT_OF_THEM = _compile(r"\b(?:hebben|zijn|werken|tellen)\s+(?:er\s+|ze\s+er\s+)(?:in\s+totaal\s+)?$")
_PARTITIVE_BEFORE = _compile(  # a verb, then "er" and the number: not "en er gaat 300 per maand minder naar ..."
    r"\b(?!(?:en|maar|dus|want|of|dat|als|toen|nu|hier|daar|waar|wat)\b)[^\W\d_]{2,}\s+(?:ze\s+|we\s+|wij\s+)?er\s+"
    r"(?:(?:nog|ook|ongeveer|zo'?n|gemiddeld|straks|nu|dan|wel|zeker|maar|dus)\s+){0,2}$"
)
_SPLIT_ADVERB_AFTER = _compile(r"[^,.;!?]*?\b(?:voor|van|mee|aan|op|bij|uit|over|af|in)\s*(?:[,.;!?]|$)")
_MONEY_CLAUSE = _compile(
    r"€|\beuro\b|\bbespa\w*|\bverdien\w*|\bkost\w*|\blevert\b|\bscheelt\b|\bmee\b|\bopbrengst\w*|\bomzet\b"
)
_GROUP_OF = _compile(r"\b(?:team|groep|ploeg|club|afdeling)\s+van\s*$")
_PEOPLE_BEFORE = _compile(
    rf"(?:{_PEOPLE}|[^\W\d_]+(?:isten|istes|sters|kers|ici|ers|leiders|krachten)|\b(?:elke?|iedere?)\s+[^\W\d_]{{4,}})"
    r"\s*\(\s*$"
)
_PEOPLE_COMMA_BEFORE = _compile(
    rf"(?:{_PEOPLE}|[^\W\d_]+(?:isten|istes|sters|kers|ici|ers|leiders|krachten|entes))\s*,\s*$"
)
_COMMA_COUNT_END = _compile(r"\s+(?:in\s+totaal|totaal|man|stuks|personen|mensen)\s*(?=,)")
_BRACKET_COUNT_END = _compile(r"\s*(?:stuks|man|personen|mensen|in\s+totaal|totaal)?\s*\)")  # "(8 stuks)"
_AFTER_PIECES = _compile(r"\s*stuks\b")
_AFTER_FTE = _compile(r"\s*(?:fte(?:'s|s)?|formatieplaats(?:en)?|voltijdbanen|fulltimers?)\b")
_AFTER_HOURS = _compile(r"\s*(?:uur|uren|uurtjes?|u|hrs?)\b(?!\s*(?:tarief|loon|prijs))")
_AFTER_MINUTES = _compile(r"\s*(?:minuten|minuut|min)\b")
_AFTER_YEARS = _compile(r"\s*(?:jaar|jaren|jr)\b")
_AFTER_MONTHS = _compile(r"\s*(?:maanden|maand|mnd)\b")
_AFTER_PERCENT = _compile(r"\s*(?:%|procent\b|pct\b|p[rocent]{4,7}\b)")  # also "procnet", "percent"
_BEFORE_PERIOD = _compile(  # "1 keer op 3 maanden"; not "de looptijd komt op 60 maanden"
    r"(?:\bper|\belke?|\biedere?|(?<!komt\s)(?<!staat\s)(?<!zit\s)(?<!gaat\s)(?<!uit\s)(?<!contract\s)"
    r"(?<!looptijd\s)\bop|/)\s*$"
)
_BEFORE_DATE = _compile(
    r"(?:\bin|\bsinds|\bvanaf|\btot|\bbegin|\beind|\bmedio|\bjaar|\bregel|\bnummer|\bnr\.?"
    r"|\b(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    r"|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?)\s*$"
)
_BEFORE_YEAR = _compile(r"\b(?:van|uit|bouwjaar)\s*$")
_POINTER_BEFORE = _compile(r"\b(?:regel|waarderegel|lijn|post|punt)\s*$")  # "post 2: ...": a line's number
_IDENTIFIER_BEFORE = _compile(
    r"(?:nummer|nr\.?|tel\.?|telefoon|kvk|iban|postcode|code|\bpostbus|\bregio|\bkamer|\blokaal|\bhal|\broute)\s*:?\s*$"
)
_RATE_AFTER = _compile(
    r"\s*(?:euro|eur|€|,-)?\s*(?:marge\s+|winst\s+|omzet\s+)?(?:per\s+(?:uur|h|persoon|fte|medewerker|man|stuk)\b|p/u\b|p\.u\.|/\s*(?:uur|u|h)\b"
    r"|het\s+uur\b|per\s+stuk\b|elk\b|per\s+keer\b|(?:op|voor|per)\s+(?:elk|ieder)e?\b)"
)
_RATE_BEFORE = _compile(
    r"(?:\buur(?:tarief|loon|prijs)|\btarief|\bper\s+uur\s*:?|(?<!\w)à|(?<!\w)a(?=\s)|@|\btegen|\bkost(?:en|t)?(?:\s+(?:ze|zij|hen|hun|hem|haar|u|ons|de\s+klant))?|(?<!\w)[x×*]"
    r"|\bvan|\belk|\bieder)"
    r"\s*(?:van|is|:|=|bedraagt|ligt\s+op|zo'?n|ongeveer|circa|gemiddeld|per\s+stuk)?\s*(?:€|eur\b|euro\b)?\s*$"
)
_PHONE = re.compile(r"^0[0-9]{9}$|^0[0-9]{1,3}[- ][0-9]{6,8}$")
_YEAR_DIGITS = re.compile(r"^(?:19|20)\d\d$")
_BARE_EEN = _compile(r"^(?:een|één|eén)$")
# "een uur stilstand kost hun 900", "1 uur van de receptioniste kost 38": the unit of a rate
_AN_HOUR_OF = r"(?:[^\W\d_]+\s+){0,4}?(?:kost\w*|levert|scheelt)(?:\s+(?:ze|hen|hun|hem|haar|de\s+klant))?"
_AN_HOUR = _compile(r"\s*uur\s+" + _AN_HOUR_OF + r"\b")


_ONE_UNIT = _compile(
    r"(?<!\w)(?:een|één|eén)(?=\s+(?:fte|uur|uurtje|medewerker|persoon|man|kracht|receptionist\w*|schoonmaker)\b)"
    # not the hour a rate is given for: "een uur van hem is 60 euro waard"
    r"(?!\s+uur(?:\s+van\s+\w+)?\s+(?:is|was|zetten|rekenen|waarderen|schatten|stellen)\b)"
)
_CLOCK_BEFORE = _compile(r"(?:\bom|\bvoor|\bna|\btot|\bvanaf|\btussen|\brond)\s*$")
_PERIOD_AFTER = _compile(r"\s*(?:per|elke|iedere|in\s+de|wekelijks|maandelijks|jaarlijks|p/?[wmj])\b")
_CLOCK = re.compile(r"^(?:[01]?\d|2[0-3])[.:][0-5]\d$")
_ORDINAL_AFTER = _compile(r"(?:e|de|ste)\b")
_INSTEAD_BEFORE = _compile(
    r"(?:\bipv\.?|\bi\.p\.v\.?|\bin\s+plaats\s+van|,\s*niet|\bniet\s+meer)\s*(?:€\s*)?$"
)
_ONE_MORE_BEFORE = _compile(r"\bnog\s+$")
_ONE_MORE_AFTER = _compile(r"\s*(?:post|regel|waarde\w*|erbij)?\W*$")
_SAID_BEFORE_AFTER = _compile(
    r"\s*(?:euro|eur|k)?\s*(?:p/?m|per\s+\w+)?\s*(?:gezegd|genoemd|opgegeven|ingevuld|doorgegeven"
    r"|klopt\s+niet|is\s+(?:fout|verkeerd|niet\s+goed|onjuist|te\s+(?:hoog|laag|veel|weinig)))\b"
)
_NOT_BEFORE = _compile(r"\b(?:geen|niet)\s*(?:€\s*)?$")
_BUT_ONLY_AFTER = _compile(
    r"\s*(?:k|euro|eur)?\s*(?:(?:per|p/?)\s*\w+\s*)?,?\s*maar\b"
)  # "stond op 400, maar ..."
_STOOD_BEFORE = _compile(r"\b(?:stond|stonden|stond\s+er|was|waren|had\s+ik)\s+(?:op\s+|nog\s+)?(?:€\s*)?$")
# The figure a correction replaces: "in regel 2 staat 6.600, dat moet ...", "die regel van 8.000 moet ..."
_OLD_BEFORE = _compile(
    r"(?:\b(?:staat|staan|stond|stonden)\s+(?:er\s+)?(?:nu\s+)?(?:op\s+)?"
    r"|\b(?:die|de\s+regel|die\s+regel|regel|de\s+waarde)\s+(?:van|met)\s+|^\W*die\s+)(?:€\s*)?$"
)
_CLAUSE_END = _compile(r"\s*(?:euro|eur|k)?\s*(?:[,.;!?)]|$)")
_TAKE_THAT = _compile(  # "..., de marge is 1.600 per maand, neem die": this one, not the figures before it
    r"[^.;!?0-9]{0,40}?\b(?:(?:neem|gebruik|pak)\s+(?:die|dat|deze|dit)|reken\s+(?:maar\s+)?met\s+(?:die|dat|deze))\b"
)
_BUT_AFTER = _compile(
    r"\s*(?:k|euro|eur)?\s*(?:(?:per|p/?)\s*\w+\s*)?(?:,?\s*maar\b|,\s*(?:[^\W\d_]+\s+){0,3}(?=(?:€\s*)?[0-9]))"
)
_LIST_MARKER = re.compile(r"(?:^|\s)$")
# "12abc", "1.000.0000": digits that cannot be read as one amount
_MALFORMED = _compile(
    r"(?<![\w.,])[0-9]+(?:[.,][0-9]+)*(?:[.,][0-9]{4,}|[.,](?=[.,])[.,]*[0-9]*|(?!(?:k|e|de|ste|x|u|h|j|jr|mln|mld|mil|uur|min|pm|pj|keer)\b)[^\W\d_]{2,})"
    r"|(?<![\w.,])[0-9]+[.,][0-9]{1,2}[.,][0-9]+"
    r"|(?<![\w.,])(?:[xX]{1,3}[.,]?[0-9xX]*[0-9]|[0-9]+[.,]?[xX]{2,3})\b"  # "€ xx.500": a placeholder
)


_FROM_BEFORE = _compile(r"\bvan\s*(?:€\s*)?$")
_TO_GAP = _compile(r"^\s*(?:euro|€)?\s*naar\s*(?:€\s*)?$")


_SELF_CORRECTION = _compile(
    r"(?:[,;.…]\s*(?:(?:eh+m?|uh+m?|hm+|oh?|of)\b[\s,.]*)?(?:nee|sorry|oeps|pardon|correctie|wacht)\b[\s,:.]*"
    r"(?:(?:wacht|nee)\b[\s,:]*)?"
    r"(?:ik\s+bedoel(?:de)?\b[\s,:]*|doe\s+(?:maar\s+)?|maak\s+er\s+maar\s+|het\s+(?:is|was|wordt)\s+)?"
    r"|[,;]\s*(?:eh+m?|uh+m?)\b[\s,.]*)$"  # "3.000, ehh 3.200": said again, differently
)


def _self_corrected(text: str, matches: list[AmountMatch]) -> list[AmountMatch]:
    """ "1.2 mln per jaar, nee wacht, 1.1 mln": the amount taken back is dropped."""
    kept: list[AmountMatch] = []
    for match in matches:
        if kept and _SELF_CORRECTION.search(text, kept[-1].end, match.start):
            kept.pop()
        kept.append(match)
    return kept


def _price_named_before(text: str, start: int) -> bool:
    """A part of our price is named in the sentence before ``start``."""
    sentence = _sentence_before(text, start)
    return bool(
        _PRICE_WORDS.search(sentence) or _ONE_OFF_PRICE_WORDS.search(sentence)
    ) and not _SAVED_COSTS.search(sentence)


def _changes(text: str, matches: list[AmountMatch]) -> list[AmountMatch]:
    """ "van 40 naar 25 storingen": one amount, the difference (15), spanning both numbers."""
    result: list[AmountMatch] = []
    index = 0
    while index < len(matches):
        match = matches[index]
        if index + 1 < len(matches) and _FROM_BEFORE.search(text, 0, match.start):
            following = matches[index + 1]
            if _TO_GAP.match(text[match.end : following.start]) and match.value != following.value:
                if _price_named_before(
                    text, match.start
                ):  # "eenmalig gaat van 7.500 naar 5.000": the new price
                    result.append(
                        AmountMatch(following.value, match.start, following.end, following.is_money)
                    )
                    index += 2
                    continue
                difference = abs(match.value - following.value)
                result.append(
                    AmountMatch(difference, match.start, following.end, match.is_money or following.is_money)
                )
                index += 2
                continue
        result.append(match)
        index += 1
    return result


def _quantities(text: str, frequencies: list[FrequencyMatch]) -> list[_Quantity]:
    spans = [(f.start, f.end) for f in frequencies]
    result: list[_Quantity] = []
    matches = find_amounts(text)
    for one in _ONE_UNIT.finditer(text):
        if not any(m.start <= one.start() < m.end for m in matches):
            matches.append(AmountMatch(_ONE, one.start(), one.end(), False))
    matches.sort(key=lambda m: m.start)
    matches = _self_corrected(text, _changes(text, matches))
    for match in matches:
        if any(match.start < end and start < match.end for start, end in spans):
            continue
        raw = text[match.start : match.end].strip()
        result.append(_classify(text, match, raw))
    return _replaced(text, result)


def _replaced(text: str, quantities: list[_Quantity]) -> list[_Quantity]:
    """With another amount beside it, the figure a correction names as the old one is no amount:
    "in regel 2 staat 6.600, dat moet 7.600 zijn", "eenmalig 1.200, geen 12.000"."""
    amounts = [q for q in quantities if q.unit in (_Unit.MONEY, _Unit.PLAIN)]
    if len(amounts) + sum(q.unit in (_Unit.YEARS, _Unit.MONTHS) for q in quantities) < 2:
        return quantities
    chosen = [q for q in amounts if _TAKE_THAT.match(text, q.end)]
    return [
        replace(q, unit=_Unit.IGNORED)
        if q in amounts
        and (
            _OLD_BEFORE.search(text, 0, q.start)
            and any(other.start > q.end for other in amounts)
            or _NOT_BEFORE.search(text, 0, q.start)
            and _CLAUSE_END.match(text, q.end)
            or any(q.end <= taken.start for taken in chosen)
        )
        else q
        for q in quantities
    ]


def _classify(text: str, match: AmountMatch, raw: str) -> _Quantity:
    value, start, end = match.value, match.start, match.end
    if not match.is_money and (
        _ORDINAL_AFTER.match(text, end)
        or (_CLOCK.match(raw) and (_AFTER_HOURS.match(text, end) or _CLOCK_BEFORE.search(text, 0, start)))
        or (
            _CLOCK_BEFORE.search(text, 0, start)
            and (hours := _AFTER_HOURS.match(text, end))
            and value <= 24
            and not _PERIOD_AFTER.match(text, hours.end())  # "voor 18 uur per week": a duration
        )
    ):
        return _Quantity(value, _Unit.IGNORED, start, end)
    if (
        not match.is_money
        and text[end : end + 1] == ")"
        and _LIST_MARKER.search(text, 0, start)
        and value < 10
    ):
        return _Quantity(value, _Unit.IGNORED, start, end + 1)  # "1) schoonmaak ... 2) ...": a list marker
    if (
        not match.is_money
        and value < 10
        and _ONE_MORE_BEFORE.search(text, 0, start)
        and _ONE_MORE_AFTER.match(text, end)
    ):
        return _Quantity(value, _Unit.IGNORED, start, end)  # "jep, nog 1": one more line, not an amount
    if (
        not match.is_money
        and value < 10
        and (_LIST_INTRO_AFTER.match(text, end) or _LINES_AFTER.match(text, end))
    ):
        return _Quantity(value, _Unit.IGNORED, start, end)  # "twee dingen voor de brouwerij: ..."
    if (
        not match.is_money
        and _AFTER_DAYS.match(text, end)
        and not _TIMES_NEAR.search(text, max(0, start - 4), min(len(text), end + 16))
    ):
        return _Quantity(value, _Unit.REFERENCE, start, end)  # "7 dagen per week open": days, no amount
    if not match.is_money and _WORD_AFTER_HYPHEN.match(text, end):
        return _Quantity(value, _Unit.IGNORED, start, end)  # "de 360-graden meting", "24-uurs service"
    if _SAID_BEFORE_AFTER.match(text, end):
        return _Quantity(value, _Unit.IGNORED, start, end)  # "ik had 1.200 gezegd, moet 1.400 zijn"
    if _INSTEAD_BEFORE.search(text, 0, start) or (
        _NOT_BEFORE.search(text, 0, start) and _BUT_AFTER.match(text, end)
    ):
        return _Quantity(value, _Unit.IGNORED, start, end)  # "4.000 ipv 2.000", "geen 10.000 maar 14.000"
    if _STOOD_BEFORE.search(text, 0, start) and _BUT_ONLY_AFTER.match(text, end):
        return _Quantity(
            value, _Unit.REFERENCE, start, end
        )  # "stond op 400, maar ...": named unless the old one
    if not match.is_money and value == 1 and _AN_HOUR.match(text, end):
        return _Quantity(value, _Unit.IGNORED, start, end)  # "een uur stilstand kost ...": a rate's unit
    if _BARE_EEN.match(raw) and not match.is_money:
        follows = (
            _AFTER_HOURS.match(text, end)
            or _AFTER_YEARS.match(text, end)
            or _AFTER_FTE.match(text, end)
            or _AFTER_PEOPLE.match(text, end)  # "één planner minder nodig"
        )
        if not follows:
            return _Quantity(value, _Unit.IGNORED, start, end)
    for pattern, unit in (
        (_AFTER_PERCENT, _Unit.PERCENT),
        (_AFTER_FTE, _Unit.FTE),
        (_AFTER_PEOPLE, _Unit.PEOPLE),
        (_AFTER_PIECES, _Unit.PEOPLE),  # "planners: 3 stuks": a count
        (_AFTER_MINUTES, _Unit.HOURS),
        (_AFTER_HOURS, _Unit.HOURS),
    ):
        found = pattern.match(text, end)
        if found and not match.is_money:
            if pattern is _AFTER_MINUTES:
                value = value / _MINUTES_PER_HOUR
            return _Quantity(value, unit, start, found.end())
    bracket_end = _BRACKET_COUNT_END.match(text, end)
    if not match.is_money and _PEOPLE_BEFORE.search(text, 0, start) and bracket_end:
        return _Quantity(value, _Unit.PEOPLE, start, bracket_end.end())
    comma_end = _COMMA_COUNT_END.match(text, end)
    if not match.is_money and _PEOPLE_COMMA_BEFORE.search(text, 0, start) and comma_end:
        return _Quantity(value, _Unit.PEOPLE, start, comma_end.end())  # "de planners, 4 in totaal, ..."
    if not match.is_money and _REDUCED_BEFORE.search(text, 0, start) and _REDUCED_AFTER.match(text, end):
        return _Quantity(value, _Unit.FTE if re.search(r"\bfte\b", text, re.I) else _Unit.PEOPLE, start, end)
    if not match.is_money and _OF_THEM_AFTER.match(text, end):  # "14 mensen; 3 van hen zijn elk ..."
        return _Quantity(value, _Unit.PEOPLE, start, end)
    if not match.is_money and _HEADCOUNT_BEFORE.search(text, 0, start):  # "headcount kan met 4 omlaag"
        return _Quantity(value, _Unit.PEOPLE, start, end)
    if not match.is_money and _COUNT_OF_THEM.search(text, 0, start):  # "elke fysio ..., ze hebben er 6"
        return _Quantity(value, _Unit.PEOPLE, start, end)
    if (  # "ze behandelen er 40 per maand", "er gaan er 3 minder stuk": so many of them, no money
        not match.is_money
        and value < _COUNT_LIMIT
        and _PARTITIVE_BEFORE.search(text, 0, start)
        and not _MONEY_CLAUSE.search(_clause(text, start, end))
        and not _says_price(_clause(text, start, end))
        and not _SPLIT_ADVERB_AFTER.match(text, end)  # "we vragen er 950 per maand voor": ervoor
        and not (
            _AFTER_YEARS.match(text, end) or _AFTER_MONTHS.match(text, end)
        )  # "laten we er 2 jaar van maken"
    ):
        return _Quantity(value, _Unit.PEOPLE, start, end)
    if not match.is_money and _GROUP_OF.search(text, 0, start):  # "team van 6"
        return _Quantity(value, _Unit.PEOPLE, start, end)
    counted_noun = _COUNT_NOUN.match(text, end)
    if (
        not match.is_money
        and counted_noun
        and not _NOT_COUNTED.search(counted_noun.group(1))
        and (
            _EACH_AFTER.search(text, counted_noun.end())
            or value < (_SMALL if _ADJECTIVE_WORD.match(text, end) else _COUNT_LIMIT)
        )
    ):  # "12 evenementen per jaar, 750 op elk", "vier bedrijventerreinen": a count, not an amount
        return _Quantity(value, _Unit.PEOPLE, start, counted_noun.end())
    counted = _COUNTED.match(text, end)
    items = [m.group(1) for m in _PER_ITEM.finditer(text) if m.start() >= end or m.end() <= start]
    if not match.is_money and counted and any(_same_item(counted.group(1), item) for item in items):
        return _Quantity(value, _Unit.PEOPLE, start, counted.end())  # "25 storingen ... à 800 per storing"
    if not match.is_money and not _BEFORE_PERIOD.search(text, 0, start):
        for pattern, unit in ((_AFTER_YEARS, _Unit.YEARS), (_AFTER_MONTHS, _Unit.MONTHS)):
            found = pattern.match(text, end)
            if found:
                return _Quantity(value, unit, start, found.end())
    if not match.is_money and value < 100 and _POINTER_BEFORE.search(text, 0, start):
        return _Quantity(value, _Unit.IGNORED, start, end)
    if not match.is_money and _PHONE.match(raw):  # "bel me op 0612345678"
        return _Quantity(value, _Unit.REFERENCE, start, end)
    if not match.is_money and _IDENTIFIER_BEFORE.search(text, 0, start):  # "polisnummer 2031877"
        return _Quantity(value, _Unit.REFERENCE, start, end)
    if not match.is_money and _YEAR_DIGITS.match(raw) and _BEFORE_YEAR.search(text, 0, start):  # "van 2015"
        return _Quantity(value, _Unit.IGNORED, start, end)
    if not match.is_money and _YEAR_DIGITS.match(raw) and _BEFORE_DATE.search(text, 0, start):
        return _Quantity(value, _Unit.IGNORED, start, end)
    if not match.is_money and _BEFORE_DATE.search(text, 0, start) and value < 20:
        return _Quantity(value, _Unit.IGNORED, start, end)
    return _Quantity(value, _Unit.MONEY if match.is_money else _Unit.PLAIN, start, end)


# --- vague amounts, ranges, arithmetic ------------------------------------------------

_VAGUE = _compile(
    r"\b(?:vier|vijf|zes|zeven|[4-7])\s+cijfers\b|"  # "zeker vijf cijfers per jaar"
    r"\been\s+(?:kleine|goede|dikke|krappe|ruime)\s+(?:€\s*)?(?:[0-9][0-9.,]*|\w+\s+(?:ton|miljoen|mille)\b|ton\b"
    r"|\w*(?:duizend|honderd)\w*)|"  # "een kleine drie ton", "een goede 5.000": about, not exactly
    r"\b(?:meer\s+dan|minder\s+dan|minstens|minimaal|ten\s+minste|zeker\s+wel|op\s+z(?:'?n|ijn)\s+minst|maximaal|hooguit|hoogstens|tot\s+wel|ruim\s+boven|"
    r"ergens\s+boven|ergens\s+onder|onder\s+de|boven\s+de|ruim|krap|bijna|net\s+geen|net\s+onder|net\s+boven|net\s+over|iets\s+(?:onder|boven|meer\s+dan|minder\s+dan)"
    r"(?:\s+de)?)\s+(?:€\s*)?(?:[0-9][0-9.,]*\s*(?:k|duizend|mille|euro|ton)?|een\s+(?:ton|miljoen)|\w*(?:duizend|honderd)\w*)"
    r"|\b(?:een\s+)?paar\s+(?:honderd|duizend|ton|tonnen|miljoen|euro|k\b)\w*"
    r"|\b(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|vijftien|twintig|dertig|veertig|[1-9])\s*,\s+"
    r"(?:drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|vijftien|twintig|dertig|veertig|vijftig|[1-9])"
    r"\s*(?:mille|duizend|ton|k)\b"  # "drie, vier mille": three or four
    r"|\b(?:enkele|wat|meerdere|flink\s+wat|vele)\s+(?:honderden|duizenden|tienduizenden|tonnen|miljoenen)"
    r"|\b(?:honderden|duizenden|tienduizenden|honderdduizenden|tonnen|miljoenen)\b"
    r"|\been\s+(?:jaar|maand|week)\s+of\s+(?:twee|drie|vier|vijf|zes|tien|[0-9]+)\b"  # "een jaar of drie": about
    r"(?!\s*(?:,|à|tot|-|of)\s*(?:misschien\s+|eerder\s+)?(?:twee|drie|vier|vijf|zes|tien|[0-9]))"
    r"|\bveel\s+geld\b|\been\s+hoop\s+geld\b|\been\s+(?:flink|aardig|behoorlijk|fors)\s+bedrag\b"
    r"|\bflink\s+wat\s+geld\b|\bwat\s+geld\b|\been\s+(?:klein|groot)\s+bedrag\b"
)
_RANGE_GAP = _compile(
    r"^\s*(?:euro|k)?\s*(?:(?:per|p/?)\s*\w+\s*)?-?,?\s*"
    r"(?:à|á|a|tot|-|–|—|of|~|(?:of\s+)?(?:misschien|mogelijk|eventueel|zelfs|eerder))\s*(?:€\s*)?$"
)
_BETWEEN = _compile(r"\btussen\s+(?:de\s+|het\s+)?(?:€\s*)?$")
_BETWEEN_GAP = _compile(r"^\s*(?:euro|€)?\s*en\s*(?:€\s*)?$")
_TIMES_GAP = _compile(
    r"^\s*(?:(?:euro|€|,-|[^\W\d_]{3,}|[^\W\d_]{2,}'s)?(?:\s+(?:in\s+)?totaal)?\s*(?:x|×|\*|keer|maal)"  # "2 dc's x"
    r"|(?:werk)?dag(?:en)?\s*(?:à|á|@)|(?:kwartalen|maanden|weken)\s*(?:van|à|á))\s*(?:€|euro)?\s*$"  # "12 dagen à 1.150"
)
_PLUS_GAP = _compile(  # "620 + minder retourafhandeling 480": the next term may carry its label
    r"^\s*(?:euro|€|,-)?\s*(?:\+|plus)\s*(?:[^\W\d_]+\s+){0,3}(?:€|euro)?\s*$"
)
_RESULT_GAP = _compile(
    r"^\s*(?:euro|€|,-)?\s*(?:per\s+\w+\s*|(?:op|voor|per)\s+(?:(?:elk|ieder)e?\s*)?)?(?:(?:[^\W\d_]+\s+){1,6}(?==|is\s)|(?:[^\W\d_]+\s+){0,3}[^\W\d_]{3,}(?=[,.;]\s*dus\b))?[,.;]?\s*"
    r"(?:=|==|->|=>|is\s+(?:samen\s+|dus\s+|totaal\s+)?|dus\s+|maakt\s+|geeft\s+"
    r"|levert\s+|(?:dat\s+|het\s+)?komt\s+(?:neer\s+)?op\s+|samen\s+|totaal\s+|in\s+totaal\s+|dat\s+is\s+"
    r"|(?:dan\s+|en\s+)?(?:scheelt|levert|bespaart|is|maakt|geeft)\s+(?:dat|dit|het)\s+"  # "dan scheelt dat 90k"
    r"(?:(?:ze|hun|hen|de\s+klant|samen|in\s+totaal|dus|ongeveer)\s+)*)(?:€|euro)?\s*$"
)


@dataclass(frozen=True)
class _Sum:
    """Quantities i..j joined by x or +, and the stated result (index) if any."""

    first: int
    last: int
    operator: str
    result: int | None


def _sums(text: str, quantities: list[_Quantity]) -> list[_Sum]:
    found: list[_Sum] = []
    i = 0
    while i < len(quantities) - 1:
        operators = ""
        j = i
        while j + 1 < len(quantities):
            gap = _PERIOD_WORDS.sub(" ", text[quantities[j].end : quantities[j + 1].start])
            raw_gap = text[quantities[j].end : quantities[j + 1].start]
            kind = "x" if _TIMES_GAP.match(gap) else "+" if _PLUS_GAP.match(raw_gap) else None
            if kind is None:
                break
            operators, j = operators + kind, j + 1
        if not operators:
            i += 1
            continue
        operator = operators if len(set(operators)) > 1 else operators[0]
        result = None
        if j + 1 < len(quantities):
            gap = text[quantities[j].end : quantities[j + 1].start]
            gap = _FREQUENCY_WORDS.sub(" ", gap)
            if _RESULT_GAP.match(gap):
                result = j + 1
        found.append(_Sum(i, j, operator, result))
        i = (result if result is not None else j) + 1
    return found


_PERIOD_WORDS = _compile(
    r"\b(?:per|elke?|iedere?)\s+(?:week|maand|jaar|kwartaal|dag|werkdag)\b|\bmaandelijks\b|\bjaarlijks\b|\bwekelijks\b"
)
_FREQUENCY_WORDS = _compile(
    _PERIOD_WORDS.pattern + r"|\b(?:weken|maanden|dagen|werkdagen|keer|stuks|elk|ieder|per\s+stuk)\b"
)

_PRICE_WORDS = _compile(
    r"\bprijs(?!wijziging|lijst|afspra|etiket|kaart|vergelijk|bewust|stijging|verhoging)\w*|(?<!het\s)(?<!te\s)\bprijzen\b|\btarie[fv]\w*|\bofferte\b|\bfactureer\w*|\bfactureren\b|\bgefactureerd\b|\bfactuurbedrag\w*|\bonze\s+factu\w*|\b(?:wij|we)\s+rekenen\b|\brekenen\s+(?:wij|we)\b|\bvragen\s+(?:wij|we)\b"
    r"|\b(?:wij|we)\s+vragen\b|\bopstart\w*|\bimplementatiekosten\b|\binrichtingskosten\b|\bset-?up\b"
    r"|\bonboarding\w*|\bzitten\s+op\b|\bkomen\s+uit\s+op\b"
    r"|\bcontractwaarde\b|\bbeta+l\w*\s+(?:\w+\s+){0,2}ons\b|\bons\s+(?:\w+\s+){0,3}beta+l\w*|\bvan\s+ons\b"
    r"|\bvoor\s+alles\b"
    r"|\bonze\s+(?:dienst\w*|inzet|werkzaamheden|ondersteuning|begeleiding|service)\b"
    r"|\bons\s+(?:werk|pakket|onderhoud\w*|abonnement|beheer|\w*contract)\b|\baanneemsom\b|\b(?:wij|we)\s+kosten\b|\bkosten\s+(?:wij|we)\b"
    r"|\bons\s+(?:tarief|voorstel|aanbod)\b|\bfee\b|\bhonorari\w*|\bin\s+rekening\b"
    r"|\bonze\s+(?:kosten|vergoeding)\b|\bkost(?:en)?\s+(?:ze|hen|hun|de\s+klant)\s+eenmalig"
    r"|\b(?:de|onze|hun)\s+licenties?\s+(?:per\s+(?:jaar|maand|kwartaal)\s+)?(?:komt|komen|kost|kosten|is|bedraagt|gaat|wordt)\b"
)
PRICE_WORDS = _PRICE_WORDS
# "extra" alone is value ("extra omzet"), not the extra thing we sell ("voor de extra rit", "2 extra camera's")
_VALUE_WORDS = _compile(
    r"\bbespa\w*|\bgoedkoper\b|\blevert\b|\bopbrengst\w*|\bscheelt\b|\bschelen\b|\bomzet\b|\bwinst\b|\bwaarde\b"
    r"|\bminder\b|\bvoorkom\w*|\bverdien\w*|\bwinnen\b|(?<!de\s)(?<!die\s)(?<!een\s)(?<!het\s)(?<!deze\s)(?<!onze\s)(?<![0-9]\s)\bextra\b|\buitval\b|\bverzuim\b|\bboete\w*"
)
# a figure only if something else happens: "als ze daarna verlengen, komen er nog 2 jaar bij"
_HYPOTHETICAL_PATTERN = r"\b(?:als|indien|mocht(?:en)?)\s+(?:ze|zij|hij|de\s+klant)\b[^.;!?]*\b(?:verleng|doorga|uitbrei|bijbestel)\w*"
_HYPOTHETICAL = _compile(_HYPOTHETICAL_PATTERN)
_OTHER_PARTY = _compile(
    r"\b(?:vorige|huidige|oude|andere)\s+(?:leverancier|partij|aanbieder|contract)\w*|\bconcurrent\w*"
    r"|\b(?:vorige|huidige|oude|andere)\s+[^\W\d_]*(?:aar|eur|bedrijf|partij)\b"
    r"|\b(?:vorige|huidige|oude|andere)\s+(?:\w+\s+)?(?:leverancier|verhuurder|aanbieder|dienstverlener|installateur"
    r"|aannemer|firma|bureau|partner|offerte)\w*"
    r"|\bbetaal(?:de|den)\b|\bvroeger\b|\bvoorheen\b|\bvorig\s+jaar\b|\bkostte\b|\bdestijds\b|\bnu\s+(?:al\s+)?(?:betalen|kwijt|uitgeven)\b"
    r"|\b(?:betalen|betaalt|kwijt)\s+(?:ze|zij|hij|u)\s+nu\b|\bmarktconform\w*|\belders\b"
    r"|\bbudget\w*|\bbegroot\b|\bgereserveerd\b|\bgebudgetteerd\b"  # the client's budget is no price
    # the client's own prices to its customers ("ze vragen hun leden 350 per plek")
    r"|\b(?:ze|zij|hij|de\s+klant)\s+(?:vraagt|vragen|rekent|rekenen|berekent|berekenen)\s+(?:aan\s+)?(?:hun|zijn|haar)\s+\w+"
    r"|\bhun\s+(?:eigen\s+)?(?:tarie[fv]\w*|prijs|prijzen|verkoopprijs\w*)\b"
    r"|" + _HYPOTHETICAL_PATTERN +
    # the client's size ("draait 4 miljoen omzet", "hun omzet is 12 miljoen"), not what we add to it
    r"|\b(?:draai\w*|haal\w*|totale)\s+(?:een\s+|zo'?n\s+|ruim\s+)?(?:[0-9.,]+\s*\w*\s+)?(?:jaar)?omzet\b"
    r"|\b(?:hun|de|totale)\s+(?:jaar)?omzet\s+(?:is|bedraagt|ligt\s+op|zit\s+op)\b"
)
_CONTRACT_WORDS = _compile(
    r"contract\w*|\blooptijd\w*|\bloopt\b|\blang\b|\bvoor\s+de\s+duur\b|\bjarig\b|\btermijn\b"
)
_ONE_OFF_PRICE_WORDS = _compile(
    r"\bopstart\w*|\bimplementatie\w*|\binrichting\w*|\bset-?up\b|\bonboarding\w*|\beenmalig\w*|\bbij\s+de\s+start\b"
    r"|\binstallatie(?:kosten)?\b|\bplaatsing\b|\bmontage(?:kosten)?\b|\baansluitkosten\b"  # what is done once
)
_ONE_OFF_PART = r"(?:eenmalig\w*|opstart\w*|set-?up\w*|implementatie\w*|inrichting\w*|installatie\w*)"
_RECURRING_PART = r"(?:terugkerend\w*|maandelijks\w*|jaarlijks\w*|vast\w*\s+bedrag|abonnement\w*)"
_NOTHING_WORDS = r"(?:niks|niets|nul|0|geen|niet|nihil)\b"
_NO_ONE_OFF = _compile(
    rf"\bgeen\s+(?:\w+\s+)?{_ONE_OFF_PART}|\b{_ONE_OFF_PART}(?:\s+(?!\d)\w+){{0,4}}?\s+{_NOTHING_WORDS}"
    rf"|\b(?:laat|laten)\s+(?:\w+\s+){{0,2}}{_ONE_OFF_PART}(?:\s+\w+){{0,2}}\s+(?:vallen|weg)\b"
    rf"|\b{_ONE_OFF_PART}(?:\s+(?:deel|kosten|bedrag|prijs))?\s+(?:\w+\s+){{0,2}}?"
    r"(?:vervalt|vervallen|schrappen|laten\s+(?:we\s+)?vallen|(?:doen|leveren)\s+(?:we|wij)\s+gratis|(?:is|zijn)\s+gratis"
    r"|nemen\s+(?:we|wij)\s+voor\s+onze\s+rekening)\b"
    rf"|\bschrap\w*\s+(?:\w+\s+){{0,2}}{_ONE_OFF_PART}"
)
_NO_RECURRING = _compile(
    rf"\bgeen\s+(?:\w+\s+)?{_RECURRING_PART}|\b{_RECURRING_PART}(?:\s+(?!\d)\w+){{0,4}}?\s+{_NOTHING_WORDS}"
)


# --- putting it together ---------------------------------------------------------------


@dataclass
class _Reader:
    text: str
    asked: Role | None
    frequencies: list[FrequencyMatch]
    quantities: list[_Quantity]
    used: set[int] = field(default_factory=set)
    used_frequencies: set[int] = field(default_factory=set)
    facts: list[Fact] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    unused: list[Unused] = field(default_factory=list)

    def facts_of(self, role: Role) -> list[Fact]:
        return [fact for fact in self.facts if fact.role is role]

    def quote(self, start: int, end: int) -> str:
        return self.text[start:end].strip(" ,.;:")

    def frequency_for(self, start: int, end: int, *, claim: bool = True) -> FrequencyMatch | None:
        """The nearest unclaimed frequency phrase to the span, preferring one right after it."""
        best: tuple[int, int, int] | None = None
        for index, item in enumerate(self.frequencies):
            if index in self.used_frequencies:
                continue
            if item.start >= end:
                between = self.text[end : item.start]
                if _blocked(between) or _LEADS_AMOUNT.match(self.text, item.end):
                    continue  # "opstart 2.000, jaarlijks 18.000": that period is the next amount's
                key = (len(between.strip(" €euroEURO,-")), 0, index)
            elif item.end <= start:
                between = self.text[item.end : start]
                if _blocked(between):
                    continue
                key = (len(between.strip()), 1, index)
            else:
                continue
            if best is None or key[:2] < best[:2]:
                best = key
        if best is None:
            return None
        if claim:
            self.used_frequencies.add(best[2])
        return self.frequencies[best[2]]


_LEADS_AMOUNT = re.compile(r"\s*:?\s*(?:€\s*)?(?![0-9]{1,2}\)\s)[0-9]")  # not the list marker "2) ..."


def _blocked(between: str) -> bool:
    """A frequency phrase does not reach an amount across another amount or a sentence end."""
    return bool(re.search(r"[0-9.;!?]|\ben\s+(?:eenmalig|ook|daarnaast|verder)\b", between))


_SAVED_COSTS = _compile(r"\b(?:minder|lagere?|geen)\s+\w*kosten\b")


def _says_price(text: str, *, rate_is_hourly: bool = False) -> bool:
    """Words that make an amount our price; not "minder inrichtingskosten" (a saving), and with
    hours in the sum not "tarief" (the client's hourly rate)."""
    text = _SAVED_COSTS.sub(" ", text)
    if rate_is_hourly:
        text = re.sub(r"\b(?:uur)?tarie[fv]\w*", " ", text, flags=re.IGNORECASE)
    return bool(_PRICE_WORDS.search(text))


_PAST_COST = _compile(r"\bkostte\b|\bkostten\b|\bbetaal(?:de|den)\b")
_NO_LONGER = _compile(
    r"\bniet\s+meer\b|\bgeen\s+(?:\w+\s+){0,3}meer\b|\bniet\s+langer\b|\bvalt\s+(?:\w+\s+)?weg\b|\bvervalt\b"
    r"|\boverbodig\b|\bniet\s+(?:meer\s+)?nodig\b"
)


def _cost_that_goes(reader: _Reader, clause: str, start: int) -> bool:
    """ "..., hoeft de zoon niet meer met een gehuurde hoogwerker het dak op, die huur kostte ze 650
    per kwartaal": asked for value, what something cost that is no longer needed is saved; not what
    another supplier cost (that is replaced by our price)."""
    return (
        reader.asked is Role.VALUE
        and bool(_PAST_COST.search(clause))
        and not _OTHER_PARTY.search(_PAST_COST.sub(" ", clause))
        and bool(_NO_LONGER.search(_sentence_before(reader.text, start) + " " + clause))
    )


_LESS = _compile(r"\bminder\b|\bbespa\w*|\bscheelt\b|\bkan\s+weg\b|\bvalt\s+(?:\w+\s+)?weg\b")
_TO_THE_OLD_PARTY = _compile(
    r"\b(?:bij|aan|naar|van)\s+(?:hun|de|het|hun\s+eigen)\s+(?:oude|vorige|huidige)\s+[^\W\d_]+"
)


def _less_to_the_old_party(clause: str) -> bool:
    """ "2.350 per maand minder huur bij hun oude verhuurder": less paid to the supplier the client has
    now is saved; not "bij de concurrent betalen ze 500 minder" (another's price, a comparison)."""
    return bool(_LESS.search(clause) and _TO_THE_OLD_PARTY.search(clause)) and not _OTHER_PARTY.search(
        _TO_THE_OLD_PARTY.sub(" ", clause)
    )


def _role_of_money(reader: _Reader, start: int, end: int, frequency: FrequencyMatch | None) -> Role | None:
    """The role of a money amount at start..end (None: no role, it is unused)."""
    clause = without_asides(_clause(reader.text, start, end))  # "(gemiddelde van vorig jaar)": a basis
    if (
        _OTHER_PARTY.search(clause)
        and not _cost_that_goes(reader, clause, start)
        and not _less_to_the_old_party(clause)
    ):
        return None
    recurring = frequency is not None and frequency.frequency is not Frequency.ONE_OFF
    one_off = (frequency is not None and frequency.frequency is Frequency.ONE_OFF) or bool(
        _ONE_OFF_PRICE_WORDS.search(clause)
    )
    hourly = bool(
        _HOURLY_MARK_AFTER.match(reader.text, end) or _HOURLY_MARK_BEFORE.search(reader.text, 0, start)
    )
    says_price = _says_price(clause, rate_is_hourly=hourly)  # "tarief 28 euro p/u": the client's rate
    says_value = bool(_VALUE_WORDS.search(clause)) and not says_price
    if not says_price and not says_value:  # "onze prijs is 3.000 eenmalig plus 2.000 per maand"
        says_price = _says_price(_sentence_before(reader.text, start), rate_is_hourly=hourly)
    if reader.asked is Role.VALUE:
        if says_price:
            return Role.PRICE_RECURRING if recurring else Role.PRICE_ONE_OFF if one_off else None
        return Role.VALUE
    if says_value:
        return Role.VALUE
    if recurring:
        return Role.PRICE_RECURRING
    if one_off:
        return Role.PRICE_ONE_OFF
    if reader.asked is Role.CONTRACT_YEARS:
        return None
    if reader.asked is None:
        return Role.PRICE_RECURRING if says_price else None
    return reader.asked


_CLAUSE_BREAK = re.compile(r"[.;!?]\s|\s(?:en|maar|plus|daarnaast|verder)\s|,\s")
_SENTENCE_BREAK = re.compile(r"(?<!\.)[.;!?](?:\s|$)")  # not the "..." of a sentence broken off


def _sentence_before(text: str, start: int) -> str:
    """The sentence holding ``start``, up to ``start``."""
    left = 0
    for match in _SENTENCE_BREAK.finditer(text, 0, start):
        left = match.end()
    return text[left:start]


def clause_around(text: str, start: int, end: int) -> str:
    """The clause of ``text`` that holds ``start``..``end``, without surrounding punctuation."""
    return _clause(text, start, end).strip(" ,.;:")


def _clause_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the clause around start..end begins and ends."""
    left = 0
    for match in _CLAUSE_BREAK.finditer(text, 0, start):
        left = match.end()
    right_match = _CLAUSE_BREAK.search(text, end)
    return left, right_match.start() if right_match else len(text)


def _clause(text: str, start: int, end: int) -> str:
    """The clause around start..end: up to the nearest break on each side."""
    left = 0
    for match in _CLAUSE_BREAK.finditer(text, 0, start):
        left = match.end()
    right_match = _CLAUSE_BREAK.search(text, end)
    right = right_match.start() if right_match else len(text)
    return text[left:right]


def _fact(reader: _Reader, role: Role, amount: Decimal, start: int, end: int, **extra: object) -> None:
    frequency = extra.pop("frequency_match", None)
    assert frequency is None or isinstance(frequency, FrequencyMatch)
    factor = frequency.factor if frequency else _ONE
    if role is Role.CONTRACT_YEARS:
        reader.facts.append(Fact(role, amount, None, reader.quote(start, end), start, end, **extra))  # type: ignore[arg-type]
        return
    if (
        frequency is None
        and role is Role.PRICE_RECURRING
        and reader.asked in (Role.PRICE_RECURRING, None)
        and amount
    ):
        reader.questions.append(Question(Problem.FREQUENCY, reader.quote(start, end), (amount,)))
        return
    if frequency is None:
        chosen = Frequency.ONE_OFF if role is Role.PRICE_ONE_OFF else Frequency.YEAR
    else:
        chosen = frequency.frequency
    if role is Role.PRICE_ONE_OFF:
        chosen = Frequency.ONE_OFF
    total = amount * factor
    limit = MAX_LINE_AMOUNT if role is Role.VALUE else MAX_PRICE
    quote = reader.quote(start, end)
    if total < 0:
        reader.questions.append(Question(Problem.NEGATIVE, quote, (total,)))
        return
    if total > limit:
        reader.questions.append(Question(Problem.TOO_LARGE, quote, (total,)))
        return
    if total == 0 and role is Role.VALUE:
        reader.questions.append(Question(Problem.ZERO, quote, (total,)))
        return
    hours = extra.pop("hours", None)
    if isinstance(hours, Decimal):
        hours = hours * factor
    category = detect_category(_clause(reader.text, start, end)) if role is Role.VALUE else None
    if role is Role.VALUE and extra.get("hourly_rate") is not None:
        category = Category.TIME_SAVED
    reader.facts.append(
        Fact(
            role,
            total,
            chosen,
            quote,
            start,
            end,
            category=category,
            hours=hours,  # type: ignore[arg-type]
            frequency_stated=frequency is not None,
            **extra,  # type: ignore[arg-type]
        )
    )


_FRACTIONS = {"helft": 2, "kwart": 4, "derde": 3, "vierde": 4, "vijfde": 5, "tiende": 10}
_SHARE = _compile(
    r"\b(?:de|een)\s+(helft|kwart|derde|vierde|vijfde|tiende)\b|(?<![\w.,])([0-9]{1,2}(?:,[0-9]+)?)\s*(?:%|procent\b)"
)
_HERE = _compile(r"\b(?:deze|dit|hier|daarvan|waarvan|van\s+hen)\b")
_STATED_AFTER = _compile(r"\b(?:dus|oftewel)\s*(?:€\s*)?[0-9]|=")


def _read_shares(reader: _Reader) -> None:
    """ "over de hele groep 96.000 per jaar, voor deze vestiging een kwart": the share that applies
    here ("de helft daarvan", "25% bij deze fabriek", "hier een vijfde"); counts ("6 fte ..., in deze
    hal de helft daarvan") become their share, amounts are taken as the share of the whole."""
    quantities = reader.quantities
    for index, quantity in enumerate(quantities):
        if index in reader.used or quantity.unit not in (_Unit.MONEY, _Unit.PLAIN, _Unit.FTE, _Unit.PEOPLE):
            continue
        following = [
            q.start
            for q in quantities[index + 1 :]
            if q.unit in (_Unit.MONEY, _Unit.PLAIN, _Unit.FTE, _Unit.PEOPLE)
        ]
        end = min([*following, _sentence_span(reader.text, quantity.start, quantity.end)[1]])
        window = reader.text[quantity.end : end]
        share = _SHARE.search(window)
        if (
            share is None
            or not _HERE.search(window)
            or _STATED_AFTER.search(window)
            or _RESULT_BEFORE.search(window)
        ):
            continue  # "..., dus reken met 20.000": the stated result counts (see _read_stated_products)
        numerator, denominator = (
            (_ONE, Decimal(_FRACTIONS[share.group(1).lower()]))
            if share.group(1)
            else (Decimal(share.group(2).replace(",", ".")), _HUNDRED)
        )
        reader.used.update(
            i
            for i, q in enumerate(quantities)
            if q.unit is _Unit.PERCENT
            and quantity.end + share.start() <= q.start < quantity.end + share.end()
        )
        part = quantity.value * numerator / denominator
        if quantity.unit in (_Unit.FTE, _Unit.PEOPLE):
            quantities[index] = replace(quantity, value=part)  # the share of the people, for the products
            continue
        reader.used.add(index)
        frequency = reader.frequency_for(quantity.start, quantity.end)
        role = _role_of_money(reader, quantity.start, quantity.end, frequency) or reader.asked or Role.VALUE
        _fact(
            reader,
            role,
            part,
            quantity.start,
            quantity.end + share.end(),
            frequency_match=frequency,
            terms=(numerator * _HUNDRED / denominator, quantity.value),
            operator="%",
        )


_BETWEEN_THEM = _compile(r"\b(?:ergens\s+)?daar\s*tussen(?:in)?\b|\bergens\s+tussen\s+(?:die|de)\s+twee\b")


def _read_vague(reader: _Reader) -> None:
    for between in _BETWEEN_THEM.finditer(
        reader.text
    ):  # "vorig jaar 12.000, daarvoor 7.000, dus ergens daartussen"
        start, end = _sentence_span(reader.text, between.start(), between.end())
        reader.used.update(
            i
            for i, q in enumerate(reader.quantities)
            if q.unit in (_Unit.MONEY, _Unit.PLAIN) and start <= q.start and q.end <= end
        )
        reader.questions.append(Question(Problem.VAGUE, reader.quote(start, end)))
    for match in _VAGUE.finditer(reader.text):
        inside = [
            index
            for index, quantity in enumerate(reader.quantities)
            if quantity.start < match.end() + 12 and match.start() - 2 < quantity.end
        ]
        reader.used.update(inside)
        context = _OTHER_PARTY.search(_clause(reader.text, match.start(), match.end()))
        if inside and (context or _value_at_price(reader, match.start(), match.end())):
            first = reader.quantities[inside[0]]
            reader.unused.append(Unused(first.value, reader.quote(match.start(), match.end())))
            continue  # "ruim 6.000" at a price question, "draait ruim 9 miljoen omzet": named as not used
        length = reader.asked is Role.CONTRACT_YEARS or re.search(r"\bjaar|\bmaand", match.group(), re.I)
        problem = Problem.CONTRACT_LENGTH if length else Problem.VAGUE
        reader.questions.append(Question(problem, reader.quote(match.start(), match.end())))
    quantities = reader.quantities
    for index in range(len(quantities) - 1):
        if index in reader.used:
            continue
        first, second = quantities[index], quantities[index + 1]
        gap = reader.text[first.end : second.start]
        between = _BETWEEN.search(reader.text, 0, first.start) and _BETWEEN_GAP.match(gap)
        ranged = _RANGE_GAP.match(gap) and first.unit in (_Unit.PLAIN, _Unit.MONEY)
        if between or (ranged and second.unit is not _Unit.HOURS):
            reader.used.update((index, index + 1))
            if _value_at_price(reader, first.start, second.end):
                reader.unused.append(Unused(second.value, reader.quote(first.start, second.end)))
                continue
            lengths = second.unit in (_Unit.YEARS, _Unit.MONTHS) or reader.asked is Role.CONTRACT_YEARS
            problem = Problem.CONTRACT_LENGTH if lengths else Problem.VAGUE
            reader.questions.append(
                Question(problem, reader.quote(first.start, second.end), (first.value, second.value))
            )


def _value_at_price(reader: _Reader, start: int, end: int) -> bool:
    """An amount at a price question that its clause calls a value ("ze besparen ...")."""
    if reader.asked not in (Role.PRICE_ONE_OFF, Role.PRICE_RECURRING, Role.CONTRACT_YEARS):
        return False
    clause = _clause(reader.text, start, end)
    return bool(_VALUE_WORDS.search(clause)) and not _PRICE_WORDS.search(clause)


def _stated_result(reader: _Reader, after: int) -> int | None:
    """The index of a quantity stated as the result right after position ``after`` ("= 116.000")."""
    for index, quantity in enumerate(reader.quantities):
        if quantity.start >= after and index not in reader.used:
            gap = _FREQUENCY_WORDS.sub(" ", reader.text[after : quantity.start])
            return index if _RESULT_GAP.match(gap) else None
    return None


def _conclude(
    reader: _Reader,
    computed: Decimal,
    spans: list[_Quantity],
    terms: tuple[Decimal, ...],
    operator: str = "x",
    hours: Decimal | None = None,
    hourly_rate: Decimal | None = None,
) -> None:
    """Take a computed amount, or its stated result when that matches; ask when it does not."""
    start, end = min(q.start for q in spans), max(q.end for q in spans)
    if _OTHER_PARTY.search(reader.text, start, end):  # "300 plekken, ze vragen hun leden 350 per plek"
        money = [q for q in spans if q.unit in (_Unit.MONEY, _Unit.PLAIN)] or spans
        reader.unused.append(Unused(money[-1].value, reader.quote(start, end)))
        return
    result_index = _stated_result(reader, end)
    anchor = spans[0]
    if result_index is not None:
        result = reader.quantities[result_index]
        reader.used.add(result_index)
        if result.value != computed:
            reader.questions.append(
                Question(Problem.ARITHMETIC, reader.quote(start, result.end), (*terms, result.value))
            )
            return
        end, anchor = result.end, result
        if result.unit in (_Unit.MONTHS, _Unit.YEARS):  # "2 x 12 = 24 maanden"
            months = result.value if result.unit is _Unit.MONTHS else result.value * _MONTHS_PER_YEAR
            _length(reader, months, start, end, result.unit is _Unit.MONTHS)
            return
    frequency = None
    for candidate in (anchor, *spans):
        frequency = frequency or reader.frequency_for(candidate.start, candidate.end)
    per_other = _PER_OTHER.search(reader.text, *_clause_span(reader.text, start, end))
    if frequency is None and per_other and reader.asked is not Role.CONTRACT_YEARS:
        # "4 beveiligers minder per evenement": how many events a year is not known
        reader.questions.append(
            Question(Problem.FREQUENCY, reader.quote(start, max(end, per_other.end())), (computed,))
        )
        return
    extra: dict[str, object] = {"operator": operator}
    if hours is not None:
        extra.update(hours=hours, hourly_rate=hourly_rate)
    priced = reader.asked in (Role.PRICE_ONE_OFF, Role.PRICE_RECURRING) or _says_price(
        _sentence_before(reader.text, end), rate_is_hourly=hours is not None
    )
    if not priced and (hours is not None or (reader.asked is Role.VALUE and operator == "x")):
        _fact(reader, Role.VALUE, computed, start, end, frequency_match=frequency, terms=terms, **extra)
        return
    _money_fact(reader, computed, start, end, frequency, terms, **extra)


def _money_fact(
    reader: _Reader,
    amount: Decimal,
    start: int,
    end: int,
    frequency: FrequencyMatch | None,
    terms: tuple[Decimal, ...] = (),
    **extra: object,
) -> None:
    role = _role_of_money(reader, start, end, frequency)
    if role is None:
        reader.unused.append(Unused(amount, reader.quote(start, end)))
        return
    _fact(reader, role, amount, start, end, frequency_match=frequency, terms=terms, **extra)


def _evaluate(terms: tuple[Decimal, ...], operator: str) -> Decimal:
    """The value of terms joined by ``operator`` ("x", "+", or one symbol per gap): × before +."""
    operators = operator * (len(terms) - 1) if len(operator) == 1 else operator
    total, product = Decimal(0), terms[0]
    for symbol, term in zip(operators, terms[1:], strict=True):
        if symbol == "x":
            product *= term
        else:
            total, product = total + product, term
    return total + product


_PER_OTHER = _compile(
    r"\bper\s+(?!jaar|maand|week|kwartaal|dag|werkdag|uur|stuk|persoon|fte|medewerker|man|keer|kwartier)"
    r"(?:evenement|opdracht|klus|project|dienst|actie|ronde|rit|event|wedstrijd|feest|bijeenkomst|beurs|melding|levering)\w*"
)
_PERCENT_OF = _compile(r"\s*(?:(?:minder|lager|goedkoper|besparing|korting|reductie)\s+)?(?:van|op)\b")
# "... 40.000 per jaar aan energie, en dat gaat 15% omlaag": a share of the cost said before it
_PERCENT_DOWN = _compile(r"\s*(?:omlaag|minder|lager|naar\s+beneden|eraf|af|bespaard|besparing|goedkoper)\b")
_PERCENT_CERTAINTY = _compile(r"\s*(?:zeker|kans|waarschijnlijk|overtuigd)\b")


def _read_percentages(reader: _Reader) -> None:
    """ "10% van hun energierekening van 200.000 per jaar" (the base after the share) and "... 40.000
    per jaar aan energie, en dat gaat 15% omlaag" (the one base before it, in its sentence)."""
    for index, quantity in enumerate(reader.quantities):
        if index in reader.used or quantity.unit is not _Unit.PERCENT:
            continue
        if _PERCENT_OF.match(reader.text, quantity.end):
            right = _clause_span(reader.text, quantity.start, quantity.end)[1]
            bases = [i for i in _money_indices(reader) if i > index and reader.quantities[i].start < right][
                :1
            ]
        elif _PERCENT_DOWN.match(reader.text, quantity.end):
            sentence = _sentence_of(reader, index)
            bases = [
                i
                for i in _money_indices(reader)
                if i < index and reader.quantities[i].value >= _SMALL and _sentence_of(reader, i) == sentence
            ]
        else:
            continue
        if len(bases) != 1:
            continue
        base = reader.quantities[bases[0]]
        reader.used.update((index, bases[0]))
        spans = [quantity, base] if bases[0] > index else [base, quantity]
        _conclude(reader, base.value * quantity.value / _HUNDRED, spans, (quantity.value, base.value), "%")


def _money_indices(reader: _Reader) -> list[int]:
    return [
        i
        for i, q in enumerate(reader.quantities)
        if i not in reader.used and q.unit in (_Unit.MONEY, _Unit.PLAIN)
    ]


def _restated(reader: _Reader, found: _Sum) -> list[int]:
    """The quantities before a written-out sum with a result that only restate its terms ("per dienst
    65 euro minder, 3 diensten per dag, 7 dagen: 65 x 3 x 7 = 1.365 per week"); [] when not all do."""
    terms = [reader.quantities[i].value for i in range(found.first, found.last + 1)]
    before = [i for i in range(found.first) if i not in reader.used]
    if found.result is None or not before or len(before) > len(terms):
        return []
    return before if all(reader.quantities[i].value in terms for i in before) else []


def _read_sums(reader: _Reader) -> None:
    for found in _sums(reader.text, reader.quantities):
        indices = list(range(found.first, found.last + 1))
        if any(i in reader.used for i in indices):
            continue
        reader.used.update(_restated(reader, found))
        quantities = [reader.quantities[i] for i in indices]
        terms = tuple(q.value for q in quantities)
        computed = _evaluate(terms, found.operator)
        reader.used.update(indices)
        hours = rate = None
        if found.operator == "x" and any(q.unit is _Unit.HOURS for q in quantities):
            rate = terms[-1] if quantities[-1].unit in (_Unit.MONEY, _Unit.PLAIN) else None
            if rate is None:  # "6 mensen x 3 uur per week ..., uurloon 28": the rate stands elsewhere
                elsewhere = _hourly_rates(reader, quantities[-1])
                if elsewhere:
                    reader.used.add(elsewhere[0])
                    rate_quantity = reader.quantities[elsewhere[0]]
                    rate = rate_quantity.value
                    _conclude(
                        reader,
                        computed * rate,
                        [*quantities, rate_quantity],
                        (*terms, rate),
                        "x",
                        computed,
                        rate,
                    )
                    continue
            if rate is None:
                reader.questions.append(
                    Question(
                        Problem.HOURLY_RATE,
                        reader.quote(quantities[0].start, quantities[-1].end),
                        (computed,),
                    )
                )
                continue
            hours = computed / rate
        _conclude(reader, computed, quantities, terms, found.operator, hours, rate)


_TIMES = _compile(r"(?<!\w)[x×*](?!\w)|\bkeer\b|\bmaal\b")
_TOGETHER = _compile(r"\bsamen\b|\bin\s+totaal\b|\btotaal\b|\bbij\s+elkaar\b|\bmet\s+z'?n\s+\w+")


_FEWER = _compile(
    r"\bomlaag\b|\baf\b|\beraf\b|\bweg\b|\boverbodig\b|\bvrij\w*|\bschrappen\b|\bminder\b|\bniet\s+meer\s+nodig\b"
    r"|\bgeen\b[^.;]{0,40}\b(?:aan\s+te\s+nemen|aannemen|in\s+te\s+huren|inhuren)\b"  # hires avoided
    r"|\bander\s+werk\b|\bvrijgespeeld\b|\bvrij\s+voor\b"  # "twee mensen kunnen ander werk gaan doen"
)
_OTHER_DURATION = _compile(r"\s*(?:dagen|dag|werkdagen|weken|week|uur|uren|minuten)\b")
_FULL_STOP = re.compile(r"[.!?](?:\s|$)")


def _sentence_of(reader: _Reader, index: int) -> int:
    """Which sentence (counted by full stops, not semicolons) quantity ``index`` is in."""
    return len(_FULL_STOP.findall(reader.text, 0, reader.quantities[index].start))


def _read_products(reader: _Reader) -> None:
    """People × hours × rate, FTE × cost; one product after the other ("werkplaats: 6 uur ...
    tegen 85 per uur. showroom: 2 occasions per maand, 1.200 marge per stuk")."""
    while True:
        before = (len(reader.used), len(reader.questions))
        _read_product(reader)
        if (len(reader.used), len(reader.questions)) == before:
            return


def _read_product(reader: _Reader) -> None:
    """One product: people × hours × rate, or FTE × cost."""
    free = [i for i in range(len(reader.quantities)) if i not in reader.used]
    by_unit: dict[_Unit, list[int]] = {}
    for i in free:
        by_unit.setdefault(reader.quantities[i].unit, []).append(i)
    hours = by_unit.get(_Unit.HOURS, [])
    heads = (
        by_unit.get(_Unit.PEOPLE, [])
        or by_unit.get(_Unit.FTE, [])  # "3 monteurs elk 2 uur": people work hours
        if hours
        else by_unit.get(_Unit.FTE, []) or by_unit.get(_Unit.PEOPLE, [])
    )
    if not hours and not heads:
        return
    money = [i for i in free if reader.quantities[i].unit in (_Unit.MONEY, _Unit.PLAIN)]
    if hours:
        sentence = _sentence_of(reader, hours[0])
        hours = [i for i in hours if _sentence_of(reader, i) == sentence]
        heads = [i for i in heads if _sentence_of(reader, i) == sentence]
        if len(hours) > 1:
            return  # several hour amounts: left to the question about unused numbers
        hour = reader.quantities[hours[0]]
        rates = [
            i
            for i in _hourly_rates(reader, hour)
            if _sentence_of(reader, i) == sentence or _marked_hourly(reader.text, reader.quantities[i])
        ]  # "Zo'n uur kost ze 38 euro." in the next sentence
        money = [i for i in money if _sentence_of(reader, i) == sentence]
        before_hour = [i for i in heads if reader.quantities[i].end <= hour.start]
        heads = sorted(
            heads, key=lambda i: (i not in before_hour, abs(reader.quantities[i].end - hour.start))
        )
        people = [reader.quantities[i] for i in heads[:1]]  # the nearest count before the hours
        count = people[0].value if people else _ONE
        between = (
            reader.text[min(people[0].end, hour.start) : max(people[0].start, hour.end)] if people else ""
        )
        if people and _TOGETHER.search(between) and not _TIMES.search(between):
            reader.used.update(heads[:1])  # "2 mensen, samen 10 uur": the hours are the total
            people, count = [], _ONE
        if not rates:
            if any(reader.quantities[i].unit is _Unit.MONEY for i in money):
                return  # "2 uur per week, dat scheelt 500 euro per maand": the money is the line
            reader.used.update(hours + heads[:1])
            frequency = reader.frequency_for(hour.start, hour.end)
            if frequency is None and people:  # "3 uur minder per zaak, ze behandelen er 40 per maand"
                frequency = reader.frequency_for(people[0].start, people[0].end)
            total = count * hour.value * (frequency.factor if frequency else _ONE)
            reader.questions.append(
                Question(
                    Problem.HOURLY_RATE,
                    reader.quote(min(q.start for q in [hour, *people]), hour.end),
                    (total,),
                    frequency.frequency if frequency else None,
                )
            )
            return
        rate = reader.quantities[rates[0]]
        reader.used.update([hours[0], rates[0], *heads[:1]])
        terms = (count, hour.value, rate.value) if people else (hour.value, rate.value)
        _conclude(
            reader,
            count * hour.value * rate.value,
            [hour, rate, *people],
            terms,
            "x",
            count * hour.value,
            rate.value,
        )
        return
    heads = sorted(heads, key=lambda i: not _REDUCED_AFTER.match(reader.text, reader.quantities[i].end))
    head = reader.quantities[heads[0]]  # "12 fte, daar kan er 1 van weg": the one that goes
    if _REDUCED_BEFORE.search(reader.text, 0, head.start) and _REDUCED_AFTER.match(reader.text, head.end):
        reader.used.update(heads[1:])  # the 12 it is taken from are context
    is_fte = head.unit is _Unit.FTE
    noun = reader.text[head.start : head.end].split()[-1]
    costs = [
        i
        for i in money
        if (is_fte and reader.quantities[i].start > head.start)
        or _is_rate(reader.text, reader.quantities[i])
        or _per_same_item(reader.text, reader.quantities[i], noun)
    ]
    if not is_fte and not costs and any(_item_of(reader.text, reader.quantities[i]) for i in money):
        return  # "per apparaat 35, het gaat om 24 demotoestellen": asked (see _read_per_item)
    if not is_fte and not costs and money:
        # "voor 3 scholen, scheelt 2.000 per maand": a total; the count is context, named as not used
        reader.used.update(heads[:1])
        reader.unused.append(Unused(head.value, reader.quote(head.start, head.end)))
        return
    if not costs:
        reader.used.update(heads[:1])
        if not is_fte and not (_VALUE_WORDS.search(reader.text) or _FEWER.search(reader.text)):  # context
            reader.unused.append(Unused(head.value, reader.quote(head.start, head.end)))
            return
        reader.questions.append(Question(Problem.FTE_COST, reader.quote(head.start, head.end), (head.value,)))
        return
    cost = reader.quantities[costs[0]]
    reader.used.update([heads[0], costs[0]])
    if is_fte and _RESULT_BEFORE.search(reader.text, head.end, cost.start):
        # "2 fte minder, dus 116.000 per jaar": what they cost together, said as the result
        _conclude(reader, cost.value, [head, cost], ())
        return
    if not is_fte and _HOURLY_MARK_AFTER.match(reader.text, cost.end):
        # "4 mensen winnen tijd, die kosten 55 per uur": how many hours is not said
        quote = reader.quote(min(head.start, cost.start), max(head.end, cost.end))
        reader.questions.append(Question(Problem.PER_HOUR, quote, (head.value * cost.value,)))
        return
    _conclude(reader, head.value * cost.value, [head, cost], (head.value, cost.value))


_HOURLY_MARK_BEFORE = _compile(
    r"(?:\buur(?:tarief|loon|prijs|kost|kosten)\b(?:\s+(?:daar|dan|hier|nu|intern|ongeveer|van\s+\w+|bij\s+\w+))*"
    r"\s*(?:van|is|:|=|bedraagt|ligt\s+op|zit\s+op|komt\s+op)?(?:\s+(?:ongeveer|zo'?n|rond|circa))?"
    # "mijn uur is 45 euro waard", "dat uur zetten ze zelf op 40 euro"
    r"|\b(?:mijn|zijn|haar|hun|dat|dit|een|één|elk|ieder|zo'?n)\s+uur(?:\s+van\s+\w+)?\s+"
    r"(?:is|was|zetten|rekenen|waarderen|schatten|stellen)(?:\s+(?:ze|we|wij|zij|hij|ik))?(?:\s+(?:zelf|intern))?"
    r"(?:\s+(?:op|als|aan))?"
    r"|\bkost\w*\s+(?:ze\s+|hen\s+)?(?:een|één|1|elk|zo'?n)\s+uur(?:\s+van\s+\w+)?"  # "kost een uur van hem 65"
    r"|\b(?:een|één|1|per|elk|zo'?n)\s+uur\s+" + _AN_HOUR_OF + r")"
    r"\s*(?:€|eur\b|euro\b)?\s*$"
)
_HOURLY_MARK_AFTER = _compile(
    r"\s*(?:euro|eur|€|,-)?\s*(?:per\s+(?:uur|h)\b|p/u\b|p\.u\.|/\s*(?:uur|u|h)\b|het\s+uur\b)"
)


def _marked_hourly(text: str, quantity: _Quantity) -> bool:
    return bool(
        _HOURLY_MARK_BEFORE.search(text, 0, quantity.start) or _HOURLY_MARK_AFTER.match(text, quantity.end)
    )


def _hourly_rates(reader: _Reader, hours: _Quantity) -> list[int]:
    """Free amounts that can be the hourly rate for ``hours``: marked as hourly first, then nearest."""
    text = reader.text
    candidates = [
        i
        for i, q in enumerate(reader.quantities)
        if i not in reader.used
        and q.unit in (_Unit.MONEY, _Unit.PLAIN)
        and (
            _is_rate(text, q)
            or _HOURLY_MARK_BEFORE.search(text, 0, q.start)  # "uurkost 36"
            or _HOURLY_MARK_AFTER.match(text, q.end)
        )
    ]

    def rank(i: int) -> tuple[bool, int]:
        q = reader.quantities[i]
        hourly = bool(_HOURLY_MARK_BEFORE.search(text, 0, q.start) or _HOURLY_MARK_AFTER.match(text, q.end))
        return (not hourly, abs(q.start - hours.end))

    return sorted(candidates, key=rank)


_PER_ITEM_BEFORE = _compile(
    r"\b(?:per|elke?|iedere?)\s+(?:[^\W\d_]+e\s+)?((?!jaar|maand|week|kwartaal|dag|uur|keer)[^\W\d_]{3,}|m[2²3³]|km|kg)\s*[:,]?\s*"
    r"(?:(?:vragen|rekenen|kost|kosten|scheelt|bespaart|besparen|levert)(?:\s+[^\W\d_]+){0,3}\s*)?(?:€\s*)?$"
)


def _per_same_item(text: str, quantity: _Quantity, noun: str) -> bool:
    """ "40 leveringen ..., 65 euro per levering", "per heftruck 350 per maand, 5 heftrucks": the
    amount is per counted item."""
    before = _PER_ITEM_BEFORE.search(text, 0, quantity.start)
    if before is not None and _same_item(noun, before.group(1)):
        return True
    per = re.match(
        r"\s*(?:euro|eur|€|,-)?\s*(?:(?:per|elke?|iedere?)\s+(?:jaar|maand|week|kwartaal)\s*)?"
        + _PER_ITEM.pattern,
        text[quantity.end :],
        re.IGNORECASE,
    )
    return per is not None and _same_item(noun, per.group(1))


_NO_ITEM = _compile(  # "per saldo", "per mail", "per 1 januari": no item that is counted
    r"^(?:saldo|direct|omgaande|mail|e-?mail|post|brief|telefoon|kwartaal|maand|mnd|jr|wk|kw|werkweek"
    r"|week|jaar|januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)$"
)
_ITEM_AFTER = _compile(  # "35 euro extra omzet per winkel per maand"
    r"\s*(?:euro|eur|€|,-)?\s*(?:(?!per\b)[^\W\d_]+\s+){0,3}?(?:(?:per|elke?|iedere?)\s+(?:jaar|maand|week|kwartaal)\s*)?"
    + _PER_ITEM.pattern
)


def _item_of(text: str, quantity: _Quantity) -> str | None:
    """The item an amount is per ("per apparaat vragen we 35", "12 euro per gebruiker per maand"),
    or None."""
    if quantity.unit not in (_Unit.MONEY, _Unit.PLAIN):
        return None
    before = _PER_ITEM_BEFORE.search(text, 0, quantity.start)
    after = _ITEM_AFTER.match(text, quantity.end)
    found = before or after
    if found is None or _NO_ITEM.match(found.group(1)):
        return None
    return found.group(1)


def _read_per_item(reader: _Reader) -> None:
    """An amount per item that no count of the same items multiplied: asked for how many. One
    count of other things in the sentence is offered ("het gaat om 24 demotoestellen"). An amount
    per hour without hours: asked for how many hours."""
    if not any(q.unit is _Unit.HOURS for q in reader.quantities):
        for index, quantity in enumerate(reader.quantities):
            hourly = _HOURLY_MARK_AFTER.match(reader.text, quantity.end) or _HOURLY_MARK_BEFORE.search(
                reader.text, 0, quantity.start
            )
            if index in reader.used or quantity.unit not in (_Unit.MONEY, _Unit.PLAIN) or not hourly:
                continue
            reader.used.add(index)
            reader.questions.append(
                Question(
                    Problem.PER_HOUR, _clause(reader.text, quantity.start, quantity.end), (quantity.value,)
                )
            )
    for index, quantity in enumerate(reader.quantities):
        if index in reader.used or _item_of(reader.text, quantity) is None:
            continue
        sentence = _sentence_of(reader, index)
        counts = [
            i
            for i, q in enumerate(reader.quantities)
            if i not in reader.used and q.unit is _Unit.PEOPLE and _sentence_of(reader, i) == sentence
        ]
        frequency = reader.frequency_for(quantity.start, quantity.end, claim=False)
        if frequency is not None and frequency.factor != _ONE:
            continue  # "twee keer per jaar, 2.300 per beurt": the count is in the frequency
        frequency = reader.frequency_for(quantity.start, quantity.end)
        reader.used.add(index)
        period = frequency.frequency if frequency else None
        if len(counts) == 1:
            count = reader.quantities[counts[0]]
            reader.used.add(counts[0])
            quote = reader.quote(min(quantity.start, count.start), max(quantity.end, count.end))
            reader.questions.append(
                Question(Problem.PER_ITEM_COUNT, quote, (count.value, quantity.value), period)
            )
        else:
            end = (_ITEM_AFTER.match(reader.text, quantity.end) or quantity).end
            end = end() if callable(end) else end
            reader.questions.append(
                Question(
                    Problem.PER_ITEM, _clause(reader.text, quantity.start, end), (quantity.value,), period
                )
            )


def _is_rate(text: str, quantity: _Quantity) -> bool:
    return bool(_RATE_AFTER.match(text, quantity.end) or _RATE_BEFORE.search(text, 0, quantity.start))


def _length(reader: _Reader, months: Decimal, start: int, end: int, stated_months: bool) -> None:
    """A contract length of ``months``: whole years, or a question."""
    years = months / _MONTHS_PER_YEAR
    quote = reader.quote(start, end)
    if years != years.to_integral_value() or not 1 <= years <= MAX_CONTRACT_YEARS:
        reader.questions.append(Question(Problem.CONTRACT_LENGTH, quote, (months,)))
        return
    _fact(
        reader,
        Role.CONTRACT_YEARS,
        years.to_integral_value(),
        start,
        end,
        months=months if stated_months else None,
    )


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence around start..end begins and ends."""
    first = max((m.end() for m in _SENTENCE_BREAK.finditer(text, 0, start)), default=0)
    stop = _SENTENCE_BREAK.search(text, end)
    return first, stop.start() if stop else len(text)


def _sentence_of_span(text: str, quantity: _Quantity) -> str:
    start, end = _sentence_span(text, quantity.start, quantity.end)
    return text[start:end]


def _read_lengths(reader: _Reader) -> None:
    quantities = reader.quantities
    for index in range(len(quantities) - 1):  # "3 jaar en 6 maanden"
        first, second = quantities[index], quantities[index + 1]
        gap = reader.text[first.end : second.start]
        if (
            index not in reader.used
            and index + 1 not in reader.used
            and first.unit is _Unit.YEARS
            and second.unit is _Unit.MONTHS
            and re.fullmatch(r"\s*(?:en|,)\s*", gap)
        ):
            reader.used.update((index, index + 1))
            _length(reader, first.value * _MONTHS_PER_YEAR + second.value, first.start, second.end, True)
    for index, quantity in enumerate(reader.quantities):
        if index in reader.used or quantity.unit not in (_Unit.YEARS, _Unit.MONTHS, _Unit.PLAIN):
            continue
        clause = _clause(reader.text, quantity.start, quantity.end)
        if quantity.unit is not _Unit.PLAIN and (
            _OTHER_PARTY.search(clause) or _HYPOTHETICAL.search(_sentence_of_span(reader.text, quantity))
        ):
            reader.used.add(
                index
            )  # "als ze daarna verlengen, komen er nog 2 jaar bij", "het oude contract liep 5 jaar"
            reader.unused.append(Unused(quantity.value, reader.quote(quantity.start, quantity.end)))
            continue
        asked = reader.asked is Role.CONTRACT_YEARS
        if quantity.unit is _Unit.PLAIN and not (
            asked
            and len(_free_numbers(reader)) == 1
            and quantity.value <= MAX_CONTRACT_YEARS * 12
            and reader.frequency_for(quantity.start, quantity.end, claim=False) is None
            and not _OTHER_DURATION.match(reader.text, quantity.end)  # "opzegtermijn van 30 dagen"
        ):
            continue
        price_phase = reader.asked is not Role.VALUE
        # "..., 36 maanden, wij vragen 4.500 per maand": a length beside a price is the contract's
        beside_price = quantity.unit is not _Unit.PLAIN and bool(_PRICE_WORDS.search(reader.text))
        if not asked and not price_phase and not beside_price and not _CONTRACT_WORDS.search(clause):
            continue
        reader.used.add(index)
        in_months = quantity.unit is _Unit.MONTHS
        months = quantity.value if in_months else quantity.value * _MONTHS_PER_YEAR
        if not in_months and quantity.value != quantity.value.to_integral_value():
            reader.questions.append(
                Question(Problem.CONTRACT_LENGTH, reader.quote(quantity.start, quantity.end))
            )
            continue
        _length(reader, months, quantity.start, quantity.end, in_months)


def _free_numbers(reader: _Reader) -> list[int]:
    return [
        i
        for i, q in enumerate(reader.quantities)
        if i not in reader.used and q.unit in (_Unit.PLAIN, _Unit.MONEY, _Unit.YEARS, _Unit.MONTHS)
    ]


_EXPLAINED_GAP = _compile(
    r"^\s*(?:euro|eur|€|,-)?\s*(?:per|elke?|iedere?|voor\s+elke?|op\s+elke?)\s+"
    r"(?!jaar|maand|week|kwartaal|dag|uur|werkdag|keer)[^\W\d_]{3,}\s*,?\s*"
    r"(?:dus|=|oftewel|samen|in\s+totaal)\s+(?:die\s+|de\s+|het\s+|is\s+)?(?:€\s*)?$"
)


_RESULT_BEFORE = _compile(
    r"(?:\bdus|=|\boftewel|\bdat\s+is|\bin\s+totaal|\bsamen|\b(?:ik\s+)?reken\s+(?:ik\s+)?met|\bkomt\s+neer\s+op)"
    r"\s*(?:(?:op|met|ongeveer|zo'?n|dat|een)\s+)?(?:€\s*)?$"
)


def _read_stated_products(reader: _Reader) -> None:
    """ "2 ton extra omzet, daar houden ze 15% marge aan over, dus ik reken met 30.000": a result
    stated after two numbers of its sentence that multiply to it is what counts; those two are how
    it was reached, neither a fact nor unused."""
    quantities = reader.quantities
    for index, result in enumerate(quantities):
        if result.unit not in (_Unit.MONEY, _Unit.PLAIN) or not _RESULT_BEFORE.search(
            reader.text, 0, result.start
        ):
            continue
        sentence = _sentence_of(reader, index)
        if any(f.amount == result.value and f.terms and f.end <= result.start for f in reader.facts):
            reader.used.add(index)  # "12 keer 750 aan monsters, dus 9.000": the sum already made it
            continue
        terms = [
            i
            for i in range(index)
            if i not in reader.used
            and quantities[i].unit in (_Unit.MONEY, _Unit.PLAIN, _Unit.PEOPLE, _Unit.PERCENT)
            and _sentence_of(reader, i) == sentence
        ]
        for first, second in itertools.combinations(terms, 2):
            if _term(quantities[first]) * _term(quantities[second]) == result.value:
                reader.used.update((first, second))
                _result_fact(reader, index, (quantities[first], quantities[second]))
                break


def _result_fact(reader: _Reader, index: int, terms: tuple[_Quantity, ...]) -> None:
    """The stated result, with the period of its terms when it has none of its own ("250.000 per
    jaar ..., 40% daarvan, dus 100.000"), and the terms for the read-back."""
    result = reader.quantities[index]
    frequency = reader.frequency_for(result.start, result.end)
    for term in terms:
        frequency = frequency or reader.frequency_for(term.start, term.end)
    role = _role_of_money(reader, result.start, result.end, frequency)
    if role is None:
        return
    reader.used.add(index)
    percent = [t for t in terms if t.unit is _Unit.PERCENT]
    if percent:
        base = next(t for t in terms if t is not percent[0])
        extra: dict[str, object] = {"terms": (percent[0].value, base.value), "operator": "%"}
    else:
        extra = {"terms": tuple(t.value for t in terms)}
    _fact(reader, role, result.value, result.start, result.end, frequency_match=frequency, **extra)


def _term(quantity: _Quantity) -> Decimal:
    return quantity.value / _HUNDRED if quantity.unit is _Unit.PERCENT else quantity.value


def _read_explained_results(reader: _Reader) -> None:
    """ "het is 800 per vestiging, dus 1.600 per maand": the amount per item explains the result
    that follows it; the result is read, the rate is neither a fact nor unused."""
    quantities = reader.quantities
    for index in range(len(quantities) - 1):
        rate, result = quantities[index], quantities[index + 1]
        if index in reader.used or rate.unit not in (_Unit.MONEY, _Unit.PLAIN):
            continue
        if _EXPLAINED_GAP.match(reader.text[rate.end : result.start]):
            reader.used.add(index)


def _read_money(reader: _Reader) -> None:
    money = [q for i, q in enumerate(reader.quantities) if i not in reader.used and q.unit is _Unit.MONEY]
    for index, quantity in enumerate(reader.quantities):
        if index in reader.used or quantity.unit not in (_Unit.MONEY, _Unit.PLAIN):
            continue
        frequency = reader.frequency_for(quantity.start, quantity.end, claim=False)
        if (
            quantity.unit is _Unit.PLAIN
            and quantity.value < _SMALL
            and frequency is None
            and (money or reader.facts)
        ):
            continue  # "twee dingen: ...", "voor alle drie": a count beside real amounts
        role = _role_of_money(reader, quantity.start, quantity.end, frequency)
        if role is None:
            continue
        if frequency is not None:
            reader.frequency_for(quantity.start, quantity.end)
        reader.used.add(index)
        if (
            frequency is not None
            and frequency.factor != _ONE
            and not _result_matches(reader, quantity, frequency)
        ):
            continue
        _fact(reader, role, quantity.value, quantity.start, quantity.end, frequency_match=frequency)


def _result_matches(reader: _Reader, quantity: _Quantity, frequency: FrequencyMatch) -> bool:
    """ "8 keer per jaar een storing van 4.500, dus 36.000": a stated result of the count is
    taken as said when it matches, and asked about when it does not."""
    result_index = _stated_result(reader, quantity.end)
    if result_index is None:
        return True
    result = reader.quantities[result_index]
    reader.used.add(result_index)
    if result.value == quantity.value * frequency.factor:
        return True
    start = min(quantity.start, frequency.start)
    reader.questions.append(
        Question(
            Problem.ARITHMETIC,
            reader.quote(start, result.end),
            (frequency.factor, quantity.value, result.value),
        )
    )
    return False


_OR_GAP = _compile(r"^\s*(?:of|en/of|/)\s*$")
_DAILY = _compile(r"\bdag\b|\bdagelijks|\bwerkdag")


def _read_unclear_periods(reader: _Reader) -> None:
    """ "per jaar of per maand" and "per dag" (five or seven days a week?) are asked about."""
    unclear: set[int] = set()
    frequencies = reader.frequencies
    for index in range(len(frequencies) - 1):
        first, second = frequencies[index], frequencies[index + 1]
        if _OR_GAP.match(reader.text[first.end : second.start]):
            unclear.update((index, index + 1))
    or_periods = set(unclear)
    summed = [  # "40 euro per dag x 220 werkdagen = 8.800 per jaar": the days are terms of the result
        (0 if _restated(reader, s) else reader.quantities[s.first].start, reader.quantities[s.result].start)
        for s in _sums(reader.text, reader.quantities)
        if s.result is not None
    ]
    unclear.update(
        i
        for i, item in enumerate(frequencies)
        if _DAILY.search(reader.text[item.start : item.end])
        and not any(start <= item.start < end for start, end in summed)
    )
    for index in sorted(unclear):
        item = frequencies[index]
        reader.used_frequencies.add(index)
        near = [
            i
            for i, q in enumerate(reader.quantities)
            if i not in reader.used and q.unit in (_Unit.MONEY, _Unit.PLAIN, _Unit.HOURS)
        ]
        if not near:
            continue
        closest = min(
            near,
            key=lambda i: min(
                abs(reader.quantities[i].end - item.start), abs(item.end - reader.quantities[i].start)
            ),
        )
        quantity = reader.quantities[closest]
        reader.used.add(closest)
        clause = _clause_span(reader.text, quantity.start, quantity.end)
        related = [
            i
            for i, q in enumerate(reader.quantities)
            if i not in reader.used
            and q.unit in (_Unit.PEOPLE, _Unit.MONEY, _Unit.PLAIN, _Unit.FTE)
            and clause[0] <= q.start < clause[1]
        ]
        reader.used.update(related)  # the rest of the same sum waits for the answer too
        start, end = min(quantity.start, item.start), max(quantity.end, item.end)
        daily = _DAILY.search(reader.text[item.start : item.end]) and index not in or_periods
        if quantity.unit is _Unit.HOURS:  # "45 minuten per dag": hours, no amount to wait with
            reader.questions.append(
                Question(Problem.DAYS if daily else Problem.FREQUENCY, reader.quote(start, end))
            )
        else:
            problem = Problem.DAYS if daily else Problem.FREQUENCY
            reader.questions.append(Question(problem, reader.quote(start, end), (quantity.value,)))


_PERIOD_FIX = _compile(
    r"\b(?:nee|sorry|wacht|oeps|ik\s+bedoel(?:de)?)\W+(?:\w+\W+){0,2}?(per\s+(?:week|maand|kwartaal|jaar))\W*$"
)


def _period_corrected(text: str, facts: list[Fact]) -> list[Fact]:
    """ "2.300 per maand... nee sorry, per kwartaal": a period said again at the end replaces the
    period of the one amount with a period, when nothing but that period follows the correction."""
    fix = _PERIOD_FIX.search(text)
    periodic = [f for f in facts if f.frequency not in (None, Frequency.ONE_OFF) and f.frequency_stated]
    if fix is None or len(periodic) != 1 or periodic[0].end > fix.start() or periodic[0].terms:
        return facts
    frequency = next(item.frequency for item in find_frequencies(fix.group(1)))
    fact = periodic[0]
    return [replace(fact, frequency=frequency) if f is fact else f for f in facts]


_UNKNOWN = _compile(r"\bweet\w*\b|\bbekend\b|\bzeker\b|\bduidelijk\b|\bidee\b|\bbesloten\b|\brond\b")


_UNKNOWN_REACH = 12  # characters after the match: "... nog niet bekend"


def _zero_said(pattern: re.Pattern[str], text: str) -> bool:
    """A part said to be nothing ("geen eenmalig deel"), not one said to be unknown ("het eenmalige
    bedrag is nog niet bekend", "weet ik nog niet")."""
    return any(
        not _UNKNOWN.search(text, match.start(), match.end() + _UNKNOWN_REACH)
        for match in pattern.finditer(text)
    )


_IN_THOUSANDS = _compile(
    r"\b(?:(?:alle\s+|de\s+)?(?:bedragen|getallen|cijfers|alles|prijzen)\s+(?:zijn\s+|staan\s+|schrijf\s+ik\s+)?|ik\s+schrijf\s+alles\s+)"
    r"in\s+(?:duizenden|duizendtallen|k|duizend\s+euro)\b|\b(?:bedragen\s+)?in\s+duizenden\b"
)


_PERIOD_ADJECTIVE = _compile(
    r"(?:dagelijkse|wekelijkse|maandelijkse|jaarlijkse|driemaandelijkse)\s+[^\W\d_]{3,}"
)


_TOTAL_BEFORE = _compile(
    r"\b(?:totaal|in\s+totaal|samen|opgeteld|bij\s+elkaar|alles\s+bij\s+elkaar)\W*(?:is\s+)?(?:€\s*)?$"
)


def _without_totals(reader: _Reader, facts: list[Fact]) -> list[Fact]:
    """ "energie 450 per maand, onderhoud 1.200 per kwartaal. Totaal: 10.200 per jaar": a total
    after two or more lines of its kind is no line of its own; it is named as not used."""
    kept: list[Fact] = []
    for fact in facts:
        others = [f for f in facts if f is not fact and f.role is fact.role and f.start < fact.start]
        if len(others) >= 2 and _TOTAL_BEFORE.search(reader.text, 0, fact.start):
            reader.unused.append(Unused(fact.amount, reader.quote(fact.start, fact.end)))
            continue
        kept.append(fact)
    return kept


def interpret(text: str, asked: Role | None = None) -> Interpretation:
    """Read every fact in ``text``; ``asked`` is the role of the question that is open."""
    if not isinstance(text, str) or not text.strip():
        return Interpretation(text="")
    normalised, corrections = normalise(text)
    frequencies = [
        f for f in find_frequencies(normalised) if not _INSTEAD_BEFORE.search(normalised, 0, f.start)
    ]
    if len(frequencies) > 1:  # "2.100 per maand voor de dagelijkse schoonmaak": the service, not the period
        first = frequencies[0]
        frequencies = [
            f for f in frequencies if f is first or not _PERIOD_ADJECTIVE.match(normalised, f.start)
        ]
    thousands = _IN_THOUSANDS.search(normalised)
    if thousands:  # "alle bedragen in duizenden": the plain amounts are thousands
        normalised = (
            normalised[: thousands.start()] + " " * len(thousands.group()) + normalised[thousands.end() :]
        )
    quantities = _quantities(normalised, frequencies)
    if thousands:
        quantities = [
            replace(q, value=q.value * 1000) if q.unit in (_Unit.MONEY, _Unit.PLAIN) and q.value < 1000 else q
            for q in quantities
        ]
    reader = _Reader(normalised, asked, frequencies, quantities)
    _read_unclear_periods(reader)
    for match in _MALFORMED.finditer(normalised):
        problem = Problem.CONTRACT_LENGTH if asked is Role.CONTRACT_YEARS else Problem.VAGUE
        reader.questions.append(Question(problem, match.group()))
        reader.used.update(
            i for i, q in enumerate(reader.quantities) if q.start < match.end() and match.start() < q.end
        )
    _read_vague(reader)
    _read_shares(reader)
    _read_percentages(reader)
    _read_sums(reader)
    _read_stated_products(reader)
    _read_products(reader)
    _read_per_item(reader)
    _read_lengths(reader)
    _read_explained_results(reader)
    _read_money(reader)
    facts = _without_totals(
        reader, _period_corrected(normalised, sorted(reader.facts, key=lambda fact: fact.start))
    )
    unused = tuple(
        Unused(q.value, reader.quote(q.start, q.end))
        for i, q in enumerate(reader.quantities)
        if i not in reader.used and q.unit is not _Unit.IGNORED
    ) + tuple(reader.unused)
    zero: list[Role] = []
    if _zero_said(_NO_ONE_OFF, normalised) and not reader.facts_of(Role.PRICE_ONE_OFF):
        zero.append(Role.PRICE_ONE_OFF)
    if _zero_said(_NO_RECURRING, normalised) and not reader.facts_of(Role.PRICE_RECURRING):
        zero.append(Role.PRICE_RECURRING)
    lengths = [f for f in facts if f.role is Role.CONTRACT_YEARS]
    other_length = any(q.problem is Problem.CONTRACT_LENGTH for q in reader.questions)
    if len({f.amount for f in lengths}) > 1 or (lengths and other_length):
        # "twee jaar denk ik, misschien drie", "drie jaar of 18 maanden": which one?
        facts = [f for f in facts if f.role is not Role.CONTRACT_YEARS]
        quote = reader.quote(lengths[0].start, lengths[-1].end)
        reader.questions.append(Question(Problem.CONTRACT_LENGTH, quote, tuple(f.amount for f in lengths)))
    return Interpretation(
        text=normalised,
        facts=tuple(facts),
        questions=tuple(reader.questions),
        unused=unused,
        corrections=corrections,
        zero_parts=tuple(zero),
    )
