"""The scorecard of a rehearsal: a weighted rubric applied to the :class:`RoleplayState`.

The rubric is data: :file:`rubric.yml` next to this module, whose header documents the
criteria, their cases, the placeholders of the feedback texts and how points are given.
:func:`score` judges each criterion, quotes the salesperson's own words, fills in the
Dutch feedback and alternative from the rubric, subtracts the coaching penalty and lists
what to practise next. When the client confirmed value lines and a price was named, the
value is checked against the price with :func:`bot.value_model.assess`. The scorecard itself,
as it is stored, is :class:`bot.slot_shapes.scorecard.Scorecard`.

:func:`load_rubric` validates the file strictly and raises :class:`RubricFileError` naming
the file, the criterion and the problem; call it once at start-up and keep the result.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from bot.data_files import (
    DataFileError,
    Where,
    all_keys,
    open_entry,
    parse_entries,
    read_mapping_file,
    snake_id,
    text,
)
from bot.figures import assessment_figures
from bot.personas import FACT_KINDS, Persona
from bot.roleplay import GIVEN_IN, HANDLED, OPEN, RoleplayState, SeenMove
from bot.slot_shapes.scorecard import (
    COACHING,
    MET,
    NOT_MET,
    PARTLY,
    CoachingResult,
    CriterionResult,
    Figures,
    RecordedFlag,
    Scorecard,
)
from bot.value_model import Outcome, assess

__all__ = [
    "CRITERIA",
    "DEFAULT_RUBRIC_PATH",
    "RUBRIC_VERSION",
    "CoachingPenalty",
    "Criterion",
    "Rubric",
    "RubricFileError",
    "load_rubric",
    "score",
]

DEFAULT_RUBRIC_PATH = Path(__file__).with_name("rubric.yml")
RUBRIC_VERSION = 1

_FULL, _HALF, _SHARE, _NONE = "full", "half", "share", "none"
_STATUS = {_FULL: MET, _HALF: PARTLY, _SHARE: PARTLY, _NONE: NOT_MET}
_FACTS = frozenset({"quote", "missing", "found", "total"})
_FIGURES = frozenset({"quote", "value", "price", "ratio"})
_QUOTE = frozenset({"quote"})
_NOTHING: frozenset[str] = frozenset()

# criterion -> case -> (how the points are given, the placeholders the case offers)
CRITERIA: dict[str, dict[str, tuple[str, frozenset[str]]]] = {
    "value_question": {
        "well_asked": (_FULL, _QUOTE),
        "unclear": (_HALF, _QUOTE),
        "missing": (_NONE, _NOTHING),
    },
    "hidden_facts": {
        "all": (_FULL, _FACTS - {"missing"}),
        "some": (_SHARE, _FACTS),
        "none": (_NONE, _FACTS - {"quote"}),
    },
    "value_vs_price": {
        "promoter": (_FULL, _FIGURES),
        "not_enough": (_HALF, _FIGURES),
        "no_price": (_HALF, _QUOTE),
        "unconfirmed": (_NONE, _QUOTE),
        "no_value": (_NONE, _NOTHING),
    },
    "objections": {
        "all_handled": (_FULL, _QUOTE),
        "partly": (_SHARE, frozenset({"quote", "missing"})),
        "unanswered": (_NONE, frozenset({"missing"})),
        "gave_in": (_NONE, _QUOTE),
        "none_raised": (_NONE, _NOTHING),
    },
    "options": {"offered": (_FULL, _QUOTE), "missing": (_NONE, _NOTHING)},
    "next_step": {"concrete": (_FULL, _QUOTE), "vague": (_HALF, _QUOTE), "missing": (_NONE, _NOTHING)},
    "promise": {"concrete": (_FULL, _QUOTE), "vague": (_HALF, _QUOTE), "missing": (_NONE, _NOTHING)},
}
_COACHING_CASES = {"clean": _NOTHING, "flagged": frozenset({"count", "quote"})}

_TOP_KEYS = ("version", "criteria", "coaching", "fact_labels")
_CRITERION_KEYS = ("id", "name", "weight", "how_judged", "feedback", "alternative")
_COACHING_KEYS = ("name", "penalty_per_flag", "max_penalty", "how_judged", "feedback", "alternative")
_TOTAL = 100
_DEFAULT = "default"


class RubricFileError(DataFileError):
    """The rubric file cannot be used; the message says where and what is wrong."""


@dataclass(frozen=True)
class Criterion:
    """One criterion of the rubric, with its Dutch texts."""

    id: str
    name: str
    weight: int
    how_judged: str
    feedback: Mapping[str, str]
    alternatives: Mapping[str, str]  # "default" and optionally one per persona id

    def alternative(self, persona_id: str) -> str:
        """The better way to do it, for this persona (its context and form of address)."""
        return self.alternatives.get(persona_id, self.alternatives[_DEFAULT])


@dataclass(frozen=True)
class CoachingPenalty:
    """Points off for wording the coaching rules flag."""

    name: str
    penalty_per_flag: int
    max_penalty: int
    how_judged: str
    feedback: Mapping[str, str]
    alternative: str


@dataclass(frozen=True)
class Rubric:
    """The whole rubric: criteria in order, the coaching penalty, the labels of the facts."""

    criteria: tuple[Criterion, ...]
    coaching: CoachingPenalty
    fact_labels: Mapping[str, str]


# -- judging ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Judgement:
    case: str
    quotes: tuple[str, ...] = ()
    values: Mapping[str, str] = field(default_factory=dict)
    share: Decimal = Decimal(1)


def _join(items: Sequence[str]) -> str:
    """Dutch enumeration: 'a', 'a en b', 'a, b en c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _graded(moves: Sequence[SeenMove], good: str, bad: str) -> _Judgement:
    """A criterion met by a well-done move, half by any other, not at all without one."""
    well_done = [move.quote for move in moves if move.good]
    if well_done:
        return _Judgement(good, tuple(well_done))
    if moves:
        return _Judgement(bad, tuple(move.quote for move in moves))
    return _Judgement("missing")


def _hidden_facts(persona: Persona, state: RoleplayState, rubric: Rubric) -> _Judgement:
    asked = [fact for fact in state.facts if fact.quote]
    found = {fact.kind for fact in asked}
    missing = [rubric.fact_labels[kind] for kind in FACT_KINDS if kind not in found]
    values = {"found": str(len(found)), "total": str(len(persona.facts))}
    quotes = tuple(fact.quote for fact in asked)
    if not asked:
        return _Judgement("none", (), values | {"missing": _join(missing)}, Decimal(0))
    if not missing:
        return _Judgement("all", quotes, values)
    share = Decimal(len(found)) / Decimal(len(persona.facts))
    return _Judgement("some", quotes, values | {"missing": _join(missing)}, share)


def _value_check(persona: Persona, state: RoleplayState, discount_rate: Decimal) -> Figures | None:
    lines = [value.value_line() for value in state.values if value.confirmed]
    if not lines or state.price is None:
        return None
    return assessment_figures(assess(lines, state.price.price(persona.contract_years), discount_rate))


def _value_vs_price(state: RoleplayState, figures: Figures | None) -> _Judgement:
    confirmed = tuple(value.quote for value in state.values if value.confirmed)
    if not confirmed:
        doubted = tuple(value.quote for value in state.values)
        return _Judgement("unconfirmed", doubted) if doubted else _Judgement("no_value")
    if figures is None:
        return _Judgement("no_price", confirmed)
    values = {
        "value": str(figures["value_expected"]),
        "price": str(figures["price"]),
        "ratio": str(figures["ratio"] or "–"),
    }
    case = "promoter" if figures["outcome"] == Outcome.PROMOTER.value else "not_enough"
    return _Judgement(case, confirmed, values)


def _objections(persona: Persona, state: RoleplayState, rubric: Rubric) -> _Judgement:
    early = [discount.quote for discount in state.discounts if discount.before_value]
    given_in = [record.quote for record in state.objections if record.status == GIVEN_IN]
    if early or given_in:
        return _Judgement("gave_in", tuple(dict.fromkeys(early + given_in)), share=Decimal(0))
    if not state.objections:
        return _Judgement("none_raised", share=Decimal(0))
    handled = tuple(dict.fromkeys(record.quote for record in state.objections if record.status == HANDLED))
    open_labels = [persona.objection(record.id).label for record in state.objections if record.status == OPEN]
    if not open_labels:
        return _Judgement("all_handled", handled)
    if not handled:
        return _Judgement("unanswered", (), {"missing": _join(open_labels)}, Decimal(0))
    share = Decimal(len(state.objections) - len(open_labels)) / Decimal(len(state.objections))
    return _Judgement("partly", handled, {"missing": _join(open_labels)}, share)


def _judge(
    criterion_id: str, persona: Persona, state: RoleplayState, rubric: Rubric, figures: Figures | None
) -> _Judgement:
    if criterion_id == "value_question":
        return _graded(state.seen("value_question"), "well_asked", "unclear")
    if criterion_id == "hidden_facts":
        return _hidden_facts(persona, state, rubric)
    if criterion_id == "value_vs_price":
        return _value_vs_price(state, figures)
    if criterion_id == "objections":
        return _objections(persona, state, rubric)
    if criterion_id == "options":
        offered = tuple(move.quote for move in state.seen("options"))
        return _Judgement("offered", offered) if offered else _Judgement("missing")
    return _graded(state.seen(criterion_id), "concrete", "vague")


def _points(weight: int, how: str, share: Decimal) -> int:
    fraction = {_FULL: Decimal(1), _HALF: Decimal("0.5"), _SHARE: share, _NONE: Decimal(0)}[how]
    return int((weight * fraction).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _result(criterion: Criterion, judgement: _Judgement, persona: Persona) -> CriterionResult:
    how, _ = CRITERIA[criterion.id][judgement.case]
    values = {"quote": judgement.quotes[0] if judgement.quotes else "", **judgement.values}
    return CriterionResult(
        id=criterion.id,
        name=criterion.name,
        points=_points(criterion.weight, how, judgement.share),
        max_points=criterion.weight,
        status=_STATUS[how],
        case=judgement.case,
        quotes=judgement.quotes,
        feedback=criterion.feedback[judgement.case].format(**values),
        alternative=criterion.alternative(persona.id),
    )


def _coaching(penalty: CoachingPenalty, flags: tuple[RecordedFlag, ...]) -> CoachingResult:
    if flags:
        feedback = penalty.feedback["flagged"].format(count=len(flags), quote=flags[0].quote)
    else:
        feedback = penalty.feedback["clean"].format()
    return CoachingResult(
        name=penalty.name,
        penalty=min(len(flags) * penalty.penalty_per_flag, penalty.max_penalty),
        max_penalty=penalty.max_penalty,
        flags=flags,
        feedback=feedback,
        alternative=penalty.alternative,
    )


def score(
    persona: Persona, state: RoleplayState, rubric: Rubric, discount_rate: Decimal = Decimal(0)
) -> Scorecard:
    """The scorecard of ``state``, a rehearsal with ``persona``, judged by ``rubric``.

    ``discount_rate`` is the value model's yearly discount rate (as in the value conversation).
    """
    if state.persona_id != persona.id:
        raise ValueError(f"the state is of persona {state.persona_id!r}, not {persona.id!r}")
    figures = _value_check(persona, state, discount_rate)
    results = tuple(
        _result(criterion, _judge(criterion.id, persona, state, rubric, figures), persona)
        for criterion in rubric.criteria
    )
    coaching = _coaching(rubric.coaching, state.coaching_flags)
    lost = [(result.lost, position, result.id) for position, result in enumerate(results)]
    lost.append((coaching.penalty, len(results), COACHING))
    ranked = sorted((item for item in lost if item[0] > 0), key=lambda item: (-item[0], item[1]))
    total = sum(result.points for result in results) - coaching.penalty
    return Scorecard(
        persona_id=persona.id,
        score=max(0, min(_TOTAL, total)),
        criteria=results,
        coaching=coaching,
        practise_next=tuple(item[2] for item in ranked[:3]),
        value_check=figures,
        persona_name=persona.name,
    )


# -- loading ----------------------------------------------------------------------------


def _whole(where: Where, raw: Mapping[str, Any], key: str) -> int:
    value = raw[key]
    if type(value) is not int or value < 0:
        where.fail(f"{key!r} must be a whole number of points, 0 or more, got {value!r}")
    return value


def _template(where: Where, key: str, value: Any, offered: frozenset[str]) -> str:
    if not isinstance(value, str) or not value.strip():
        where.fail(f"{key!r} must be a non-empty text, got {value!r}")
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError as error:
        where.fail(f"{key!r} has a stray brace ({error}); write a literal brace twice: {{{{ or }}}}")
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in offered or spec or conversion:
            allowed = ", ".join(sorted(offered)) or "none"
            where.fail(f"{key!r} uses {{{name}}}, which this case does not offer (placeholders: {allowed})")
    return " ".join(value.split())


def _feedback(where: Where, raw: Any, cases: Mapping[str, frozenset[str]]) -> dict[str, str]:
    raw = all_keys(where, raw, "feedback", tuple(cases), "every case needs a text")
    return {case: _template(where, f"feedback.{case}", raw[case], offered) for case, offered in cases.items()}


def _alternatives(where: Where, raw: Any) -> dict[str, str]:
    """One text for everyone, or ``default`` plus a text per persona id."""
    if isinstance(raw, str):
        return {_DEFAULT: text(where, {"alternative": raw}, "alternative")}
    if not isinstance(raw, Mapping) or _DEFAULT not in raw:
        where.fail(
            "'alternative' must be a text, or a mapping with 'default' and optionally a text per "
            f"persona id, got {raw!r}"
        )
    place = where.entry("alternative")
    return {str(key): text(place, raw, key) for key in raw}


def _parse_criterion(parent: Where, index: int, raw: Any, seen: frozenset[str]) -> Criterion:
    where, raw = open_entry(parent, "criteria", index, raw, _CRITERION_KEYS, (), "a criterion")
    criterion_id = snake_id(where, raw)
    if criterion_id not in CRITERIA:
        where.fail(f"unknown criterion {criterion_id!r}; the criteria are fixed: {', '.join(CRITERIA)}")
    if criterion_id in seen:
        where.fail(f"criterion {criterion_id!r} is given twice; each criterion is given once")
    cases = {case: offered for case, (_, offered) in CRITERIA[criterion_id].items()}
    return Criterion(
        id=criterion_id,
        name=text(where, raw, "name"),
        weight=_whole(where, raw, "weight"),
        how_judged=text(where, raw, "how_judged"),
        feedback=_feedback(where, raw["feedback"], cases),
        alternatives=_alternatives(where, raw["alternative"]),
    )


def _parse_coaching(parent: Where, raw: Any) -> CoachingPenalty:
    where, raw = open_entry(parent, "coaching", None, raw, _COACHING_KEYS, (), "'coaching'")
    return CoachingPenalty(
        name=text(where, raw, "name"),
        penalty_per_flag=_whole(where, raw, "penalty_per_flag"),
        max_penalty=_whole(where, raw, "max_penalty"),
        how_judged=text(where, raw, "how_judged"),
        feedback=_feedback(where, raw["feedback"], _COACHING_CASES),
        alternative=text(where, raw, "alternative"),
    )


def _parse_fact_labels(parent: Where, raw: Any) -> dict[str, str]:
    where = parent.entry("fact_labels")
    raw = all_keys(where, raw, "fact_labels", FACT_KINDS, "every hidden fact needs a label")
    return {kind: text(where, raw, kind) for kind in FACT_KINDS}


def load_rubric(path: Path | None = None) -> Rubric:
    """Read and validate the rubric; by default the packaged ``rubric.yml``.

    Raises :class:`RubricFileError` when the file is missing, is not valid YAML, has the
    wrong version, lacks a criterion or gives one twice or one that does not exist, has
    weights that do not add up to 100, a missing, unknown or mistyped key, a feedback text
    for a case missing, or a placeholder that its case does not offer.
    """
    path = Path(path) if path is not None else DEFAULT_RUBRIC_PATH
    where, data = read_mapping_file(path, RubricFileError, "rubric file", RUBRIC_VERSION, _TOP_KEYS)
    for key in _TOP_KEYS:
        if key not in data:
            where.fail(f"required key {key!r} is missing")
    criteria = parse_entries(where, data, "criteria", "criteria", _parse_criterion)
    missing = [criterion_id for criterion_id in CRITERIA if criterion_id not in {c.id for c in criteria}]
    if missing:
        where.fail(
            f"criterion(s) {', '.join(map(repr, missing))} missing; every criterion must be given once"
        )
    total = sum(criterion.weight for criterion in criteria)
    if total != _TOTAL:
        weights = ", ".join(f"{criterion.id} {criterion.weight}" for criterion in criteria)
        where.fail(f"the weights add up to {total}, not {_TOTAL} ({weights})")
    return Rubric(
        criteria=criteria,
        coaching=_parse_coaching(where, data["coaching"]),
        fact_labels=_parse_fact_labels(where, data["fact_labels"]),
    )
