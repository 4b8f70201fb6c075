"""Is a simplicity promise (versimpelingsbelofte) concrete, or vague?

A promise is *vague* when it only uses words such as "klantgericht", "optimaal",
"excellent", "ontzorgen", "kwaliteit", "service", "de beste", "flexibel" or "proactief":
the client cannot check it. A *concrete* promise names what the client will see happen,
with a number or a moment: "opzeggen kan met één klik, zonder belletje", "elke klacht heeft
binnen 4 werkuren een eigenaar".

:func:`check_promise` looks for four things (case-insensitive, accents as typed):

* **buzzwords** (:data:`BUZZWORDS`): evaluative marketing words; they are reported so the
  coach can name them;
* a **measure** (:data:`MEASURES`): any digit ("3 stappen", "95%", "24/7"), "één" (with
  accents: the numeral, not the article "een"), a number word ("twee", "twintig"),
  "half"/"kwartier", "nul", "geen enkele";
* a **moment** (:data:`MOMENTS`): "binnen 4 werkuren", "binnen een week", "dezelfde dag",
  "de volgende werkdag", "elke maandag", "per maand", "voor 17.00 uur", "om 9 uur",
  "zodra", "op het moment dat", "na uw melding", a weekday, "vandaag"/"morgen", or anything
  :func:`bot.moments.is_concrete_moment` accepts (dates, clock times). "Elke dag",
  "dagelijks", "altijd" and "direct" are deliberately no moment: they say "always";
* a **behaviour** (:data:`BEHAVIOURS`): a customer-visible action, e.g. opzeggen, bestellen,
  (terug)bellen, melden, betalen, inloggen, kiezen, vinden, aanvragen, wijzigen, ontvangen,
  krijgen, "heeft een eigenaar", oplossen/"lossen ... op", leveren, antwoorden, sturen.

Every other word is either an empty word (:data:`EMPTY_WORDS`: function words, vague verbs
such as "bieden" or "zorgen", generic nouns such as "klant", "oplossing" or "niveau", and
time words such as "uur") or *other content* ("klacht", "factuur", "monteur").

The verdict, in this order:

1. no letter or digit at all: vague, :attr:`PromiseProblem.EMPTY`;
2. buzzwords, but no behaviour and no other content: vague,
   :attr:`PromiseProblem.BUZZWORDS_ONLY`, however long, and even with a number or a moment
   ("100% kwaliteit", "elke maandag optimale service");
3. no behaviour, no measure and no moment: vague,
   :attr:`PromiseProblem.NO_BEHAVIOUR_MEASURE_OR_MOMENT`;
4. otherwise concrete: a behaviour, a measure or a moment, and more than buzzwords
   ("elke schoonmaker ziet de wensen per ruimte in de app" names a behaviour; the coach's
   follow-up questions then ask for the measure).

This is a transparent word-list check, not language understanding: a negation or an
impossible number is not noticed, and a generic verb with a buzzword object ("u krijgt elke
maandag topservice") counts as a behaviour.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass

from bot.moments import is_concrete_moment

__all__ = [
    "BEHAVIOURS",
    "BUZZWORDS",
    "EMPTY_WORDS",
    "MEASURES",
    "MOMENTS",
    "PromiseCheck",
    "PromiseProblem",
    "check_promise",
]

# Regex fragments; each is matched as whole words (not inside a longer word), ignoring case.
BUZZWORDS: tuple[str, ...] = (
    r"klantgericht(?:e|er|heid)?",
    r"klantvriendelijk(?:e|er|heid)?",
    r"klantgedreven|klantfocus|klantbeleving|klantervaring|klanttevredenheid|tevredenheid",
    r"optima(?:al|le|ler|liseren|lisatie)",
    r"excellen(?:t|te|tie)",
    r"ontzorg\w*",
    r"hoge\s+kwaliteit|(?:top)?kwaliteit(?:en)?|kwalitatie(?:f|ve)|kwaliteitsgericht(?:e)?|hoogwaardig(?:e)?",
    r"(?:top|super|klanten)?service(?:gericht(?:e|heid)?|verlening|niveau)?",
    r"(?:de|het)\s+(?:aller)?beste|(?:aller)?beste",
    r"flexib(?:el|ele|eler|iliteit)",
    r"proactie(?:f|ve)",
    r"betrouwba(?:ar|re|arheid)",
    r"uitsteken(?:d|de)|uitmuntend(?:e)?|eersteklas|topklasse|ongeëvenaard(?:e)?",
    r"perfect(?:e)?|geweldig(?:e)?|fantastisch(?:e)?",
    r"maatwerk|op\s+maat",
    r"oplossingsgericht(?:e)?",
    r"transparan(?:t|te|tie)",
    r"innovatie(?:f|ve)",
    r"uniek(?:e)?|ultiem(?:e)?",
    r"zorgelo(?:os|ze)|zorgvuldig(?:e|heid)?|zonder\s+zorgen",
    r"snel(?:le|ler|heid)?|vlot(?:te)?",
    r"eenvoudig(?:e|er)?|simpel(?:e|er)?|(?:ge)?makkelijk(?:e|er)?|gemak",
    r"naadlo(?:os|ze)",
    r"persoonlijk(?:e)?",
    r"professione(?:el|le)|deskundig(?:e|heid)?|toegewijd(?:e)?|betrokken(?:heid)?",
    r"effici[eë]n(?:t|te|tie)|effectie(?:f|ve)",
    r"premium|state[\s-]of[\s-]the[\s-]art|best[\s-]in[\s-]class|world[\s-]class",
    r"one[\s-]stop[\s-]shop|no[\s-]nonsense",
    r"partner(?:schap)?|totaaloplossing(?:en)?|meedenk(?:en|end|ende)",
    r"marktleider|toonaangevend(?:e)?",
)

MEASURES: tuple[str, ...] = (
    r"\d+(?:[.,:/]\d+)*\s*(?:%|procent)?",
    r"één|eén|ééntje",
    r"twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf",
    r"(?:der|veer|vijf|zes|zeven|acht|negen)tien",
    r"(?:(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)[eë]n)?"
    r"(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig)",
    r"honderd|duizend",
    r"half|halve|anderhalf|anderhalve|kwartier",
    r"nul|geen\s+enkele?",
    r"procent",
)

_UNIT = (
    r"(?:seconde|seconden|minuut|minuten|kwartier|uur|uren|werkuur|werkuren|dag|dagen|werkdag|werkdagen"
    r"|week|weken|werkweek|maand|maanden|jaar)"
)
_WEEKDAY = r"(?:maan|dins|woens|donder|vrij|zater|zon)dag(?:ochtend|middag|avond|en)?"

MOMENTS: tuple[str, ...] = (
    rf"binnen\s+(?:\S+\s+){{0,2}}?{_UNIT}",
    rf"(?:in|na)\s+(?:\S+\s+)?{_UNIT}",
    rf"\d+\s*{_UNIT}",
    r"(?:nog\s+)?(?:dezelfde|diezelfde)\s+(?:werk)?(?:dag|ochtend|middag|avond|week|maand)",
    r"(?:de\s+)?(?:eerst)?volgende\s+(?:werk)?dag",
    rf"(?:elke|iedere|ieder|elk)\s+(?:ochtend|middag|avond|week|maand|kwartaal|jaar|{_WEEKDAY})",
    r"(?:elke|iedere|ieder|elk)\s+(?:eerste|tweede|derde|laatste)\s+(?:werk)?(?:dag|week)\s+van\s+de\s+(?:maand|week|kwartaal)",
    r"wekelijks|maandelijks|jaarlijks|per\s+(?:week|maand|kwartaal|jaar)",
    _WEEKDAY,
    r"(?:over)?morgen|vandaag|vanavond|vanmiddag|vanochtend",
    r"\d{1,2}[.:]\d{2}(?:\s*uur)?|\d{1,2}\s*(?:uur|u)",
    r"zodra|op\s+het\s+moment\s+dat|(?:direct|meteen|onmiddellijk)\s+(?:na|bij|zodra)",
    r"na\s+(?:ontvangst|(?:elke|iedere|uw|de|het|je)\s+\w+)|uiterlijk|voordat|vóórdat",
)

# Verbs too general to check on their own ("wij leveren kwaliteit", "wij reageren snel",
# "u krijgt topservice") are deliberately not listed: such a promise needs a measure or moment.
BEHAVIOURS: tuple[str, ...] = (
    r"op(?:ge)?zeg\w*|zeg(?:t|gen)?\s+(?:\S+\s+){0,4}?op",
    r"bestel\w*",
    r"(?:terug|op|door|na)?(?:bel|belt|bellen|belde|belden|belletje)|(?:terug)?gebeld|teruggebeld",
    r"bel(?:t|len)?\s+(?:\S+\s+){0,5}?terug",
    r"(?:aan|af|terug)?meld\w*|gemeld",
    r"\w*betaal\w*|\w*betal(?:en|ing|ingen)|\w*betaald",
    r"inlog\w*|ingelogd|log(?:t|gen)?\s+(?:\S+\s+){0,3}?in",
    r"kies|kiest|kiezen|koos|kozen|gekozen|keuze",
    r"u\s+vindt|vindt\s+u|(?:je|jij)\s+vindt?|vind\s+je|(?:terug\s+)?te\s+vinden|terugvinden|vindbaar|gevonden",
    r"aanvra\w*|aangevraagd|vra(?:ag|agt|gen)\s+(?:\S+\s+){0,4}?aan",
    r"(?:ge)?wijzig\w*",
    r"ontvang\w*",
    r"(?:heeft|hebben|krijgt|krijgen)\s+(?:\S+\s+){0,5}?(?:eigenaar|aanspreekpunt|contactpersoon)",
    r"oplos(?:t|sen)?|opgelost|los(?:t|sen)?\s+(?:\S+\s+){0,5}?op",
    r"\w*stu(?:ur|urt|ren|urde|urden)|\w*gestuurd",
    r"(?:terug)?mail(?:t|en|de|den)?|gemaild",
    r"(?:ge)?install\w*",
    r"repar\w*|gerepareerd|vervang\w*|retour\w*|annule\w*|geannuleerd|download\w*",
    r"(?:in)?plan(?:t|nen)|ingepland|gepland",
    r"(?:kom|komt|komen|kwam|kwamen)\s+(?:\S+\s+){0,4}?langs|langskom\w*|bezoek\w*",
    r"aanpas\w*|aangepast|pas(?:t|sen)?\s+(?:\S+\s+){0,4}?aan",
    r"terugstort\w*|teruggestort|geld\s+terug",
    r"spreek|spreekt|spreken|gesproken",
    r"(?:onder)?teken(?:t|en)|(?:onder)?getekend",
    r"start|starten|gestart|begint|beginnen",
    r"klik\w*|ziet|zie\s+je|inzien|inzage",
    r"bezorg\w*|factureer\w*|factureren|gefactureerd|controleer\w*|controleren|gecontroleerd",
)

EMPTY_WORDS: frozenset[str] = frozenset(
    """
    de het een en of maar dan dat die dit deze wie wat waar hoe er hier daar
    wij we ons onze u uw je jij jullie jouw ik mij mijn me zij ze hij hun hen elkaar
    is zijn ben bent was waren wordt worden werd heeft hebben hebt heb had kan kunnen kunt
    zal zullen zult wil wilt willen mag mogen moet moeten gaat gaan doet doen
    voor vóór van met op in aan bij naar uit over door om tot te als zonder tegen per
    niet geen ook nog al wel zo toch even echt gewoon heel zeer erg extra meer meest
    altijd steeds overal alles alle elk elke ieder iedere iedereen veel graag samen mee weer nu
    direct meteen dagelijks zodat want omdat iets niets alleen zelf precies
    bieden biedt bied staan staat sta zorgen zorgt zorg helpen helpt help garanderen
    garandeert garantie beloven belooft belofte streven streeft werken werkt maken maakt
    denken denkt merken merkt ervaren ervaart genieten geniet profiteren profiteert
    geven geeft brengen brengt centraal voorop hoog hoge hoger hoogste goed goede beter
    groot grote echte volledig volledige totaal totale compleet complete nieuw nieuwe
    klant klanten niveau aandacht focus waarde resultaat resultaten succes tevreden
    ervaring aanpak ondersteuning dienstverlening oplossing oplossingen passie missie visie
    dag dagen nacht uur uren minuut minuten seconde seconden week weken maand maanden
    jaar jaren ochtend middag avond weekend tijd moment keer
    januari februari maart april mei juni juli augustus september oktober november december
    """.split()
)

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_DIGIT = re.compile(r"\d")


def _whole_words(fragments: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(fragments) + r")(?!\w)", re.IGNORECASE)


_BUZZWORD_RE = _whole_words(BUZZWORDS)
_MEASURE_RE = _whole_words(MEASURES)
_MOMENT_RE = _whole_words(MOMENTS)
_BEHAVIOUR_RE = _whole_words(BEHAVIOURS)


class PromiseProblem(str, enum.Enum):
    """Why a promise is vague."""

    EMPTY = "empty"
    BUZZWORDS_ONLY = "buzzwords_only"
    NO_BEHAVIOUR_MEASURE_OR_MOMENT = "no_behaviour_measure_or_moment"


@dataclass(frozen=True)
class PromiseCheck:
    """The verdict on a promise and what it was based on.

    ``buzzwords`` are the buzzwords found, as written (spaces folded), each once, in order.
    """

    concrete: bool
    problem: PromiseProblem | None
    buzzwords: tuple[str, ...]
    has_measure: bool
    has_moment: bool
    has_behaviour: bool


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text) if match.end() > match.start()]


def _covered(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(span_start <= start and end <= span_end for span_start, span_end in spans)


def _found_buzzwords(text: str) -> tuple[str, ...]:
    found: dict[str, str] = {}
    for match in _BUZZWORD_RE.finditer(text):
        word = " ".join(match.group().split())
        found.setdefault(word.casefold(), word)
    return tuple(found.values())


def _has_other_content(text: str, known: list[tuple[int, int]]) -> bool:
    """True when a word is neither empty nor part of a buzzword, measure, moment or behaviour."""
    return any(
        word.group().casefold() not in EMPTY_WORDS and not _covered(word.start(), word.end(), known)
        for word in _WORD.finditer(text)
    )


def check_promise(text: str) -> PromiseCheck:
    """Check whether ``text`` is a concrete promise; see the module docstring for the rules."""
    text = unicodedata.normalize("NFC", text or "")
    if not _WORD.search(text) and not _DIGIT.search(text):
        return PromiseCheck(False, PromiseProblem.EMPTY, (), False, False, False)
    buzz_spans = _spans(_BUZZWORD_RE, text)
    measure_spans = _spans(_MEASURE_RE, text)
    moment_spans = _spans(_MOMENT_RE, text)
    behaviour_spans = _spans(_BEHAVIOUR_RE, text)
    buzzwords = _found_buzzwords(text)
    has_measure = bool(measure_spans) or bool(_DIGIT.search(text))
    has_moment = bool(moment_spans) or is_concrete_moment(text)
    has_behaviour = bool(behaviour_spans)
    known = buzz_spans + measure_spans + moment_spans + behaviour_spans
    if buzzwords and not has_behaviour and not _has_other_content(text, known):
        problem: PromiseProblem | None = PromiseProblem.BUZZWORDS_ONLY
    elif not (has_behaviour or has_measure or has_moment):
        problem = PromiseProblem.NO_BEHAVIOUR_MEASURE_OR_MOMENT
    else:
        problem = None
    return PromiseCheck(problem is None, problem, buzzwords, has_measure, has_moment, has_behaviour)
