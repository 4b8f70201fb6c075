"""The trainer review pages (Blueprint at ``/trainer``): conversation list, transcript, notes, tags,
rehearsal scorecards with the trainers' overrides, progress per salesperson, export.

Every page needs a logged-in trainer (see :mod:`web.auth`); every POST form carries a CSRF
token. Pages are server-rendered Jinja with autoescaping and no JavaScript; responses under
``/trainer`` get a strict Content-Security-Policy and are never cached. Flash messages are
codes; their Dutch text lives in ``review/base.html``.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from bot.slot_shapes.scorecard import SCORE_MAX
from web import listing, store
from web.auth import (
    check_csrf,
    csrf_token,
    current_trainer,
    log_in,
    log_out,
    login_required,
    safe_next,
    verify_login,
)
from web.export import FORMATS, ExportItem, export
from web.formatting import FILTERS
from web.login_throttle import LoginThrottle, Refusal, wait_minutes
from web.scores import Progress, ReviewedScorecard, review_scorecards, salesperson_key
from web.transcript import ChartNumbers, Conversation

__all__ = [
    "FILTER_PARAMS",
    "OUTCOME_PARAMS",
    "SORT_PARAMS",
    "Bar",
    "chart_bars",
    "filters_from",
    "review",
    "scorecard_markers",
    "sort_from",
]

logger = logging.getLogger(__name__)
review = Blueprint("review", __name__, url_prefix="/trainer")

# The verdict filter's values in URLs and on the command line, and the outcome each one selects.
OUTCOME_PARAMS: dict[str, listing.Outcome] = {
    "promotor": "promoter",
    "tevreden": "satisfied",
    "ontevreden": "dissatisfied",
    "geen": "none",
}
FLAGGED_PARAMS = {"ja": True, "nee": False}
# The list's order in URLs and on the command line (the first is the default).
SORT_PARAMS: dict[str, listing.Sort] = {
    "nieuwste": "newest",
    "oudste": "oldest",
    "score-hoog": "score_desc",
    "score-laag": "score_asc",
}
# Every query parameter of the list that selects or orders conversations (kept by exports and links).
FILTER_PARAMS = ("van", "tot", "oordeel", "coaching", "tag", "score_min", "score_max", "sorteer")
_SCORE = re.compile(r"^\d{1,3}$")
_PAGE = re.compile(r"^\d{1,9}$")
_POINTS = re.compile(r"^-?\d{1,6}$")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
SESSION_LIFETIME = timedelta(hours=12)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Bar:
    """One bar of the value-versus-price chart: which total, its amount and its share of the longest bar."""

    key: str
    amount: Decimal
    share: float


def chart_bars(numbers: ChartNumbers) -> list[Bar]:
    """Expected value, full value and price as bars scaled to the largest (negative totals draw no bar)."""
    totals = [
        ("value_expected", numbers.value_expected),
        ("value_full", numbers.value_full),
        ("price", numbers.price),
    ]
    largest = max((amount for _, amount in totals), default=Decimal(0))
    return [
        Bar(key, amount, float(max(amount, Decimal(0)) / largest) if largest > 0 else 0.0)
        for key, amount in totals
    ]


def _score_param(args: Mapping[str, str], name: str, invalid: list[str]) -> int | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    if not _SCORE.match(text) or int(text) > SCORE_MAX:
        invalid.append(name)
        return None
    return int(text)


def sort_from(args: Mapping[str, str]) -> tuple[listing.Sort, list[str]]:
    """The list's order from the query parameter sorteer; newest first when absent or not understood."""
    text = (args.get("sorteer") or "").strip()
    if text and text not in SORT_PARAMS:
        return "newest", ["sorteer"]
    return SORT_PARAMS.get(text, "newest"), []


def scorecard_markers(
    conversation: Conversation, scorecards: Sequence[ReviewedScorecard]
) -> dict[int, list[ReviewedScorecard]]:
    """Where each rehearsal ended in the transcript: the index of the last message said before its
    scorecard was stored (scorecards stored before any message are left out)."""
    markers: dict[int, list[ReviewedScorecard]] = {}
    for reviewed in scorecards:
        before = [n for n, message in enumerate(conversation.messages) if message.time <= reviewed.card.time]
        if before:
            markers.setdefault(before[-1], []).append(reviewed)
    return markers


def filters_from(args: Mapping[str, str]) -> tuple[listing.ConversationFilter, list[str]]:
    """The list filters from query parameters van, tot (YYYY-MM-DD), oordeel, coaching (ja/nee), tag,
    score_min and score_max (0..100, the effective score of the latest rehearsal).

    Returns the filter and the names of parameters that were given but not understood (those are ignored).
    """
    invalid = []
    dates: dict[str, date | None] = {}
    for name in ("van", "tot"):
        text = (args.get(name) or "").strip()
        dates[name] = None
        if text:
            try:
                dates[name] = date.fromisoformat(text)
            except ValueError:
                invalid.append(name)
    outcome_text = (args.get("oordeel") or "").strip()
    flagged_text = (args.get("coaching") or "").strip()
    if outcome_text and outcome_text not in OUTCOME_PARAMS:
        invalid.append("oordeel")
    if flagged_text and flagged_text not in FLAGGED_PARAMS:
        invalid.append("coaching")
    filters = listing.ConversationFilter(
        start=dates["van"],
        end=dates["tot"],
        outcome=OUTCOME_PARAMS.get(outcome_text),
        flagged=FLAGGED_PARAMS.get(flagged_text),
        tag=clean_tag(args.get("tag") or "") or None,
        min_score=_score_param(args, "score_min", invalid),
        max_score=_score_param(args, "score_max", invalid),
    )
    return filters, invalid


def clean_tag(text: str) -> str:
    """A tag as stored: trimmed, inner spaces collapsed, at most MAX_TAG_LENGTH characters."""
    return _SPACES.sub(" ", text).strip()[: store.MAX_TAG_LENGTH]


def _database() -> store.Database:
    return current_app.extensions["waardecoach_database"]


@review.record_once
def _setup(state: Any) -> None:
    app: Flask = state.app
    settings = app.extensions["waardecoach_settings"]
    app.extensions.setdefault("waardecoach_database", store.engine_for(settings.database_url))
    app.config["PERMANENT_SESSION_LIFETIME"] = SESSION_LIFETIME  # Flask's own default is 31 days
    app.jinja_env.filters.update(FILTERS)
    # Flask autoescapes .html files only; the shared macros in review/_labels.jinja print stored
    # text (a salesperson's name, a persona's name), so they are escaped on the pages too.
    # (The Markdown export has its own environment, without HTML escaping.)
    html_only = app.jinja_env.autoescape
    app.jinja_env.autoescape = lambda name: bool(name and name.endswith(".jinja")) or (
        html_only(name) if callable(html_only) else bool(html_only)
    )
    app.jinja_env.globals.update(csrf_token=csrf_token, current_trainer=current_trainer)


@review.before_request
def _csrf() -> None:
    check_csrf()


@review.after_app_request
def _security_headers(response: Response) -> Response:
    if request.path == "/trainer" or request.path.startswith("/trainer/"):
        response.headers.update(SECURITY_HEADERS)
    return response


@review.errorhandler(HTTPException)
def _error(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 500
    reason = "csrf" if code == 400 and error.description == "csrf" else str(code)
    return render_template("review/error.html", code=code, reason=reason), code


@review.errorhandler(sa.exc.OperationalError)
def _database_down(error: sa.exc.OperationalError) -> ResponseReturnValue:
    logger.error("The conversation database cannot be reached: %s", error)
    return render_template("review/error.html", code=503, reason="503"), 503


@review.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    trainers = current_app.extensions["waardecoach_settings"].trainers
    if not trainers:
        return render_template("review/not_configured.html"), 403
    target = safe_next(request.values.get("next"))
    if request.method != "POST":
        if current_trainer() is not None:
            return redirect(target or url_for("review.conversations"))
        return render_template("review/login.html", next=target, name="", failed=False)
    name = request.form.get("naam", "").strip()
    throttle: LoginThrottle = current_app.extensions["waardecoach_login_throttle"]
    attempt = throttle.attempt(name[:64], request.remote_addr or "")
    if isinstance(attempt, Refusal):  # refused at once, no password checked
        page = render_template(
            "review/login.html",
            next=target,
            name=name,
            failed=False,
            refused=attempt.reason,
            wait_minutes=wait_minutes(attempt.seconds),
        )
        return page, 429, {"Retry-After": str(math.ceil(attempt.seconds))}
    trainer = None
    try:
        trainer = verify_login(trainers, name, request.form.get("wachtwoord", ""))
    finally:
        throttle.finished(attempt, succeeded=trainer is not None)
    if trainer is None:
        current_app.logger.warning("failed trainer login for name %r from %s", name[:64], request.remote_addr)
        return render_template("review/login.html", next=target, name=name, failed=True), 401
    log_in(trainer)
    current_app.logger.info("trainer %r logged in", trainer.name)
    return redirect(target or url_for("review.conversations"))


@review.post("/logout")
def logout() -> ResponseReturnValue:
    log_out()
    flash("", "logged_out")
    return redirect(url_for("review.login"))


@review.get("/")
@login_required
def conversations() -> ResponseReturnValue:
    filters, invalid = filters_from(request.args)
    sort, wrong_sort = sort_from(request.args)
    number = (request.args.get("pagina") or "").strip()
    page = listing.conversation_page(_database(), filters, sort, int(number) if _PAGE.match(number) else 1)
    return render_template(
        "review/list.html",
        page=page,
        args=request.args,
        invalid=invalid + wrong_sort,
        filtered=any((request.args.get(name) or "").strip() for name in FILTER_PARAMS if name != "sorteer"),
        sort=sort,
        kept=_filter_args(request.args),
        outcome_params=OUTCOME_PARAMS,
        sort_params=SORT_PARAMS,
        score_max=SCORE_MAX,
    )


def _conversation_or_404(sender_id: str) -> Conversation:
    conversation = store.load_conversation(_database(), sender_id)
    if conversation is None:
        abort(404)
    return conversation


@review.get("/gesprek/<path:sender_id>")
@login_required
def conversation(sender_id: str) -> ResponseReturnValue:
    found = _conversation_or_404(sender_id)
    verdict = found.verdict
    scorecards = review_scorecards(found, store.list_overrides(_database(), sender_id))
    return render_template(
        "review/conversation.html",
        c=found,
        scorecards=scorecards,
        markers=scorecard_markers(found, scorecards),
        progress=_progress_of(scorecards),
        notes=store.list_notes(_database(), sender_id),
        tags=store.list_tags(_database(), sender_id),
        bars=chart_bars(verdict.numbers) if verdict is not None and verdict.numbers is not None else None,
        max_note_length=store.MAX_NOTE_LENGTH,
        max_tag_length=store.MAX_TAG_LENGTH,
    )


def _back_to(sender_id: str, anchor: str) -> ResponseReturnValue:
    return redirect(url_for("review.conversation", sender_id=sender_id, _anchor=anchor))


@review.post("/gesprek/<path:sender_id>/notitie")
@login_required
def add_note(sender_id: str) -> ResponseReturnValue:
    _conversation_or_404(sender_id)
    text = request.form.get("tekst", "").replace("\r\n", "\n").strip()
    if not text:
        flash("", "note_empty")
    elif len(text) > store.MAX_NOTE_LENGTH:
        flash(str(store.MAX_NOTE_LENGTH), "note_too_long")
    else:
        store.add_note(_database(), sender_id, current_trainer() or "", text)
        flash("", "note_added")
    return _back_to(sender_id, "notities")


@review.post("/gesprek/<path:sender_id>/oefening/<int:number>/aanpassen")
@login_required
def override_score(sender_id: str, number: int) -> ResponseReturnValue:
    """A trainer's points and note for one criterion of one rehearsal's scorecard."""
    found = _conversation_or_404(sender_id)
    if not 1 <= number <= len(found.scorecards):
        abort(404)
    card = found.scorecards[number - 1]
    criterion = card.criterion(request.form.get("criterium", ""))
    if criterion is None:
        abort(400)
    points_text = request.form.get("punten", "").strip()
    note = request.form.get("toelichting", "").replace("\r\n", "\n").strip()
    if not _POINTS.match(points_text):
        flash(str(criterion.max_points), "override_points")
    elif not note:
        flash("", "override_note_empty")
    elif len(note) > store.MAX_NOTE_LENGTH:
        flash(str(store.MAX_NOTE_LENGTH), "note_too_long")
    else:
        override = store.add_override(
            _database(), sender_id, card, criterion.id, int(points_text), note, current_trainer() or ""
        )
        if override.points != int(points_text):
            flash(f"{override.points} van {criterion.max_points}", "override_clamped")
        flash(criterion.name, "override_saved")
    return _back_to(sender_id, f"oefening-{number}")


def _progress_of(scorecards: Sequence[ReviewedScorecard]) -> list[Progress]:
    """The progress of the salespeople and personas of these scorecards, over every conversation."""
    if not scorecards:
        return []
    pairs = {(salesperson_key(s.card.salesperson), s.card.persona_id) for s in scorecards}
    rows = listing.progress(_database(), {salesperson for salesperson, _ in pairs})
    return [row for row in rows if (salesperson_key(row.salesperson), row.persona_id) in pairs]


@review.get("/voortgang")
@login_required
def progress_page() -> ResponseReturnValue:
    """Per salesperson and persona: attempts, first, best and latest effective score."""
    rows = listing.progress(_database())
    groups: list[tuple[str, list[Progress]]] = []
    for row in rows:
        if groups and salesperson_key(groups[-1][0]) == salesperson_key(row.salesperson):
            groups[-1][1].append(row)
        else:
            groups.append((row.salesperson, [row]))
    return render_template("review/progress.html", groups=groups, attempts=sum(row.attempts for row in rows))


@review.post("/gesprek/<path:sender_id>/tags")
@login_required
def add_tag(sender_id: str) -> ResponseReturnValue:
    _conversation_or_404(sender_id)
    tag = clean_tag(request.form.get("tag", ""))
    if not tag:
        flash("", "tag_empty")
    elif store.add_tag(_database(), sender_id, tag):
        flash(tag, "tag_added")
    else:
        flash(tag, "tag_exists")
    return _back_to(sender_id, "tags")


@review.post("/gesprek/<path:sender_id>/tags/verwijderen")
@login_required
def remove_tag(sender_id: str) -> ResponseReturnValue:
    tag = request.form.get("tag", "")
    if store.remove_tag(_database(), sender_id, tag):
        flash(tag, "tag_removed")
    return _back_to(sender_id, "tags")


@review.route("/gesprek/<path:sender_id>/verwijderen", methods=["GET", "POST"])
@login_required
def delete(sender_id: str) -> ResponseReturnValue:
    if request.method != "POST":
        return render_template("review/confirm_delete.html", c=_conversation_or_404(sender_id))
    store.delete_conversation(_database(), sender_id)
    current_app.logger.info("trainer %r deleted conversation %r", current_trainer(), sender_id)
    flash(sender_id, "deleted")
    return redirect(url_for("review.conversations"))


@review.get("/export")
@login_required
def download() -> ResponseReturnValue:
    format = request.args.get("format", "")
    if format not in FORMATS:
        abort(400)
    ids = [sender_id for sender_id in request.args.getlist("id") if sender_id]
    database = _database()
    if ids:
        found = store.load_conversations(database, ids)
    elif request.args.get("selectie"):
        flash("", "nothing_selected")
        return redirect(url_for("review.conversations", **_filter_args(request.args)))
    else:
        filters, _ = filters_from(request.args)
        sort, _ = sort_from(request.args)
        found = listing.listed_conversations(database, filters, sort)
    sender_ids = [c.id for c in found]
    notes = store.notes_by_conversation(database, sender_ids)
    tags = store.tags_by_conversation(database, sender_ids)
    overrides = store.overrides_by_conversation(database, sender_ids)
    items = [ExportItem(c, notes.get(c.id, ()), tags.get(c.id, ()), overrides.get(c.id, ())) for c in found]
    result = export(items, format)  # type: ignore[arg-type]
    return Response(
        result.content,
        content_type=result.media_type,
        headers={"Content-Disposition": f'attachment; filename="{result.filename}"'},
    )


def _filter_args(args: Mapping[str, str]) -> dict[str, str]:
    return {name: args[name] for name in FILTER_PARAMS if args.get(name)}
