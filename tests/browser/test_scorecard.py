"""The rehearsal scorecard on the trainer review page, in a real browser.

Two rehearsals are held over Rasa's REST channel against the running servers (the bot plays
Ingrid Verbeek of the hospital): a conversation with a poor rehearsal followed by a better
one, and a second conversation with only a poor one. A trainer then finds them by score in
the list, reads the scorecard, overrides one criterion with a note, sees the automatic and
the trainer's score side by side, and checks the progress page.
"""

from __future__ import annotations

import re
import uuid

import requests
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import TRAINER_NAME, TRAINER_PASSWORD, screenshot
from tests.servers import Servers

NAME = "Joost"  # the salesperson; no other browser test rehearses under this name
PERSONA = "Ingrid Verbeek"
POOR = [
    "Goedemiddag, wij zijn de goedkoopste schoonmaker van de regio.",
    "Onze prijs is € 450.000 per jaar.",
    "Oké, ik doe er 10% af, dan zit u bijna op uw budget.",
    "Ik stuur u zo snel mogelijk het contract.",
]
BETTER = [  # tests/unit/rehearsals/hospital_mediocre.yml
    "Goedemiddag. Wat kost de schoonmaak u nu per jaar?",
    "En welke klachten krijgt u over de schoonmaak?",
    "Waarom is dit nu belangrijk voor u?",
    "Wij leveren meer waarde dan wat we kosten.",
    "Dat scheelt u € 54.000 per jaar aan infecties.",
    "Onze prijs is € 480.000 per jaar.",
    "De uitgestelde OK-starts verdwijnen, dat scheelt u € 48.000 per jaar.",
    "Wij beloven u een klantgerichte aanpak.",
    "Ik reken het zo snel mogelijk door en bel u vrijdag om 10 uur.",
]
NOTE = "De belofte noemde wel een vast moment; dat telt voor mij."
SCORE = re.compile(rf"Scorecard van {NAME}, oefening met {PERSONA} \(facilitair manager\): (\d+) van de 100")


def chat(servers: Servers, sender: str, message: str) -> str:
    """Sends one message over REST and returns the bot's replies as one text."""
    response = requests.post(
        f"{servers.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    response.raise_for_status()
    return "\n".join(str(reply.get("text", "")) for reply in response.json())


def rehearse(servers: Servers, sender: str, messages: list[str]) -> int:
    """A whole rehearsal with the hospital as NAME; returns the score the bot gave."""
    reply = chat(servers, sender, "ik wil oefenen met een klant")
    if "voornaam" in reply:
        reply = chat(servers, sender, f"ik ben {NAME}")
    assert "Met welke klant wil je oefenen" in reply, reply
    assert PERSONA in chat(servers, sender, PERSONA)
    for message in messages:
        chat(servers, sender, message)
    card = chat(servers, sender, "klaar")
    found = SCORE.search(card)
    assert found, card
    return int(found.group(1))


def log_in(page: Page, servers: Servers) -> None:
    page.goto(f"{servers.web_url}/trainer/")
    page.locator("#naam").fill(TRAINER_NAME)
    page.locator("#wachtwoord").fill(TRAINER_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gesprekken")


def test_a_trainer_reads_overrides_and_follows_rehearsal_scores(servers: Servers, browser: Browser) -> None:
    twice, once = f"rest-oefenen-{uuid.uuid4().hex[:8]}", f"rest-oefenen-{uuid.uuid4().hex[:8]}"
    assert "Hoi! Ik ben de Waardecoach." in chat(servers, twice, "hallo")
    first = rehearse(servers, twice, POOR)
    latest = rehearse(servers, twice, BETTER)
    other = rehearse(servers, once, POOR)
    assert first == other < latest < 100

    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    review = context.new_page()
    dialogs: list[str] = []
    review.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        log_in(review, servers)

        # the list: the score column, a score range and the order by score
        row = review.locator("tr", has=review.locator(f"a.row-link[href$='/gesprek/{twice}']"))
        expect(row.locator(".score-pill")).to_have_text(str(latest))
        expect(row).to_contain_text("2 oefeningen")
        review.locator("#score_min").fill(str(latest))
        review.locator("#sorteer").select_option("score-laag")
        review.get_by_role("button", name="Filteren").click()
        expect(review).to_have_url(re.compile(r"score_min=\d+.*sorteer=score-laag"))
        expect(review.locator(f"a.row-link[href$='/gesprek/{twice}']")).to_have_count(1)
        expect(review.locator(f"a.row-link[href$='/gesprek/{once}']")).to_have_count(0)
        review.locator("#score_min").fill("")
        review.locator("#score_max").fill(str(latest))
        review.get_by_role("button", name="Filteren").click()
        ids = [
            link.get_attribute("href") or ""
            for link in review.locator("a.row-link").all()
            if (link.get_attribute("href") or "").endswith((twice, once))
        ]
        assert [href.rsplit("/", 1)[1] for href in ids] == [once, twice]  # lowest score first
        expect(review.locator(".page-head p")).to_contain_text("met deze filters, laagste score eerst")
        screenshot(review, "scorecard-1-list", full_page=True)

        # the conversation: the latest scorecard open, the earlier one folded
        review.locator(f"a.row-link[href$='/gesprek/{twice}']").click()
        card = review.locator("section.scorecard")
        expect(card).to_contain_text(f"Geoefend met {PERSONA}")
        expect(card).to_contain_text(f"Verkoper {NAME}")
        expect(card).to_contain_text("oefening 2 van 2, de laatste")
        expect(card.locator(".score-total-auto .score-total-value")).to_have_text(f"{latest}/100")
        expect(card.locator(".score-total-trainer")).to_have_count(0)
        promise = card.locator("li.criterion", has_text="Versimpelingsbelofte")
        expect(promise.locator(".status")).to_have_text("deels")
        expect(promise).to_contain_text("klantgerichte aanpak")
        expect(promise.locator(".points").first).to_have_text("5/10")
        for heading in ("Oefen nu", "Waardecheck"):
            expect(card.get_by_role("heading", name=heading)).to_be_visible()
        expect(card).to_contain_text("Woordkeuze")
        earlier = review.locator("details.scorecard-earlier")
        expect(earlier).to_contain_text(f"Oefening 1 met {PERSONA}")
        expect(earlier.locator("summary .score-pill")).to_have_text(str(first))
        screenshot(review, "scorecard-2-conversation", full_page=True)

        # override one criterion with a note: both scores shown, the automatic one kept
        promise.locator("summary", has_text="Score aanpassen").click()
        promise.get_by_label("Punten (0–10)").fill("8")
        promise.get_by_label("Toelichting").fill(NOTE)
        promise.get_by_role("button", name="Opslaan").click()
        expect(review.get_by_role("status")).to_contain_text(
            "Je aanpassing van ‘Versimpelingsbelofte’ is opgeslagen"
        )
        card = review.locator("section.scorecard")
        expect(card.locator(".score-total-auto .score-total-value")).to_have_text(f"{latest}/100")
        expect(card.locator(".score-total-trainer .score-total-value")).to_have_text(f"{latest + 3}/100")
        promise = card.locator("li.criterion", has_text="Versimpelingsbelofte")
        expect(promise.locator(".points-replaced")).to_have_text("5/10")
        expect(promise.locator(".points-trainer")).to_have_text("8/10")
        expect(promise.locator(".override-note")).to_contain_text(NOTE)
        overrides = card.locator(".overrides")
        expect(overrides).to_contain_text(TRAINER_NAME)
        expect(overrides).to_contain_text("Versimpelingsbelofte: 5 → 8 van 10")
        side = review.locator(".progress-card")
        expect(side).to_contain_text(f"{NAME} met {PERSONA} · 3 pogingen")
        expect(side.locator(".figure", has_text="Beste score")).to_contain_text(f"{latest + 3}/100")
        review.locator("#oefening-2").scroll_into_view_if_needed()
        screenshot(review, "scorecard-3-overridden", full_page=True)

        # the list now sorts and filters by the trainer's score, and still shows the automatic one
        review.goto(f"{servers.web_url}/trainer/?sorteer=score-hoog&score_min={latest + 1}")
        row = review.locator("tr", has=review.locator(f"a.row-link[href$='/gesprek/{twice}']"))
        expect(row.locator(".score-pill")).to_have_text(str(latest + 3))
        expect(row).to_contain_text(f"automatisch {latest}")
        expect(review.locator(f"a.row-link[href$='/gesprek/{once}']")).to_have_count(0)

        # progress: first and best score of the salesperson with this persona
        review.get_by_role("link", name="Voortgang").click()
        expect(review.get_by_role("heading", level=1)).to_have_text("Voortgang")
        expect(review.get_by_text("Effectieve scores.")).to_be_visible()
        group = review.locator("tbody.progress-group", has=review.locator("th", has_text=NAME))
        joost = group.locator("tr", has_text=PERSONA)
        cells = joost.locator("td")
        expect(cells.nth(1)).to_have_text("3")  # attempts
        expect(cells.nth(2).locator(".score-pill")).to_have_text(str(first))
        expect(cells.nth(3).locator(".score-pill")).to_have_text(str(latest + 3))
        expect(cells.nth(3)).to_contain_text(f"automatisch {latest}")
        expect(cells.nth(4).locator(".score-pill")).to_have_text(str(other))
        screenshot(review, "scorecard-4-progress", full_page=True)

        cells.nth(3).locator(".score-pill").click()
        expect(review).to_have_url(re.compile(rf"/gesprek/{twice}#oefening-2$"))
    finally:
        context.close()
    assert dialogs == []
