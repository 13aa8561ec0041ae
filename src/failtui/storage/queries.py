"""The reads and writes failtui makes, as small functions over a :class:`Store`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from failtui.models import (
    KEY_POINT,
    Attempt,
    CardState,
    Correction,
    FollowUpAnswer,
    Grade,
    Rating,
)
from failtui.storage.db import Store

# Re-exported (``X as X``): every query here.
from failtui.storage.home_queries import count_reviews_on as count_reviews_on
from failtui.storage.home_queries import counts_by_deck_on as counts_by_deck_on
from failtui.storage.home_queries import get_setting as get_setting
from failtui.storage.home_queries import set_setting as set_setting
from failtui.storage.home_queries import study_days_desc as study_days_desc
from failtui.studyday import format_utc, read_stored_utc
from failtui.textclean import clean_text, is_empty_answer

if TYPE_CHECKING:
    from sqlite_utils import Database

STATE_COLUMNS = (
    "card_key", "state", "due", "stability", "difficulty", "step", "last_review", "reps",
    "lapses", "buried_until", "suspended",
)  # fmt: skip


def state_from_row(row: sqlite3.Row) -> CardState:
    """A :class:`CardState` from a row holding :data:`STATE_COLUMNS`.

    Every reader of card states comes here, so each takes a damaged row the same way: a rated
    card with no readable time of its last review (a database edited by hand or damaged) is
    read as last reviewed one interval before it is due (see :func:`_estimated_last_review`).
    """
    state = CardState(**{c: row[c] for c in STATE_COLUMNS} | {"suspended": bool(row["suspended"])})
    if state.state != "new" and read_stored_utc(state.last_review) is None:
        state = replace(state, last_review=_estimated_last_review(state))
    return state


def _estimated_last_review(state: CardState) -> str | None:
    """When a rated card that lost the time of its last review was last reviewed, as near as
    its state tells: its due time less its stability in days (FSRS's stability is the interval
    after which recall falls to 90%, the retention it schedules for). None if the state lacks
    either: the card is then taken as never reviewed (no chance of recall is known)."""
    due = read_stored_utc(state.due)
    stability = state.stability
    if due is None or not isinstance(stability, int | float) or not stability > 0:
        return None
    try:
        return format_utc(due - timedelta(days=stability))
    except OverflowError:  # a stability edited by hand into more days than a date can take
        return None


def new_state(card_key: str) -> CardState:
    """The state of a card never rated."""
    return CardState(card_key=card_key, state="new", due=None)


def card_state(store: Store, card_key: str) -> CardState:
    """The stored state of a card, or a new-card state if it was never rated."""
    rows = store.query(
        f"SELECT {', '.join(STATE_COLUMNS)} FROM card_state WHERE card_key = ?", (card_key,)
    )
    return state_from_row(rows[0]) if rows else new_state(card_key)


def card_states(store: Store) -> dict[str, CardState]:
    """Every stored card state, by card key."""
    rows = store.query(f"SELECT {', '.join(STATE_COLUMNS)} FROM card_state")
    return {row["card_key"]: state_from_row(row) for row in rows}


@dataclass(frozen=True)
class RatingRecord:
    """What one rating stores: the attempt, the review, and the card's state before and after."""

    deck_id: str
    answer: str
    grade: Grade
    rating: str
    before: CardState
    after: CardState
    reviewed_at: str
    study_day: str
    interval_before_days: float | None
    interval_after_days: float
    duration_ms: int | None = None
    #: The grader's own grade when the user corrected it (``grade`` is then the corrected one).
    model_grade: Grade | None = None
    #: The items the user labelled differently; a key point marked covered may carry a cue.
    corrections: tuple[Correction, ...] = ()
    #: The card has no key points: the grader made them from its guidance (``answer-N``).
    generated_key_points: bool = False
    #: Said aloud (speak mode): the grade holds the user's ticks and the time measured.
    spoken: bool = False
    #: The answer to the interviewer's follow-up, kept with this attempt.
    followup: FollowUpAnswer | None = None


def stored_key_point_id(record: RatingRecord, item_id: str) -> str:
    """The id a key point is counted under in the statistics.

    A card with no key points of its own is graded against the sentences of its guidance, as
    ``answer-1``, ``answer-2``...; those are the card's alone, so they are stored under the
    card's key (``deck/card:answer-1``) and never merge with another card's. Ids a deck
    defines are kept: one used in several cards on purpose counts together.
    """
    if record.generated_key_points:
        return f"{record.after.card_key}:{item_id}"
    return item_id


_RATING_NUMBER = {r.label: r.value for r in Rating}


def save_rating(store: Store, record: RatingRecord) -> tuple[int, int]:
    """Store a rated attempt, its review and the card's new state in one transaction.

    Returns:
        (attempt id, review id). When this returns, the rating is committed.
    """
    grade = record.grade
    after = record.after
    with store.write() as db:
        attempt_id = cast(
            int,
            db.table("attempts")
            .insert(
                {
                    "card_key": after.card_key,
                    "deck_id": record.deck_id,
                    "answered_at": record.reviewed_at,
                    "answer": clean_text(record.answer),
                    "coverage": grade.coverage,
                    "words": grade.words,
                    "speaking_seconds": grade.speaking_seconds,
                    "lesson_share": grade.lesson_share,
                    "suggested_rating": grade.suggested_rating,
                    "rating": record.rating,
                    "grade_json": json.dumps(grade.to_dict()),
                    "model_grade_json": (
                        json.dumps(record.model_grade.to_dict())
                        if record.corrections and record.model_grade is not None
                        else None
                    ),
                    "spoken": int(record.spoken),
                }
            )
            .last_pk,
        )
        items = [
            {
                "attempt_id": attempt_id,
                "kind": "key_point",
                "item_id": stored_key_point_id(record, k.id),
                "label": k.label,
                "hit": int(k.covered),
                "score": k.score,
                "answered_at": record.reviewed_at,
            }
            for k in grade.key_points
        ] + [
            {
                "attempt_id": attempt_id,
                "kind": "red_flag",
                "item_id": r.id,
                "label": r.label,
                "hit": 1,
                "score": None,
                "answered_at": record.reviewed_at,
            }
            for r in grade.red_flags
        ]
        if items:
            db.table("attempt_items").insert_all(items)
        _save_corrections(db, attempt_id, after.card_key, record)
        if record.followup is not None:
            f = record.followup
            db.execute(
                "INSERT INTO followup_answers (attempt_id, key_point_id, prompt, answer, covered, "
                "evidence, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    attempt_id,
                    f.key_point,
                    clean_text(f.prompt),
                    clean_text(f.answer),
                    int(f.covered),
                    clean_text(f.evidence),
                    record.reviewed_at,
                ),
            )
        review_id = cast(
            int,
            db.table("reviews")
            .insert(
                {
                    "card_key": after.card_key,
                    "deck_id": record.deck_id,
                    "attempt_id": attempt_id,
                    "reviewed_at": record.reviewed_at,
                    "study_day": record.study_day,
                    "rating": _RATING_NUMBER[record.rating],
                    "suggested_rating": grade.suggested_rating,
                    "duration_ms": record.duration_ms,
                    "state_before": record.before.state,
                    "state_after": after.state,
                    "stability_before": record.before.stability,
                    "stability_after": after.stability,
                    "difficulty_before": record.before.difficulty,
                    "difficulty_after": after.difficulty,
                    "due_before": record.before.due,
                    "due_after": after.due,
                    "interval_before_days": record.interval_before_days,
                    "interval_after_days": record.interval_after_days,
                    "card_state_before": json.dumps(asdict(record.before)),
                }
            )
            .last_pk,
        )
        row = asdict(after) | {"deck_id": record.deck_id, "suspended": int(after.suspended)}
        if record.before.state == "new":
            row["first_seen_day"] = record.study_day
        db.table("card_state").upsert(row, pk="card_key")
        db.execute("DELETE FROM drafts WHERE card_key = ?", (after.card_key,))
    return attempt_id, review_id


def _save_corrections(db: Database, attempt_id: int, card_key: str, record: RatingRecord) -> None:
    """The user's labels beside the grader's, and the cues that the user's labels teach."""
    if not record.corrections:
        return
    db.conn.executemany(
        "INSERT INTO attempt_corrections "
        "(attempt_id, kind, item_id, label, model_hit, user_hit, remembered) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (attempt_id, c.kind, c.item_id, c.label, int(c.model), int(c.user), int(c.remembered))
            for c in record.corrections
        ],
    )
    # A cue taught before stays with the attempt that taught it first, so an undo of this
    # rating removes only what this rating added.
    db.conn.executemany(
        "INSERT INTO personal_cues (card_key, key_point_id, cue, attempt_id, created_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [
            (card_key, c.item_id, clean_text(c.cue), attempt_id, record.reviewed_at)
            for c in record.corrections
            if c.kind == KEY_POINT and c.user and c.cue.strip()
        ],
    )


def personal_cues(store: Store, card_key: str) -> dict[str, tuple[str, ...]]:
    """The cues the user taught a card, by key point id, oldest first."""
    cues: dict[str, list[str]] = {}
    for row in store.query(
        "SELECT key_point_id, cue FROM personal_cues WHERE card_key = ? ORDER BY created_at, rowid",
        (card_key,),
    ):
        cues.setdefault(row["key_point_id"], []).append(row["cue"])
    return {kp_id: tuple(c) for kp_id, c in cues.items()}


class PersonalCue(NamedTuple):
    """A personal cue as stored, for ``failtui cues``."""

    #: Its row id: what forgetting it deletes.
    row_id: int
    card_key: str
    key_point_id: str
    cue: str
    #: When the rating that taught it was given (stored UTC text).
    created_at: str


_PERSONAL_CUE_ROWS = "SELECT rowid, card_key, key_point_id, cue, created_at FROM personal_cues"


def personal_cue_rows(store: Store, card_key: str | None = None) -> list[PersonalCue]:
    """Every personal cue (or a card's), by card, then oldest first."""
    where, args = (" WHERE card_key = ?", (card_key,)) if card_key is not None else ("", ())
    rows = store.query(f"{_PERSONAL_CUE_ROWS}{where} ORDER BY card_key, created_at, rowid", args)
    return [PersonalCue(*row) for row in rows]


def forget_learnt(
    store: Store,
    cue_ids: Iterable[int],
    dismissals: Iterable[tuple[str, str, str]],
    forgotten_at: str,
) -> None:
    """Delete these personal cues (by row id) and end these remembered dismissals (card key, red
    flag id, clause), in one write: all or none."""
    with store.write() as db:
        db.conn.executemany("DELETE FROM personal_cues WHERE rowid = ?", [(n,) for n in cue_ids])
        db.conn.executemany(
            "INSERT INTO forgotten_dismissals (card_key, red_flag_id, clause, forgotten_at) "
            "VALUES (?, ?, ?, ?)",
            [(*dismissal, forgotten_at) for dismissal in dismissals],
        )


def cards_with_dismissed_flags(store: Store) -> list[str]:
    """The keys of the cards on whose answers the user ever dismissed a red flag the grader
    raised, sorted (where :func:`red_flag_history` may hold a dismissal)."""
    rows = store.query(
        "SELECT DISTINCT a.card_key FROM attempt_corrections c JOIN attempts a "
        "ON a.id = c.attempt_id WHERE c.kind = 'red_flag' AND c.model_hit = 1 AND c.user_hit = 0 "
        "ORDER BY a.card_key"
    )
    return [row[0] for row in rows]


def red_flag_history(store: Store, card_key: str) -> list[tuple[str, str, bool]]:
    """Every red flag the grader raised on a card's answers, oldest first: (red flag id, the
    clause it stood on, whether the user kept it). Answers whose stored grades do not parse,
    and flags with no clause (a spoken answer's ticks), are left out. A dismissal the user
    forgot (``failtui cues forget``) is in it as the flag kept on its clause, when forgotten."""
    return [event[:3] for event in dated_red_flag_history(store, card_key)]


def dated_red_flag_history(store: Store, card_key: str) -> list[tuple[str, str, bool, str]]:
    """:func:`red_flag_history` with, last, when each answer was given (stored UTC text)."""
    rows = store.query(
        "SELECT grade_json, model_grade_json, answered_at FROM attempts WHERE card_key = ? "
        "ORDER BY answered_at, id",
        (card_key,),
    )
    history = []
    for row in rows:
        try:
            kept = {rf["id"] for rf in json.loads(row["grade_json"])["red_flags"]}
            model = json.loads(row["model_grade_json"] or row["grade_json"])
            raised = [(rf["id"], clean_text(rf.get("evidence") or "")) for rf in model["red_flags"]]
        except (json.JSONDecodeError, KeyError, TypeError):
            continue
        at = row["answered_at"]
        history += [(flag, clause, flag in kept, at) for flag, clause in raised if clause]
    forgotten = store.query(
        "SELECT red_flag_id, clause, forgotten_at FROM forgotten_dismissals WHERE card_key = ?",
        (card_key,),
    )
    history += [(flag, clause, True, at) for flag, clause, at in forgotten]
    # In time order (stored UTC text sorts as time); the sort is stable, so an answer's flags
    # keep their order, and a dismissal forgotten at an answer's very moment comes after it.
    return sorted(history, key=lambda event: event[3])


@dataclass(frozen=True)
class CorrectedAnswer:
    """A stored answer the user corrected: the grader's grade, the user's, and what differs."""

    attempt_id: int
    card_key: str
    deck_id: str
    answered_at: str
    answer: str
    grade: dict[str, Any]  # the grade as the user left it (``failtui grade --json`` form)
    model_grade: dict[str, Any]  # the grader's
    corrections: tuple[Correction, ...]


def corrected_answers(store: Store) -> list[CorrectedAnswer]:
    """Every stored answer with at least one correction, oldest first."""
    rows = store.query(
        "SELECT id, card_key, deck_id, answered_at, answer, grade_json, model_grade_json "
        "FROM attempts WHERE id IN (SELECT attempt_id FROM attempt_corrections) "
        "ORDER BY answered_at, id"
    )
    found = []
    for row in rows:
        items = store.query(
            "SELECT kind, item_id, label, model_hit, user_hit, remembered FROM attempt_corrections "
            "WHERE attempt_id = ? ORDER BY kind, item_id",
            (row["id"],),
        )
        found.append(
            CorrectedAnswer(
                attempt_id=row["id"],
                card_key=row["card_key"],
                deck_id=row["deck_id"],
                answered_at=row["answered_at"],
                answer=clean_text(row["answer"]),
                grade=json.loads(row["grade_json"]),
                model_grade=json.loads(row["model_grade_json"] or row["grade_json"]),
                corrections=tuple(
                    Correction(
                        i["kind"],
                        i["item_id"],
                        i["label"],
                        bool(i["model_hit"]),
                        bool(i["user_hit"]),
                        remembered=bool(i["remembered"]),
                    )
                    for i in items
                ),
            )
        )
    return found


class UndoneReview(NamedTuple):
    """A review taken back by :func:`undo_review` or :func:`undo_newest_review`."""

    card_key: str
    rating: int
    #: When it was given (stored UTC text).
    reviewed_at: str
    #: The answer of its attempt.
    answer: str
    #: The card's draft now: the answer, or below a different draft the user had typed since.
    draft: str


def newest_review(store: Store) -> tuple[int, str, int, str] | None:
    """The newest review: (id, card key, rating 1-4, reviewed at), or None when there is none.

    Being the newest of all, it is also its card's newest, so :func:`undo_review` can take it
    back without disturbing a later one.
    """
    rows = store.query(
        "SELECT id, card_key, rating, reviewed_at FROM reviews ORDER BY id DESC LIMIT 1"
    )
    return cast("tuple[int, str, int, str]", tuple(rows[0])) if rows else None


def undo_newest_review(
    store: Store, now_iso: str, *, review_id: int | None = None
) -> UndoneReview | None:
    """Undo the newest review of all (as :func:`undo_review`), chosen in the same transaction.

    Chosen and undone in one write, no other process can rate or undo in between, so the
    review undone is still the newest of all and no later rating is disturbed.

    Returns:
        What was undone, or None when there is no review, or when ``review_id`` is given and
        the newest review is no longer that one (another failtui rated or undid meanwhile).
    """
    with store.write() as db:
        newest = newest_review(store)
        if newest is None or review_id not in (None, newest[0]):
            return None
        return _undo_review_in(store, db, newest[0], now_iso)


def undo_review(store: Store, review_id: int, now_iso: str) -> UndoneReview | None:
    """Undo a review completely: card state, review, attempt. The answer goes back to the draft.

    Returns:
        What was undone, or None if that review no longer exists.
    """
    with store.write() as db:
        return _undo_review_in(store, db, review_id, now_iso)


def _undo_review_in(
    store: Store, db: Database, review_id: int, now_iso: str
) -> UndoneReview | None:
    """:func:`undo_review` inside a write transaction the caller holds."""
    rows = store.query(
        "SELECT r.card_key, r.rating, r.reviewed_at, r.attempt_id, r.card_state_before, "
        "a.answer FROM reviews r LEFT JOIN attempts a ON a.id = r.attempt_id WHERE r.id = ?",
        (review_id,),
    )
    if not rows:
        return None
    row = rows[0]
    before = json.loads(row["card_state_before"])
    if before["state"] == "new":
        db.execute("DELETE FROM card_state WHERE card_key = ?", (row["card_key"],))
    else:
        sets = ", ".join(f"{c} = :{c}" for c in before if c != "card_key")
        db.execute(f"UPDATE card_state SET {sets} WHERE card_key = :card_key", before)
    db.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
    answer = row["answer"] or ""
    if row["attempt_id"] is not None:
        # Its corrections and the cues it taught go with it (also by the foreign keys; said
        # here so that an undo never depends on the connection's foreign_keys setting).
        db.execute("DELETE FROM personal_cues WHERE attempt_id = ?", (row["attempt_id"],))
        db.execute("DELETE FROM attempt_corrections WHERE attempt_id = ?", (row["attempt_id"],))
        db.execute("DELETE FROM followup_answers WHERE attempt_id = ?", (row["attempt_id"],))
        db.execute("DELETE FROM attempts WHERE id = ?", (row["attempt_id"],))
    # What the user typed is never thrown away: the answer becomes the card's draft again, and
    # a different draft typed since (the card shown again, text typed, then undo) stays first,
    # the old answer below it.
    typed = load_draft(store, row["card_key"]).strip()
    draft = answer
    if typed and typed != answer.strip():
        draft = typed if is_empty_answer(answer) else f"{typed}\n\n{answer}"
    db.execute(
        "INSERT INTO drafts (card_key, text, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(card_key) DO UPDATE SET text = excluded.text, "
        "updated_at = excluded.updated_at",
        (row["card_key"], draft, now_iso),
    )
    return UndoneReview(row["card_key"], row["rating"], row["reviewed_at"], answer, draft)


def save_draft(store: Store, card_key: str, text: str, now_iso: str) -> None:
    """Keep the answer being typed for a card (an empty text removes it)."""
    _save_draft_part(store, card_key, "text", text, now_iso)


def save_followup_draft(store: Store, card_key: str, text: str, now_iso: str) -> None:
    """Keep the answer being typed to the follow-up asked after a card's answer, beside that
    answer's draft (an empty text removes it)."""
    _save_draft_part(store, card_key, "followup", text, now_iso)


def _save_draft_part(store: Store, card_key: str, column: str, text: str, now_iso: str) -> None:
    """Store one text of a card's draft row (``text``: the answer, ``followup``: the answer to
    the follow-up); the row goes once both are empty."""
    kept = "" if is_empty_answer(text) else clean_text(text)
    answer, followup = (kept, "") if column == "text" else ("", kept)
    with store.write() as db:
        db.execute(
            "INSERT INTO drafts (card_key, text, followup, updated_at) VALUES (?, ?, ?, ?) "
            f"ON CONFLICT(card_key) DO UPDATE SET {column} = excluded.{column}, "
            "updated_at = excluded.updated_at",
            (card_key, answer, followup, now_iso),
        )
        db.execute(
            "DELETE FROM drafts WHERE card_key = ? AND text = '' AND followup = ''", (card_key,)
        )


def load_draft(store: Store, card_key: str) -> str:
    """The saved draft of a card, or an empty string."""
    rows = store.query("SELECT text FROM drafts WHERE card_key = ?", (card_key,))
    # Cleaned again on the way out: rows written by hand or an older failtui may hold escapes.
    return clean_text(rows[0]["text"]) if rows else ""


def load_followup_draft(store: Store, card_key: str) -> str:
    """The saved draft of the answer to a card's follow-up, or an empty string."""
    rows = store.query("SELECT followup FROM drafts WHERE card_key = ?", (card_key,))
    return clean_text(rows[0]["followup"]) if rows else ""


def draft_keys(store: Store) -> list[str]:
    """Cards with a saved draft, most recent first."""
    return [
        r["card_key"] for r in store.query("SELECT card_key FROM drafts ORDER BY updated_at DESC")
    ]


def set_card_flags(
    store: Store,
    card_key: str,
    deck_id: str,
    *,
    buried_until: str | None = None,
    suspended: bool | None = None,
) -> None:
    """Bury a card until a moment, or (un)suspend it, creating its state row if needed."""
    with store.write() as db:
        db.execute(
            "INSERT INTO card_state (card_key, deck_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (card_key, deck_id),
        )
        if buried_until is not None:
            db.execute(
                "UPDATE card_state SET buried_until = ? WHERE card_key = ?",
                (buried_until, card_key),
            )
        if suspended is not None:
            db.execute(
                "UPDATE card_state SET suspended = ? WHERE card_key = ?", (int(suspended), card_key)
            )


def attempts_for_card(store: Store, card_key: str) -> list[Attempt]:
    """Earlier attempts at a card, newest first, each with its follow-up answer if any."""
    rows = store.query(
        "SELECT a.id, a.card_key, a.answered_at, a.answer, a.coverage, a.words, a.rating, "
        "a.suggested_rating, a.grade_json, a.spoken, a.speaking_seconds, f.key_point_id, "
        "f.prompt, f.answer AS followup_answer, f.covered, f.evidence "
        "FROM attempts a LEFT JOIN followup_answers f ON f.attempt_id = a.id "
        "WHERE a.card_key = ? ORDER BY a.answered_at DESC, a.id DESC",
        (card_key,),
    )
    # Cleaned on the way out too (see load_draft): this text goes to the screen.
    return [
        Attempt(
            id=row["id"],
            card_key=row["card_key"],
            answered_at=row["answered_at"],
            answer=clean_text(row["answer"]),
            coverage=row["coverage"],
            words=row["words"],
            rating=row["rating"],
            suggested_rating=row["suggested_rating"],
            grade_json=row["grade_json"],
            spoken_seconds=row["speaking_seconds"] if row["spoken"] else None,
            followup=(
                FollowUpAnswer(
                    row["key_point_id"],
                    clean_text(row["prompt"]),
                    clean_text(row["followup_answer"]),
                    bool(row["covered"]),
                    clean_text(row["evidence"]),
                )
                if row["key_point_id"] is not None
                else None
            ),
        )
        for row in rows
    ]


def count_new_on(store: Store, day: str) -> int:
    """How many new cards were first rated on a study day."""
    return int(
        store.query(
            "SELECT count(*) FROM reviews WHERE study_day = ? AND state_before = 'new'", (day,)
        )[0][0]
    )


def mark_deleted(store: Store, live_keys: Iterable[str]) -> None:
    """Flag stored cards that no longer exist in any deck as deleted (their history stays)."""
    live = set(live_keys)
    stored = {r[0]: r[1] for r in store.query("SELECT card_key, deleted FROM card_state")}
    changes = [
        (int(k not in live), k) for k, deleted in stored.items() if deleted != (k not in live)
    ]
    if changes:
        with store.write() as db:
            db.conn.executemany("UPDATE card_state SET deleted = ? WHERE card_key = ?", changes)
