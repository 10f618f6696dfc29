"""One entry point for every scan from every device: parse, apply, and remember the answer.

Each scan is one transaction: its effects and its ``ScanEvent`` (raw code, parse, outcome, the answer
given) commit together. A refused scan leaves only its ``ScanEvent``. A scan id seen before gets the
stored answer back and writes nothing, so an offline queue can be replayed as often as the Wi-Fi wants.
Scans that rules hold back (over-receipt, unexpected item, large count variance) wait as ``pending``
until a supervisor accepts or rejects them.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from server.database import retrying, write_transaction
from server.domain.barcodes import BarcodeError
from server.domain.errors import Conflict, DomainError, NotFound
from server.extensions import db
from server.models import ScanEvent
from server.models.base import utcnow
from server.queries.lookup import read_scan
from server.services.scans import counting, picking, reception
from server.services.scans.common import Outcome, PendingDecision, Scan, prepare, say

HANDLERS = {
    "lookup": counting.lookup,
    "receive": reception.receive,
    "put_away": reception.put_away,
    "pick": picking.pick,
    "ship": picking.ship,
    "count": counting.count,
    "transfer": counting.transfer,
}
ACTIONS = tuple(HANDLERS)
OUTCOMES = {200: "looked_up", 201: "applied", 202: "pending"}
MAX_BATCH = 500

# Every scan runs these two: Core statements built once (no ORM objects on the hot path).
_EVENTS = ScanEvent.__table__
_STORED = select(_EVENTS.c.raw_code, _EVENTS.c.action, _EVENTS.c.context, _EVENTS.c.user_id, _EVENTS.c.status,
                 _EVENTS.c.response).where(_EVENTS.c.client_event_id == bindparam("cid"))
_INSERT = insert(_EVENTS)


def apply(scan: Scan) -> tuple[int, dict]:
    """Apply one scan exactly once. Returns (status, answer); the answer's messages are in both languages."""
    stored = _stored(scan)
    if stored is not None:
        return stored
    try:
        # (a company's own all-digit code, and on a look-up a SKU typed by hand: see read_scan)
        parsed = read_scan(db.session, scan.code, skus=scan.action == "lookup")
    except BarcodeError as refusal:
        return _record_refusal(scan, None, refusal)
    parsed = prepare(db.session, scan, parsed)  # outside the write lock: see Ready

    def attempt():
        with write_transaction() as s:
            outcome = HANDLERS[scan.action](s, scan, parsed)
            return _insert_event(s, scan, parsed.to_dict(), outcome.status, outcome.body)
    try:
        return retrying(attempt)
    except IntegrityError:
        db.session.rollback()
        stored = _stored(scan)
        if stored is None:  # the id is another write's (an adjustment, a transfer typed at the desk)
            raise _reused() from None
        return stored
    except PendingDecision as held:
        return _record(scan, parsed.to_dict(), 202, {**_answer(scan, "pending", held), **held.shown})
    except DomainError as refusal:
        return _record_refusal(scan, parsed.to_dict(), refusal)


def apply_batch(scans: list[Scan]) -> list[tuple[str, int, dict]]:
    """An offline queue, in the order it was scanned; one answer per scan, each in its own transaction. A scan
    refused before it could be kept (its id already used for something else) gets that refusal as its answer:
    the scans after it still go in, or one bad entry would block the device's queue for good."""
    answers = []
    for scan in scans:
        try:
            answers.append((scan.client_event_id, *apply(scan)))
        except DomainError as refusal:
            db.session.rollback()
            answers.append((scan.client_event_id, refusal.status, _answer(scan, "refused", refusal)))
    return answers


def decide(client_event_id: str, *, accept: bool, note: str | None, user_id: int,
           rest: str = "short") -> tuple[int, dict]:
    """A supervisor accepts (the scan is applied as it stands) or rejects a pending scan. Read and decided in one
    transaction, the row locked (SQLite: the write lock), so two supervisors deciding at once cannot both win.
    ``rest``: for a shipment held with lines not picked, what they become (``Scan.rest``)."""
    try:
        return _decide(client_event_id, accept=accept, note=note, user_id=user_id, rest=rest)
    except IntegrityError:
        # The scan's id (or one derived from it) was taken by another write meanwhile: applying it again would
        # fail the same way for ever. Nothing was written; the scan stays pending, to be rejected.
        db.session.rollback()
        raise Conflict("client_event_id_reused", "This scan's id has since been used by another write: it cannot "
                       "be applied. Reject it and scan again.",
                       "L'identifiant de ce scan a depuis servi à une autre écriture : il ne peut pas être appliqué. "
                       "Refusez-le et scannez de nouveau.", field="client_event_id") from None


def _decide(client_event_id: str, *, accept: bool, note: str | None, user_id: int, rest: str) -> tuple[int, dict]:
    with write_transaction() as s:
        event = s.scalar(select(ScanEvent).where(ScanEvent.client_event_id == client_event_id)
                         .with_for_update().execution_options(populate_existing=True))
        if event is None:
            raise NotFound("unknown_scan", "No such scan.", "Scan introuvable.")
        if event.outcome != "pending":
            raise Conflict("not_pending", f"This scan is {event.outcome}, not waiting for a decision.",
                           f"Ce scan est « {event.outcome} », il n'attend pas de décision.")
        scan = Scan(event.client_event_id, event.raw_code, event.occurred_at, event.action, dict(event.context),
                    event.user_id, event.device, forced=True, rest=rest,
                    held=((event.response or {}).get("error") or {}).get("details") or {})
        if accept:
            outcome = HANDLERS[scan.action](s, scan, read_scan(s, scan.code))
        else:
            outcome = Outcome(200, {"outcome": "rejected", "action": scan.action,
                                    "message": say("Rejected by a supervisor: nothing was booked.",
                                                   "Refusé par un responsable : rien n'a été enregistré.")})
        body = _jsonable({"client_event_id": scan.client_event_id, "action": scan.action, **outcome.body})
        event.outcome = body["outcome"]
        event.status, event.response = outcome.status, body
        s.add(event)
        event.decided_by_id, event.decided_at, event.decision_note = user_id, utcnow(), note
    return outcome.status, body


def _stored(scan: Scan) -> tuple[int, dict] | None:
    row = db.session.execute(_STORED, {"cid": scan.client_event_id}).first()
    if row is None:
        return None
    # A replay is the same scan sent again by the same user; the same id with another code, action or context
    # (another bin, another quantity) is a device bug whose scan would otherwise be dropped in silence, and from
    # another user someone else's scan: its answer is not theirs to read (ids are listed to supervisors).
    if (row.raw_code, row.action, row.context or {}, row.user_id) != \
            (scan.code, scan.action, scan.context or {}, scan.user_id):
        raise _reused()
    return row.status, row.response


def _reused() -> Conflict:
    return Conflict("client_event_id_reused", "This scan id was already used for something else.",
                    "Cet identifiant de scan a déjà servi pour autre chose.", field="client_event_id")


def _answer(scan: Scan, outcome: str, error: DomainError) -> dict:
    return {"client_event_id": scan.client_event_id, "action": scan.action, "outcome": outcome,
            "error": error.as_record(), "message": say(error.en, error.fr)}


def _record_refusal(scan: Scan, parsed: dict | None, refusal: DomainError) -> tuple[int, dict]:
    return _record(scan, parsed, refusal.status, _answer(scan, "refused", refusal))


def _record(scan: Scan, parsed: dict | None, status: int, body: dict) -> tuple[int, dict]:
    """Keep the scan and the answer it got, alone in its own transaction (nothing else was written)."""
    try:
        with write_transaction() as s:
            return _insert_event(s, scan, parsed, status, body)
    except IntegrityError:
        db.session.rollback()
        return _stored(scan)


def _insert_event(s, scan: Scan, parsed: dict | None, status: int, body: dict) -> tuple[int, dict]:
    """Keep the scan with the answer it got; returns that answer as a replay will get it."""
    body = _jsonable({"client_event_id": scan.client_event_id, "action": scan.action, **body})
    outcome = body.get("outcome") or OUTCOMES.get(status, "refused")
    error = (body.get("error") or {}).get("code")
    s.execute(_INSERT, {"client_event_id": scan.client_event_id, "raw_code": scan.code[:512], "action": scan.action,
                        "context": scan.context, "parsed": parsed, "outcome": outcome, "error_code": error,
                        "status": status, "response": body, "occurred_at": scan.occurred_at,
                        "recorded_at": utcnow(), "user_id": scan.user_id, "device": scan.device})
    return status, body


def _jsonable(value: dict) -> dict:
    """Answers are stored as JSON: Decimals become numbers and dates ISO strings, as the API sends them.
    (One pass of the C encoder and decoder: a receive's answer lists every line of the order.)"""
    return json.loads(json.dumps(value, default=_plain))


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")
