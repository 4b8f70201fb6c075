"""Which earlier answer a correction is about: a line by position or description, or the last answer.

* ``is_correction``: "nee, dat was …", "wacht", "ik bedoelde", "klopt niet", "niet X maar Y";
* ``find_line``: "de tweede regel", "regel 2", "de laatste", "die van de schoonmaak", or an
  implicit description followed by a copula ("de energiebesparing is eigenlijk 1.100") when
  its words match exactly one line; ``UNCLEAR`` when a line is named that does not exist or
  several lines match;
* ``line_segments``: "regel 1 is 12.000 en regel 2 is 1.800 per maand" split per line;
* ``corrected_frequency``: the frequency a text asks for ("per kwartaal, niet per maand").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from os.path import commonprefix

from bot.amounts import parse_amount
from bot.text import without_asides
from bot.value_lines import find_frequencies
from bot.value_model import Frequency, ValueLine

__all__ = [
    "UNCLEAR",
    "LinePointer",
    "corrected_frequency",
    "described_line",
    "find_line",
    "is_correction",
    "line_segments",
    "names_new_lines",
    "names_words",
    "pointer_start",
]

UNCLEAR = -1
_SHARED_PART = 5
_TYPO_LENGTH = 8  # letters: shorter words differ too much by one letter
_TYPO_RATIO = 0.9
_STEM_SHARE = 0.8  # "besparing" ~ "besparingen", not "parkeerboetes" ~ "parkeeromzet"


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_CORRECTION = _compile(
    r"^\W*(?:(?:oh|o|ah|eh|ehm|uhm|hm+|ho|oja|o\s+ja|huh|wait|ai|au|oei|shit|verdorie|jeetje|ok[eé]?)\W+)?"
    r"(?:nee|neen|nope|fout|oeps|oops|wacht|wait|sorry|pardon|correctie|excuus|verkeerd)\b"
    r"|\bniet\s+per\s+(?:maand|jaar|week|kwartaal|dag)\b|\b(?:had|heb)\s+ik\s+\S+\s+(?:gezegd|genoemd|opgegeven)"
    r"|\bpas\s+(?:\w+\s+){0,4}aan\b|\baanpass\w*|\bwijzig\w*|\bverander\w*|\b(?:mag|mogen|moet|moeten|kan|kunnen|gaat|gaan)\s+naar\b"
    r"|\bzit(?:ten)?\s+eerder\s+op\b|,\s*sorry\W*$"
    r"|\bandersom\b|\bomgekeerd\b|\bmaak\s+er\s+.*\svan\b|\bbij\s+nader\s+inzien\b|\bachteraf\s+gezien\b"
    r"|\bik\s+bedoel(?:de)?\b|\bbedoel(?:de)?\s+ik\b|\bmoet(?:en)?\s+(?:\S+\s+){0,5}(?:zijn|worden|wezen|staan)\b|\bhad\s+moeten\s+zijn\b|\bwas\s+(?:geen|niet)\b"
    r"|\bniet\s+\S+\s+maar\b|\bverbeter\w*|\bcorrigeer\w*|\bklopt(?:e|en)?\s+niet\b|\b(?:is|was)\s+(?:fout|verkeerd|onjuist|niet\s+goed)\b|\bgeworden\b|\b(?:moet|wil)\s+ik\s+(?:\S+\s+){0,4}van\s+maken\b|\b(?:wordt|is|zit)\s+eerder\b|\bmaak\s+(?:daar|het|dat)\s+.*\svan\b|\b(?:neem|gebruik|pak)\s+(?:die|dat|deze|dit)\b|\breken\s+(?:maar\s+)?met\s+(?:die|dat|deze)\b|\beigenlijk\b|\bfout\s+gemaakt\b"
    r"|\btoch\s+(?:maar\s+)?(?:geen|niet)\b|\btoch\s+(?:maar|gewoon|liever)\b|\b(?:doe|doen)\s+(?:\w+\s+){0,2}opnieuw\b|\bvergist\b|\bt[iy]pfout\b|\btypo\b|\bfoutje\b|\bmoest\s+(?:\S+\s+){0,3}zijn\b|,\s*niet\s+(?:€\s*)?[0-9]|,\s*(?:niet|geen)\s+per\s"
)
_ORDINALS = {
    "eerste": 1,
    "eerst": 1,  # a typo of "eerste" before "regel"
    "1e": 1,
    "bovenste": 1,
    "tweede": 2,
    "2de": 2,
    "3de": 3,
    "1ste": 1,
    "2e": 2,
    "derde": 3,
    "3e": 3,
    "vierde": 4,
    "4e": 4,
    "vijfde": 5,
    "5e": 5,
}
_NUMBER_WORDS = {"een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5}
# What may follow "de eerste" when it names a line: a line word, or a word that goes on about it
_AFTER_A_POINTER = (
    r"(?:regel|waarde\w*|lijn|bedrag|post|besparing|punt|item|getal|cijfer|van|over|met|voor|bij|die|dat|daar\w*"
    r"|is|was|zijn|waren|moet|moest|wordt|werd|klopt|kan|mag|heb|had|hoort|stond|staat|zit|zat|bedr\w+|ook|nog"
    r"|toch|dus|eigenlijk|in|op|niet|graag|maar|en|of|naar|wil|gaat|ging|aan\w*|veranderen|wijzigen|hoger|lager"
    r"|kost|kostte|levert|scheelt|gewoon|zeker|echt|net|al|ik|we|wij|ze|hij|je|even|klopte"
    r"|doe|doen|pas|pak|neem|haal|schrap|gooi|zet|maak|verander|corrigeer|verbeter|bedoel\w*|zeg|zei|noem\w*)\b"
)
_POINTER = _compile(
    r"\b(?:regel|waarderegel|lijn|punt|nummer|nr\.?|post)\s*(?:nummer\s*|nr\.?\s*)?([1-9]|een|één|twee|drie|vier|vijf)\b"
    r"|\b(?:(?:de|die|het)\s+)?(?<!\been\s)(?<!\béén\s)(eerst(?=\s+regel)|eerste|tweede|derde|vierde|vijfde|laatste|bovenste|onderste|middelste|1e|2e|3e|4e|5e|1ste|2de|3de)"
    r"(?=\s+(?:regel|waarde|lijn|bedrag|post|was|is|klopt|moet|wordt|gaat)\b|\s*$)"
    r"|\b(?:de|die|het)\s+(eerste|tweede|derde|vierde|vijfde|laatste|bovenste|onderste|middelste|1e|2e|3e|4e|5e|1ste|2de|3de)\b"
    r"(?!\s+(?!" + _AFTER_A_POINTER + r")[^\W\d_]{2,})"  # not "de eerste grote reiniging", "het eerste jaar"
    r"|(?:^|[,;]\s*)(eerste|tweede|derde|vierde|vijfde|laatste|1e|2e|3e|4e|5e)(?=\s+[0-9])"
)
_DESCRIBED = _compile(
    r"^\W*(?:(?:nee|wacht|en|o|oh|ja|sorry|trouwens|oeps|ok|oke|ik\s+bedoel(?:de)?)\W+){0,3}"
    r"(?:(?:die|degene|de|het|regel)\s+(?:(?:regel|post|waarde|besparing|bedrag|lijn)\s+)?(?:van|over|met|voor|bij)"
    r"|over|qua|wat\s+betreft)\s+"  # "over de invallers: dat is 1.500 geworden"
    r"(?:de\s+|het\s+|die\s+|onze\s+)?([^\W\d_]{3,}(?:\s+[^\W\d_]{3,})?(?:\s+(?:[a-z]|[0-9]{1,2})(?![\w.,]?[0-9])\b)?)"
)
_BY_AMOUNT = _compile(
    r"\b(?:die|de\s+regel|regel|de\s+waarde)\s+van\s+((?:€\s*)?[0-9][0-9.,]*\s*(?:k|euro)?)"
    # "die 12.000 is 15.000": the line named by its amount
    r"|^\W*(?:(?:nee|oh|o|en|sorry)\W+)?die\s+((?:€\s*)?[0-9][0-9.,]*\s*(?:k|euro)?)\s+(?=(?:is|was|moet|wordt)\b)"
)
_COPULA = _compile(
    r"\b(?:is|zijn|was|waren|moet|wordt|worden|bedraagt|levert|scheelt|zit|zitten|zat|zaten|ligt|liggen|lag|lagen"
    r"|kost|kosten|kostte|kostten)\b|:"
)
_STOPWORDS = frozenset(
    """
    de het een die dat deze dit van voor met over bij naar door per en of maar niet geen ook nog wel
    is zijn was waren moet moeten wordt worden bedraagt eigenlijk toch trouwens maar nee wacht sorry
    regel regels lijn waarde bedrag euro jaar maand week kwartaal keer eenmalig eenmalige klopt fout
    zijn hun ons onze zij ze klant klanten minder meer extra echt gewoon dus daar hier bedoel bedoelde
    bedoelt denk dacht volgens zeker mijn welke want omdat ongeveer zo'n circa eenmalige kosten kost
    prijs jaarlijkse maandelijkse totaal bedragen zit zitten zat zaten ligt liggen lag lagen eerder mag
    nope neuh nah jep yes ok oke oké okay sorry oeps hmm pardon excuses ja
    wat hoe wie zou kan mag zal uit tot dan nou ben hem had heb zei dag jij jou men wij aan ene hij hen mij
    iets alle elk elke toe net pas gaan gaat doe doen vond vindt zegt
    """.split()
)
_WORD = re.compile(r"[^\W\d_]{3,}")  # "die van het gas"
_LABELLED = re.compile(r"\b([^\W\d_]{3,})\s+([A-Z]|[0-9]{1,2})(?![\w.,]?[0-9])\b")
_GENERIC_TAIL = re.compile(
    r"(?:kosten|besparing|uitgaven|post|regel|(?<![aeiout])uren|tijd|waarde)$"
)  # not "retouren"
_SHORT_MESSAGE = 6  # words: "en de wachttijd 30k per jaar" restates a line; a longer message is a new line


@dataclass(frozen=True)
class LinePointer:
    """A line named in a text: its index (or ``UNCLEAR``) and where the naming starts."""

    index: int
    start: int


def is_correction(text: str) -> bool:
    """True when the text corrects an earlier answer."""
    return bool(_CORRECTION.search(text))


def _number(word: str, count: int) -> int:
    """The line number a pointer word names (1-based; 0 when it names none)."""
    word = word.lower()
    if word in ("laatste", "onderste"):
        return count
    if word == "middelste":
        return (count + 1) // 2 if count % 2 else 0
    if word.isdigit():
        return int(word)
    return _ORDINALS.get(word) or _NUMBER_WORDS.get(word, 0)


def _index(word: str, count: int) -> int:
    number = _number(word, count)
    return number - 1 if 1 <= number <= count else UNCLEAR


def pointer_start(text: str, lines: tuple[ValueLine, ...]) -> int:
    """Where the first line named by position starts ("... : de tweede waarde is ..."); 0 when none."""
    pointers = _pointers(text, lines)
    return pointers[0].start if pointers else 0


def names_new_lines(text: str, lines: tuple[ValueLine, ...]) -> bool:
    """True when the text numbers the lines that come next ("post 2: ..." after one line,
    "punt een ..., punt twee ..." before any): new lines, not a correction."""
    pointers = list(_POINTER.finditer(text))
    if any(_CORRECTED_AFTER.match(text, match.end()) for match in pointers):
        return False  # "regel 4 is 2.000" with three lines: which one?
    numbers = [_number(next(g for g in match.groups() if g), len(lines)) for match in pointers]
    return bool(numbers) and numbers == list(range(len(lines) + 1, len(lines) + 1 + len(numbers)))


_CORRECTED_AFTER = _compile(
    r"\s+(?:(?:regel|post|lijn|waarde|punt)\s+)?(?:is|was|moet|wordt|klopt|bedraagt)\b"
)


def _pointers(text: str, lines: tuple[ValueLine, ...]) -> list[LinePointer]:
    return [
        LinePointer(_index(next(g for g in match.groups() if g), len(lines)), match.start())
        for match in _POINTER.finditer(text)
    ]


def _content_words(text: str) -> set[str]:
    """Words that can name a line, without generic tails ("inwerkkosten" -> "inwerk")."""
    words = {  # "gebouw B", "hal 2"
        f"{noun.lower()} {label.lower()}"
        for noun, label in _LABELLED.findall(text)
        if noun.lower() not in _STOPWORDS
    }
    for word in _WORD.findall(text):
        lower = word.lower()
        if lower in _STOPWORDS or parse_amount(lower) is not None:  # "tweeduizend" names no line
            continue
        stem = _GENERIC_TAIL.sub("", lower)
        words.add(stem if len(stem) >= 3 else lower)
    return words


def _matches(word: str, other: str) -> bool:
    """The same word, one inside the other ("verzuim" ~ "ziekteverzuim"), or nearly the same stem.

    Two compounds that only share their first part ("parkeerboetes", "parkeeromzet") differ.
    """
    if word == other:
        return True
    if " " in word or " " in other:  # labels ("gebouw a", "gebouw b") match only exactly
        return False
    shorter, longer = sorted((word, other), key=len)
    if len(shorter) >= _SHARED_PART and shorter in longer:
        return True
    if len(shorter) >= 3 and longer.startswith(shorter) and len(longer) - len(shorter) >= 4:
        return True  # "bus" ~ "busvervoer", "gas" ~ "gasverbruik": a short word as the first part
    if len(shorter) >= _TYPO_LENGTH and SequenceMatcher(None, word, other).ratio() >= _TYPO_RATIO:
        return True  # "verzekringspremie" ~ "verzekeringspremie"
    common = len(commonprefix((word, other)))
    stem = (
        _PLURAL.sub("", shorter) if len(shorter) > _SHARED_PART + 1 else shorter
    )  # "retouren" ~ "retour..."
    return common >= _SHARED_PART and common >= _STEM_SHARE * len(stem)


_PLURAL = re.compile(r"(?:en|es|s)$")


def _described(words: set[str], lines: tuple[ValueLine, ...]) -> list[int]:
    scores = [
        sum(any(_matches(word, other) for other in _content_words(line.description)) for word in words)
        for line in lines
    ]
    best = max(scores, default=0)
    return [i for i, score in enumerate(scores) if score == best] if best else []


def find_line(text: str, lines: tuple[ValueLine, ...], implicit: bool = True) -> int | None:
    """The index of the one line that ``text`` names; None when it names none; ``UNCLEAR``.

    ``implicit``: a line may also be named by its words before "is"/"moet" without any
    correction word ("de energiebesparing is eigenlijk 1.100"); off at the price questions,
    where such a sentence is more likely about the price.
    """
    if not lines:
        return None
    text = without_asides(text)  # "de verzekering (polisnummer 2031877) is 2.300 per jaar"
    pointers = _pointers(text, lines)
    if pointers:
        return pointers[0].index
    by_amount = _BY_AMOUNT.search(text)
    if by_amount:  # "die van 6.000 is eigenlijk 7.000"
        named = parse_amount(by_amount.group(1) or by_amount.group(2))
        hits = [i for i, line in enumerate(lines) if line.amount == named]
        if not hits and by_amount.group(2):
            return None  # "die 3.000 was fout, wordt 3.500": no line has it (a price part, perhaps)
        return hits[0] if len(hits) == 1 else UNCLEAR
    described = _DESCRIBED.search(text)
    if described:
        hits = _described(_content_words(described.group(1)), lines)
        if not hits and not implicit:
            return None  # "het bedrag voor ons onderhoud is ...", at a price question: no line
        return hits[0] if len(hits) == 1 else UNCLEAR
    words = _content_words(text)
    if is_correction(text) and words:
        hits = _described(words, lines)
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1 and _COPULA.search(text):  # "die licenties moeten 5.000 zijn", two licence lines
            return UNCLEAR
    if not implicit:
        return None
    only = _described_by_all(words, lines) if len(text.split()) <= _SHORT_MESSAGE else None
    if only is not None:
        return only  # "schoonmaak 11k": nothing but a line's own words and an amount
    first_digit = re.search(r"[0-9]", text)
    copulas = [m for m in _COPULA.finditer(text) if first_digit is None or m.start() < first_digit.start()]
    if not copulas:
        return None
    # the words between the copula before the amount and the one before it ("even dit: die huur is ...")
    start = copulas[-2].end() if len(copulas) > 1 else 0
    hits = _described(_content_words(text[start : copulas[-1].start()]), lines)
    if len(hits) > 1:
        return UNCLEAR
    return hits[0] if hits else None


def _described_by_all(words: set[str], lines: tuple[ValueLine, ...]) -> int | None:
    """The one line whose description covers every content word of the text."""
    if not words:
        return None
    hits = [
        i
        for i, line in enumerate(lines)
        if all(any(_matches(word, other) for other in _content_words(line.description)) for word in words)
    ]
    return hits[0] if len(hits) == 1 else None


def names_words(text: str) -> bool:
    """True when the text holds words that could describe a line ("die retouren zitten op ...")."""
    return bool(_content_words(text))


def described_line(text: str, lines: tuple[ValueLine, ...]) -> int | None:
    """The one line whose description the words of ``text`` match ("die van de productiehal")."""
    hits = _described(_content_words(text), lines)
    return hits[0] if len(hits) == 1 else None


_SENTENCE = re.compile(r"(?<=[.;!?])\s+")


def line_segments(text: str, lines: tuple[ValueLine, ...]) -> list[tuple[int, str]]:
    """(line index, its part of the text) for a text that names several lines by position."""
    pointers = _pointers(text, lines)
    if len(pointers) < 2:
        return []
    bounds = [p.start for p in pointers] + [len(text)]
    return [(p.index, text[bounds[i] : bounds[i + 1]]) for i, p in enumerate(pointers)]


def described_segments(text: str, lines: tuple[ValueLine, ...]) -> list[tuple[int, str]]:
    """(line index, sentence) for a text that names each line in a sentence of its own by its
    words ("Van de reparaties is hij zeker, 90%. Die huurkorting vindt hij lastiger")."""
    sentences = [part for part in _SENTENCE.split(text) if part.strip()]
    if len(sentences) < 2:
        return []
    described = [(described_line(part, lines), part) for part in sentences]
    return [(index, part) for index, part in described if index is not None]


def corrected_frequency(text: str) -> Frequency | None:
    """The frequency asked for (negated phrases such as "niet per maand" are skipped)."""
    found = [item for item in find_frequencies(text) if item.factor == 1]
    return found[0].frequency if found else None
