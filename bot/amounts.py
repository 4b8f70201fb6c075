"""Amounts in Dutch text: find and parse them; format money, ratios and percentages.

Digits follow Dutch conventions: a comma is the decimal separator ("12,5"), a dot
followed by exactly three digits groups thousands ("12.000", "1.250.000,75") and a
dot followed by one or two digits is a decimal point ("12.50"); a space before groups of three
digits groups thousands too ("12 500"). Dutch number words
are read too, compounds included ("vijfenveertigduizend", "vijftienhonderd"), with
"ton" (100.000), "mille" (1.000), halves ("tweeënhalf miljoen", "een halve ton") and "k" after digits
("45k"). A lone article "een" is not a number unless a multiplier ("een miljoen"),
"half" or a money marker ("een euro") follows, or it is the whole text.
Scientific and power notation ("1e15", "10^15", "10**15") is deliberately not read as an
amount, so such text is asked again instead of being read as 10 or 15.

Nothing here produces text for the user: parsing returns values or ``None`` and
never raises on any ``str``. All arithmetic is exact Decimal arithmetic; no floats.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, localcontext

from babel.numbers import format_currency, format_decimal

__all__ = [
    "AmountMatch",
    "find_amounts",
    "format_euro",
    "format_percent",
    "format_ratio",
    "parse_amount",
    "parse_number",
]

_LOCALE = "nl_NL"
_CENT = Decimal("0.01")
_HALF = Decimal("0.5")
_MAX_PHRASE_TOKENS = 16
# Sums and products of parsed numbers never round, however many digits they have.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
_CURRENCY_WORDS = frozenset({"euro", "eur", "euros", "euro's", "euro’s"})
_SIGN_WORDS = frozenset({"min", "minus"})

_TOKEN_RE = re.compile(
    # "1e15", "10^15", "10**15": no amount (never read as 10 or 15), breaks phrases
    r"(?P<sci>[0-9]+(?:[.,][0-9]+)?(?:[eE][+-]?|\s*(?:\^|\*\*)\s*)[0-9]+)"
    r"|(?P<grouped>[0-9]{1,3}(?:\.[0-9]{3})+(?![0-9])(?:,[0-9]+)?)"  # 12.000 / 1.250.000,75
    r"|(?P<spaced>(?<![0-9.,])[1-9][0-9]{0,2}(?:[ \u00a0\u202f][0-9]{3})+(?![0-9]|[.,][0-9]{3})(?:,[0-9]{1,2})?)"  # 12 500
    r"|(?P<plain>[0-9]+(?:[.,][0-9]+)?)"  # 12000 / 12,5 / 12.50
    r"|(?P<dash>,(?:-{1,2}|=|–))"  # the ",-" of "12.500,-"
    r"|(?P<word>(?:[^\W\d_]|[\u0300-\u036f])+(?:['’]s)?)"
    r"|(?P<euro>€)"
    r"|(?P<minus>[-−–])"
    r"|(?P<other>\S)"
)


@dataclass(frozen=True)
class AmountMatch:
    """An amount found in text: its value, its span in the text, and whether it is money."""

    value: Decimal
    start: int
    end: int
    is_money: bool


@dataclass(frozen=True)
class _Token:
    """A lexical token: kind is num, word, dash, euro, minus, sci or other."""

    kind: str
    text: str
    start: int
    end: int
    value: Decimal | None = None


@dataclass(frozen=True)
class _Piece:
    """One part of a number phrase: num, unit, teen, tens, half, en or scale."""

    kind: str
    value: Decimal
    text: str
    money: bool = False
    needs_value: bool = False
    token: int = -1


@dataclass(frozen=True)
class _Phrase:
    """A well-formed number phrase: its value, the token after it, and what marks it."""

    value: Decimal
    end: int
    money: bool
    lone: str  # the text of its only piece, or "" when it has several


def _pieces_table() -> dict[str, _Piece]:
    """Every Dutch number morpheme, by its spelling."""
    groups = {
        "unit": "nul een één twee drie vier vijf zes zeven acht negen".split(),
        "teen": "tien elf twaalf dertien veertien vijftien zestien zeventien achttien negentien".split(),
        "tens": "twintig dertig veertig vijftig zestig zeventig tachtig negentig".split(),
    }
    values = {"unit": [0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9], "teen": range(10, 20), "tens": range(20, 100, 10)}
    table = {
        w: _Piece(kind, Decimal(v), w)
        for kind, ws in groups.items()
        for w, v in zip(ws, values[kind], strict=False)
    }
    for word, value in {"half": "0.5", "halve": "0.5", "anderhalf": "1.5", "anderhalve": "1.5"}.items():
        table[word] = _Piece("half", Decimal(value), word)
    table["en"] = table["ën"] = _Piece("en", Decimal(0), "en")
    for word, value in {"honderd": 100, "duizend": 1000}.items():
        table[word] = _Piece("scale", Decimal(value), word)
    for word, value in {
        "mille": 10**3,
        "ton": 10**5,
        "miljoen": 10**6,
        "mln": 10**6,
        "mio": 10**6,
        "miljard": 10**9,
        "mld": 10**9,
    }.items():
        table[word] = _Piece("scale", Decimal(value), word, money=True, needs_value=True)
    return table


_PIECES = _pieces_table()
_K = _Piece("scale", Decimal(1000), "k", money=True, needs_value=True)
_M = _Piece("scale", Decimal(10**6), "M", money=True, needs_value=True)  # "1.2M"
_MORPHEME_RE = re.compile("|".join(map(re.escape, sorted(_PIECES, key=len, reverse=True))))


def _tokenize(text: str) -> list[_Token]:
    """Split text into tokens, reading digit groups as Decimals."""
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        kind, raw, value = m.lastgroup or "other", m.group(), None
        if kind in ("grouped", "spaced"):
            digits = re.sub(r"[.\s\u00a0\u202f]", "", raw)
            kind, value = "num", Decimal(digits.replace(",", "."))
        elif kind == "plain":
            kind, value = "num", Decimal(raw.replace(",", "."))
        tokens.append(_Token(kind, raw, m.start(), m.end(), value))
    return tokens


def _split_word(word: str) -> list[_Piece] | None:
    """The number pieces a (compound) word consists of; None when it is no number word."""
    word = unicodedata.normalize("NFC", word).lower()
    pieces, pos = [], 0
    while pos < len(word):
        m = _MORPHEME_RE.match(word, pos)
        if m is None:
            return None
        piece = _PIECES[m.group()]
        if piece.kind == "half" and piece.value == _HALF and pieces and pieces[-1].text in ("een", "één"):
            pieces[-1] = replace(piece, text="een half")  # "twaalfeneenhalfduizend": 12,5 thousand
        else:
            pieces.append(piece)
        pos = m.end()
    return pieces


def _token_pieces(tokens: list[_Token], j: int) -> list[_Piece] | None:
    """The number pieces of token j, or None when it cannot be part of a number."""
    token = tokens[j]
    if token.kind == "num" and token.value is not None:
        return [_Piece("num", token.value, token.text)]
    if token.kind != "word":
        return None
    if token.text in ("k", "K") and j > 0 and tokens[j - 1].kind == "num":
        return [_K]
    if token.text == "M" and j > 0 and tokens[j - 1].kind == "num":
        return [_M]
    return _split_word(token.text)


def _collect(tokens: list[_Token], start: int) -> list[_Piece]:
    """The pieces of the run of number tokens from start on; "een half" becomes one piece."""
    pieces: list[_Piece] = []
    for j in range(start, min(len(tokens), start + _MAX_PHRASE_TOKENS)):
        found = _token_pieces(tokens, j)
        if found is None:
            break
        for piece in found:
            if piece.kind == "half" and piece.value == _HALF and pieces and pieces[-1].text in ("een", "één"):
                pieces[-1] = replace(piece, text="een half", token=j)
            else:
                pieces.append(replace(piece, token=j))
    return pieces


def _is_single_digit(piece: _Piece) -> bool:
    """True for 1 to 9 as a word or in digits: the "vijf" of "vijfenveertig"."""
    return piece.kind in ("unit", "num") and piece.value in range(1, 10)


def _may_follow(prev: _Piece | None, before_en: _Piece | None, piece: _Piece) -> bool:
    """Whether piece may come right after prev in a well-formed number phrase."""
    if piece.kind == "en":  # "vijfentwintig", "duizend en", "twaalfeneenhalf"
        return prev is not None and (prev.kind in ("scale", "teen", "tens") or _is_single_digit(prev))
    if piece.kind == "scale":
        if before_en is not None and before_en.kind == "scale" and piece.value >= before_en.value:
            return False  # "5k en 7k" are two amounts; "tweeduizend en vijfhonderd" is one
        if prev is None:
            return not piece.needs_value
        return prev.kind == "num" if piece.text == "k" else prev.kind != "en"
    if prev is None:
        return True
    if prev.kind == "scale":
        return piece.kind != "half"
    if prev.kind == "en" and before_en is not None:
        if before_en.kind in ("teen", "tens"):
            return piece.kind == "half"
        return piece.kind != "half" if before_en.kind == "scale" else piece.kind in ("tens", "half")
    return False


def _scaled(
    total: Decimal, thousands: Decimal, current: Decimal, factor: Decimal, after_value: bool
) -> tuple[Decimal, Decimal, Decimal]:
    """Apply a multiplier word: honderd scales the current group, duizend and up close it."""
    zero = Decimal(0)
    if factor == 100:
        return total, thousands, _whole((current if after_value else current or 1) * factor)
    if factor == 1000:
        return total, _whole(thousands + (current if after_value else current or 1) * factor), zero
    base = thousands + current
    return _whole(total + (base if after_value else base or 1) * factor), zero, zero


def _whole(value: Decimal) -> Decimal:
    """value without a zero fraction: 1,5 miljoen is 1500000, not 1500000.0."""
    integral = value.to_integral_value()
    return integral if integral == value else value


def _read_phrase(tokens: list[_Token], start: int) -> _Phrase | None:
    """The longest well-formed number phrase starting at tokens[start], if any."""
    pieces = _collect(tokens, start)
    total = thousands = current = Decimal(0)
    prev: _Piece | None = None
    before_en: _Piece | None = None
    money, best = False, None
    best_at_en: _Phrase | None = None
    for n, piece in enumerate(pieces):
        if not _may_follow(prev, before_en, piece):
            if piece.kind == "scale" and before_en is not None and before_en.kind == "scale":
                best = best_at_en  # "5k en 7k": the phrase ends before "en"
            break
        if piece.kind == "en":
            before_en, best_at_en = prev, best
        elif piece.kind == "scale":
            after_value = prev is not None and prev.kind != "scale"
            total, thousands, current = _scaled(total, thousands, current, piece.value, after_value)
        else:
            current += piece.value
        money, prev = money or piece.money, piece
        at_token_end = n + 1 == len(pieces) or pieces[n + 1].token != piece.token
        if at_token_end and piece.kind != "en":
            best = _Phrase(total + thousands + current, piece.token + 1, money, piece.text if n == 0 else "")
    return best


def _is_currency(token: _Token) -> bool:
    """True for €, euro, EUR, euro's."""
    return token.kind == "euro" or (token.kind == "word" and token.text.lower() in _CURRENCY_WORDS)


def _is_sign(text: str, tokens: list[_Token], j: int) -> bool:
    """True for a minus glued to what follows ("-500", "-€5") or the word min/minus."""
    if j + 1 >= len(tokens):
        return False
    token = tokens[j]
    if token.kind == "word":
        after_plus = j > 0 and tokens[j - 1].text.lower() == "plus"  # "plus minus 500" is about 500
        return token.text.lower() in _SIGN_WORDS and not after_plus
    before = text[token.start - 1] if token.start else " "
    glued = tokens[j + 1].start == token.end
    return token.kind == "minus" and glued and not (before.isalnum() or before in "+/±")


def _match_at(text: str, tokens: list[_Token], i: int, sole_word: bool) -> AmountMatch | None:
    """The amount starting at tokens[i] (sign, currency, number, ",-", currency), if any."""
    negative = _is_sign(text, tokens, i)
    j = i + 1 if negative else i
    money = j < len(tokens) and _is_currency(tokens[j])
    if money:
        j += 1
        if not negative and _is_sign(text, tokens, j):
            negative, j = True, j + 1
    phrase = _read_phrase(tokens, j)
    if phrase is None:
        return None
    end = phrase.end
    if end < len(tokens) and tokens[end].kind == "dash":
        money, end = True, end + 1
    if end < len(tokens) and _is_currency(tokens[end]):
        money, end = True, end + 1
    money = money or phrase.money
    if phrase.lone in ("half", "halve") or (phrase.lone == "een" and not (money or sole_word)):
        return None
    value = -phrase.value if negative else phrase.value
    return AmountMatch(value, tokens[i].start, tokens[end - 1].end, money)


def find_amounts(text: str) -> list[AmountMatch]:
    """All amounts in text, left to right (numbers in digits and Dutch number words)."""
    if not isinstance(text, str):
        return []
    tokens = _tokenize(text)
    sole_word = sum(t.kind in ("num", "word") for t in tokens) == 1
    matches, i = [], 0
    with localcontext(_EXACT):
        while i < len(tokens):
            match = _match_at(text, tokens, i, sole_word)
            if match is None:
                i += 1
                continue
            matches.append(match)
            while i < len(tokens) and tokens[i].start < match.end:
                i += 1
    return matches


def parse_amount(text: str) -> Decimal | None:
    """The amount meant in text: the first match with is_money, else the first match; None when none."""
    matches = find_amounts(text)
    money = [m for m in matches if m.is_money]
    return (money or matches)[0].value if matches else None


def parse_number(text: str) -> Decimal | None:
    """A plain number from text such as '3', 'drie', '2,5', 'drie jaar'; None when none.

    Same rules as find_amounts; returns the first match's value.
    """
    matches = find_amounts(text)
    return matches[0].value if matches else None


def _round(value: Decimal, step: Decimal) -> Decimal:
    """value rounded half-up to a multiple of step; ValueError when it is not finite."""
    if not value.is_finite():
        raise ValueError(f"cannot format a non-finite number: {value!r}")
    with localcontext(_EXACT):
        return value.quantize(step, rounding=ROUND_HALF_UP)


def _formatting_context(value: Decimal) -> Context:
    """A context precise enough for Babel to format value without rounding it."""
    return Context(prec=max(28, value.adjusted() + 10), Emax=MAX_EMAX, Emin=MIN_EMIN)


def format_euro(amount: Decimal) -> str:
    """Dutch money, rounded half-up to cents: Decimal('12500') -> '€ 12.500,00'."""
    cents = _round(amount, _CENT)
    with localcontext(_formatting_context(cents)):
        text = format_currency(cents, "EUR", locale=_LOCALE)
    return text.replace("\xa0", " ").replace("\u202f", " ")


def format_ratio(ratio: Decimal) -> str:
    """A ratio with one or two decimals, half-up: Decimal('1.6') -> '1,6', Decimal('2') -> '2,0'."""
    rounded = _round(ratio, _CENT)
    with localcontext(_formatting_context(rounded)):
        return format_decimal(rounded, format="#,##0.0#", locale=_LOCALE)


def format_percent(weight: Decimal) -> str:
    """A weight as a whole percentage, half-up: Decimal('0.75') -> '75%'."""
    percent = _round(weight * 100, Decimal(1))
    with localcontext(_formatting_context(percent)):
        return format_decimal(percent, format="#,##0", locale=_LOCALE) + "%"
