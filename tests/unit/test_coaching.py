"""Tests for :mod:`bot.coaching` and the packaged ``bot/coaching_rules.yml``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.coaching import (
    DEFAULT_RULES_PATH,
    CoachingFlag,
    CoachingRule,
    RuleFileError,
    check_wording,
    load_rules,
)

RULES = load_rules()

FLAGGED = [
    # asap
    ("Ik stuur u de offerte zo snel mogelijk.", "asap"),
    ("We gaan er z.s.m. mee aan de slag.", "asap"),
    ("Ik kom er zsm bij u op terug.", "asap"),
    ("Wij pakken het ASAP op.", "asap"),
    ("We plannen de monteur zo spoedig mogelijk in.", "asap"),
    ("Ik laat het u zo snel als mogelijk weten.", "asap"),
    ("We leveren zo snel we kunnen.", "asap"),
    ("Ik reageer zo vlug mogelijk op uw mail.", "asap"),
    # Decision: a concrete moment next to it does not excuse "zo snel mogelijk"; drop the vague words.
    ("Ik kom er zo snel mogelijk, uiterlijk morgen 12.00 uur, op terug.", "asap"),
    # hiding_behind_rules
    ("Dat is tegen onze regels.", "hiding_behind_rules"),
    ("Sorry, dat is ons beleid.", "hiding_behind_rules"),
    ("Volgens de voorwaarden kan dat niet.", "hiding_behind_rules"),
    ("Ons beleid staat dat niet toe.", "hiding_behind_rules"),
    ("Dat mag ik niet van mijn leidinggevende.", "hiding_behind_rules"),
    ("Dat zijn nu eenmaal de regels.", "hiding_behind_rules"),
    ("Dat valt buiten onze leveringsvoorwaarden.", "hiding_behind_rules"),
    ("Het systeem laat dat niet toe.", "hiding_behind_rules"),
    ("Regels zijn regels, daar kan ik niets aan doen.", "hiding_behind_rules"),
    ("Vanwege ons interne beleid kunnen wij geen uitzondering maken.", "hiding_behind_rules"),
    ("Dat staat gewoon in de kleine lettertjes.", "hiding_behind_rules"),
    ("Dat kan helaas niet volgens onze procedures.", "hiding_behind_rules"),
    ("Ons beleid is dat we geen korting geven.", "hiding_behind_rules"),
    ("Volgens de voorwaarden kunnen wij geen retouren accepteren.", "hiding_behind_rules"),
    # telling_client_what_to_do
    ("U moet dit contract vandaag nog tekenen.", "telling_client_what_to_do"),
    ("Je moet echt verder kijken dan de prijs.", "telling_client_what_to_do"),
    ("Jullie moeten eerst de oude installatie weghalen.", "telling_client_what_to_do"),
    ("Dan moet u eerst een account aanmaken.", "telling_client_what_to_do"),
    ("U dient het formulier volledig in te vullen.", "telling_client_what_to_do"),
    ("U bent verplicht om de apparatuur zelf te verzekeren.", "telling_client_what_to_do"),
    ("U zult toch echt moeten kiezen.", "telling_client_what_to_do"),
    ("Daarvoor moeten jullie bij de inkoopafdeling zijn.", "telling_client_what_to_do"),
    ("Wat u moet weten: wij zijn marktleider.", "telling_client_what_to_do"),
    # price_first (value not yet known)
    ("Wij zijn de goedkoopste van de regio.", "price_first"),
    ("U krijgt van mij 10% korting.", "price_first"),
    ("Ik kan u een mooie introductiekorting geven.", "price_first"),
    ("Wij hebben de laagste prijs in de markt.", "price_first"),
    ("We zijn een stuk goedkoper dan uw huidige leverancier.", "price_first"),
    ("Met de kortingscode betaalt u minder.", "price_first"),
    ("Ik kan nog wel wat van de prijs af doen.", "price_first"),
    ("Wij bieden de scherpste tarieven.", "price_first"),
    ("We hebben deze maand een actieprijs.", "price_first"),
    # overpromise
    ("Wij zijn altijd bereikbaar.", "overpromise"),
    ("Met ons systeem heeft u nooit meer problemen.", "overpromise"),
    ("U krijgt 100% garantie op de installatie.", "overpromise"),
    ("Onze software werkt gegarandeerd foutloos.", "overpromise"),
    ("Wij lossen alles direct op, altijd.", "overpromise"),
    ("U heeft nooit last van storingen.", "overpromise"),
    ("Met deze aanpak gaat het nooit mis.", "overpromise"),
    ("U heeft geen storingen meer.", "overpromise"),
    ("100 procent tevredenheid, dat beloven wij.", "overpromise"),
    ("U kunt ons altijd bellen, dag en nacht.", "overpromise"),
    ("Wij leveren probleemloos.", "overpromise"),
    ("Wij garanderen dat u nooit meer wacht.", "overpromise"),
]

NOT_FLAGGED = [
    # asap
    "Snelheid is voor ons belangrijk.",
    "We leveren morgen voor 17.00 uur.",
    "Ik bel u donderdag om 10 uur.",
    "U wilt zo snel mogelijk live, begrijp ik.",
    "Als u zo snel mogelijk wilt starten, kan dat op 1 maart.",
    "Hoe snel wilt u het geregeld hebben?",
    # hiding_behind_rules
    "De regels van de aanbesteding zijn helder.",
    "Volgens de voorwaarden heeft u 30 dagen bedenktijd.",
    "Ik stuur u vandaag onze voorwaarden, dan kunt u ze rustig lezen.",
    "Het is ons beleid om elke klacht binnen 4 werkuren op te pakken.",
    "Dit is ons beleid: u krijgt binnen 4 werkuren antwoord.",
    "Volgens de voorwaarden is dat niet nodig.",
    "Bij ons zijn er geen kleine lettertjes.",
    "Zoals ik u vorige week heb uitgelegd, valt dat buiten de voorwaarden.",
    "Ons beleid is dat u binnen 4 uur antwoord krijgt.",
    "Volgens ons beleid doen we niets zonder uw akkoord.",
    "Wij houden ons aan de regels van de AVG en vertellen u precies welke dat zijn.",
    # telling_client_what_to_do
    "Wij moeten dat intern nog afstemmen.",
    "Ik moet dat even nakijken; ik bel u morgen om 10 uur.",
    "Moet u nog iets weten?",
    "Wat moet u hebben om morgen te kunnen starten?",
    "Ik begrijp dat u moet besparen.",
    "Als leverancier moet je gewoon leveren wat je belooft.",
    "Wij moeten u helaas laten weten dat de monteur pas vrijdag kan.",
    "U hoeft niets te doen; wij regelen de overstap.",
    "Ik laat u zien hoe u moet inloggen.",
    "Dat moet je zien!",
    "Moet je horen: we hebben een nieuwe planning.",
    # price_first
    "De goedkoopste optie is niet altijd de beste.",
    "Goedkoop is duurkoop.",
    "Korting geven we niet; wel laten we zien wat het u oplevert.",
    "U vraagt om korting; laten we eerst kijken wat het u oplevert.",
    "Wij zijn niet de goedkoopste, wel de partner die uw storingen halveert.",
    "Deze aanpak geeft 20% minder storingen.",
    "Die verkorting van de doorlooptijd levert u twee dagen per order op.",
    "Ik geef u geen korting, wel een vaste prijs voor drie jaar.",
    # overpromise
    "Wij zijn altijd bereikbaar op werkdagen tussen 8 en 18 uur.",
    "Wij bellen u altijd terug binnen 4 werkuren.",
    "Zoals altijd sturen wij de offerte per mail.",
    "U wilt nooit meer een storing, begrijp ik.",
    "Heeft u dat altijd zelf geregeld?",
    "U heeft dat altijd zelf gedaan.",
    "Ons aanbod van vorige week staat nog altijd.",
    "Ik kan u geen 100% garantie geven, wel een monteur binnen 4 uur.",
    "95% van de storingen lossen we dezelfde dag op.",
    "De garantie is 2 jaar op onderdelen en arbeid.",
    "U bent altijd welkom om langs te komen.",
    "Bijna altijd lukt het de volgende werkdag.",
    "Het kan altijd beter.",
    "Wij helpen u altijd graag.",
    # general
    "",
    "   ",
    "Wat levert het u op als de machine twee dagen minder stilstaat?",
]


def _ids(text: str, value_known: bool = False) -> list[str]:
    return [flag.rule_id for flag in check_wording(text, RULES, value_known=value_known)]


def test_enough_cases() -> None:
    assert len(FLAGGED) >= 30
    assert len(NOT_FLAGGED) >= 30
    assert {rule_id for _, rule_id in FLAGGED} == {rule.id for rule in RULES}


@pytest.mark.parametrize(("text", "rule_id"), FLAGGED)
def test_flagged(text: str, rule_id: str) -> None:
    assert _ids(text) == [rule_id]


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_not_flagged(text: str) -> None:
    assert _ids(text) == []


def test_packaged_rules() -> None:
    assert [rule.id for rule in RULES] == [
        "asap",
        "hiding_behind_rules",
        "telling_client_what_to_do",
        "price_first",
        "overpromise",
    ]
    assert all(isinstance(rule, CoachingRule) and rule.problem and rule.suggestion for rule in RULES)
    assert [rule.id for rule in RULES if rule.needs_unknown_value] == ["price_first"]
    assert load_rules(DEFAULT_RULES_PATH) == RULES


@pytest.mark.parametrize(
    "text",
    [
        "U krijgt 10% korting als u voor vrijdag tekent.",
        "Wij zijn de goedkoopste van de regio.",
        "Ik kan u een introductiekorting geven.",
    ],
)
def test_price_first_only_while_value_unknown(text: str) -> None:
    assert _ids(text, value_known=False) == ["price_first"]
    assert _ids(text, value_known=True) == []


def test_value_known_keeps_other_rules() -> None:
    text = "U moet vandaag tekenen, dan krijgt u 10% korting."
    assert _ids(text) == ["telling_client_what_to_do", "price_first"]
    assert _ids(text, value_known=True) == ["telling_client_what_to_do"]


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Ik stuur het Zo Snel Mogelijk.", "Zo Snel Mogelijk"),
        ("We gaan er z.s.m. mee aan de slag.", "z.s.m."),
        ("Helaas, dat is tegen onze regels.", "tegen onze regels"),
        ("Dan MOET U eerst tekenen.", "MOET U"),
        ("Wij zijn de GOEDKOOPSTE.", "GOEDKOOPSTE"),
        ("Nooit   meer gedoe.", "Nooit   meer gedoe"),  # the longest match at the first place
        ("Dat   kan helaas niet volgens onze voorwaarden.", "kan helaas niet volgens onze voorwaarden"),
    ],
)
def test_quote_is_the_users_fragment(text: str, quote: str) -> None:
    (flag,) = check_wording(text, RULES)
    assert flag.quote == quote
    assert flag.quote in text


def test_flag_carries_problem_and_suggestion() -> None:
    (flag,) = check_wording("Ik bel u zo snel mogelijk.", RULES)
    asap = next(rule for rule in RULES if rule.id == "asap")
    assert flag == CoachingFlag("asap", "zo snel mogelijk", asap.problem, asap.suggestion)


def test_one_flag_per_rule_in_rule_order() -> None:
    text = "Wij zijn altijd de goedkoopste. U moet z.s.m. tekenen, dat is ons beleid. Nooit meer zorgen!"
    flags = check_wording(text, RULES)
    assert [flag.rule_id for flag in flags] == [
        "asap",
        "hiding_behind_rules",
        "telling_client_what_to_do",
        "price_first",
        "overpromise",
    ]
    assert flags[-1].quote == "altijd"  # the first occurrence in the text


def test_guard_excuses_only_its_own_occurrence() -> None:
    text = "Wij zijn niet altijd de snelste. Wel zijn we altijd eerlijk."
    (flag,) = check_wording(text, RULES)
    assert flag.rule_id == "overpromise"
    assert text.index(flag.quote, 20) == text.rindex("altijd")


def test_guards_stay_in_their_sentence() -> None:
    # The question in the second sentence does not excuse the order in the first.
    assert _ids("U moet vandaag tekenen. Heeft u nog vragen?") == ["telling_client_what_to_do"]
    assert _ids("Heeft u nog vragen? U moet vandaag tekenen.") == ["telling_client_what_to_do"]


def test_line_breaks_end_sentences() -> None:
    assert _ids("Heeft u vragen\nU moet tekenen?") == []
    assert _ids("U moet tekenen\nHeeft u vragen?") == ["telling_client_what_to_do"]


def test_no_rules_no_flags() -> None:
    assert check_wording("U moet zo snel mogelijk tekenen.", []) == []


# -- broken rule files --------------------------------------------------------------------

GOOD_RULE = """\
  - id: asap
    patterns:
      - '\\bzo snel mogelijk\\b'
    problem: "Geen moment."
    suggestion: "Noem een moment."
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> str:
    path = _write(tmp_path, text)
    with pytest.raises(RuleFileError) as caught:
        load_rules(path)
    message = str(caught.value)
    assert str(path) in message
    return message


def test_minimal_file_loads(tmp_path: Path) -> None:
    (rule,) = load_rules(_write(tmp_path, "version: 1\nrules:\n" + GOOD_RULE))
    assert rule.id == "asap"
    assert rule.unless == ()
    assert rule.needs_unknown_value is False
    assert rule.patterns[0].flags & re.IGNORECASE
    assert [flag.quote for flag in check_wording("Zo snel mogelijk!", [rule])] == ["Zo snel mogelijk"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="does not exist"):
        load_rules(tmp_path / "missing.yml")


def test_bad_yaml(tmp_path: Path) -> None:
    message = _error(tmp_path, "version: 1\nrules:\n  - id: asap\n    patterns: [unclosed\n")
    assert "not valid YAML" in message
    assert "line" in message


def test_empty_file(tmp_path: Path) -> None:
    assert "must be a mapping" in _error(tmp_path, "")


@pytest.mark.parametrize(
    ("version", "shown"), [("2", "got 2"), ("'1'", "got '1'"), ("1.0", "got 1.0"), ("true", "got True")]
)
def test_wrong_version(tmp_path: Path, version: str, shown: str) -> None:
    message = _error(tmp_path, f"version: {version}\nrules:\n" + GOOD_RULE)
    assert "'version' must be 1" in message
    assert shown in message


def test_missing_version(tmp_path: Path) -> None:
    assert "'version' must be 1, got None" in _error(tmp_path, "rules:\n" + GOOD_RULE)


def test_no_rules(tmp_path: Path) -> None:
    assert "'rules' must be a non-empty list" in _error(tmp_path, "version: 1\nrules: []\n")


def test_unknown_top_level_key(tmp_path: Path) -> None:
    message = _error(tmp_path, "version: 1\nrule:\n" + GOOD_RULE)
    assert "unknown key 'rule'" in message
    assert "did you mean 'rules'?" in message


def test_missing_field(tmp_path: Path) -> None:
    text = "version: 1\nrules:\n" + GOOD_RULE.replace('    suggestion: "Noem een moment."\n', "")
    message = _error(tmp_path, text)
    assert "rules[0] (id 'asap')" in message
    assert "required key 'suggestion' is missing" in message


def test_unknown_rule_key(tmp_path: Path) -> None:
    text = "version: 1\nrules:\n" + GOOD_RULE + "    pattern: ['x']\n"
    message = _error(tmp_path, text)
    assert "rules[0] (id 'asap')" in message
    assert "unknown key 'pattern'" in message
    assert "did you mean 'patterns'?" in message


def test_bad_regex(tmp_path: Path) -> None:
    text = "version: 1\nrules:\n" + GOOD_RULE.replace("\\bzo snel mogelijk\\b", "zo (snel")
    message = _error(tmp_path, text)
    assert "rules[0] (id 'asap')" in message
    assert "patterns[0] 'zo (snel' is not a valid regex" in message


def test_bad_unless_regex(tmp_path: Path) -> None:
    text = "version: 1\nrules:\n" + GOOD_RULE + "    unless: ['[a-']\n"
    assert "unless[0] '[a-' is not a valid regex" in _error(tmp_path, text)


def test_regex_matching_empty_text(tmp_path: Path) -> None:
    text = "version: 1\nrules:\n" + GOOD_RULE.replace("\\bzo snel mogelijk\\b", "(zo snel)?")
    assert "matches the empty text" in _error(tmp_path, text)


def test_patterns_not_a_list(tmp_path: Path) -> None:
    text = "version: 1\nrules:\n" + GOOD_RULE.replace("\n      - '", " '")
    assert "'patterns' must be a list" in _error(tmp_path, text)


def test_duplicate_id(tmp_path: Path) -> None:
    message = _error(tmp_path, "version: 1\nrules:\n" + GOOD_RULE + GOOD_RULE)
    assert "rules[1] (id 'asap')" in message
    assert "used by an earlier rule" in message


def test_duplicate_key(tmp_path: Path) -> None:
    text = "version: 1\nrules:\n" + GOOD_RULE + '    problem: "Nog een keer."\n'
    message = _error(tmp_path, text)
    assert "key 'problem' is given twice" in message


@pytest.mark.parametrize("rule_id", ["Asap", "zo-snel", "1asap", "asap_", "12", "yes"])
def test_id_not_snake_case(tmp_path: Path, rule_id: str) -> None:
    text = "version: 1\nrules:\n" + GOOD_RULE.replace("id: asap", f"id: {rule_id}")
    assert "'id' must be snake_case" in _error(tmp_path, text)


def test_empty_problem(tmp_path: Path) -> None:
    text = "version: 1\nrules:\n" + GOOD_RULE.replace('"Geen moment."', '"  "')
    message = _error(tmp_path, text)
    assert "rules[0] (id 'asap')" in message
    assert "'problem' must be a non-empty text" in message


def test_needs_unknown_value_must_be_boolean(tmp_path: Path) -> None:
    text = "version: 1\nrules:\n" + GOOD_RULE + "    needs_unknown_value: 'ja'\n"
    assert "'needs_unknown_value' must be true or false" in _error(tmp_path, text)


def test_rule_not_a_mapping(tmp_path: Path) -> None:
    assert "rules[0]: a rule must be a mapping" in _error(tmp_path, "version: 1\nrules:\n  - asap\n")


def test_examples_are_checked(tmp_path: Path) -> None:
    good = (
        GOOD_RULE
        + "    examples:\n      flagged: ['Ik doe het zo snel mogelijk.']\n      not_flagged: ['Morgen.']\n"
    )
    (rule,) = load_rules(_write(tmp_path, "version: 1\nrules:\n" + good))
    assert rule.id == "asap"
    not_flagged = GOOD_RULE + "    examples:\n      flagged: ['Ik doe het vlug.']\n"
    message = _error(tmp_path, "version: 1\nrules:\n" + not_flagged)
    assert "example 'Ik doe het vlug.' in examples.flagged is not flagged" in message
    flagged = GOOD_RULE + "    examples:\n      not_flagged: ['zo snel mogelijk']\n"
    assert "in examples.not_flagged is flagged" in _error(tmp_path, "version: 1\nrules:\n" + flagged)
    typo = GOOD_RULE + "    examples:\n      flaged: ['x']\n"
    assert "did you mean 'flagged'?" in _error(tmp_path, "version: 1\nrules:\n" + typo)


def test_problem_whitespace_is_folded(tmp_path: Path) -> None:
    text = "version: 1\nrules:\n" + GOOD_RULE.replace('"Geen moment."', ">\n      Geen\n      moment.")
    (rule,) = load_rules(_write(tmp_path, text))
    assert rule.problem == "Geen moment."
