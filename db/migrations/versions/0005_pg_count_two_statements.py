"""pg count two statements: a verify count runs two SQL statements on the server, not seven

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 14:00:00

PostgreSQL only. Profiled under twenty saturating stations (perf on the server), revision
0004's ``pickpack_count_item`` spent its CPU starting and ending statements, not doing their
work: the order lock, the barcode and line read, the count, the event insert, the event
trigger's own plpgsql call with its "is anyone watching" probe, and the result set, each paid
for executor set-up, snapshot and memory contexts. A count now runs two statements:

1. the order row locked, read together with the barcode and the line with most still to count;
2. the line counted and the event appended in one statement (a data-modifying WITH), which also
   asks whether another station has the order open for verify (after the lock: an opening
   committed while this count waited is seen).

Only when the count fills its line is a third asked: are the order's other lines full too.

Statement 2 takes its snapshot after statement 1 got the lock, so it sees every count committed
before: counts do not race and the last one is never missed. Statement 1's line read may
predate a count another station committed while this one waited for the lock (only when two
stations count the same order at once); a count it refuses is therefore read again and retried
once with a fresh snapshot, so the refusal (and its message) is always the truth. The result is
one row of OUT parameters (``order_no`` NULL: no such order) rather than a set.

The event trigger now skips ``item_scanned`` in its WHEN clause, evaluated without calling the
trigger function at all; the count function rings the doorbell itself, only when another
station has the order open (as revision 0004 decided). Anything else that appends an
``item_scanned`` (the offline sync) notifies for itself.
"""
from __future__ import annotations

from importlib import import_module
from types import ModuleType

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

TRIGGER_BUT_COUNTS = (
    "CREATE TRIGGER event_notify AFTER INSERT ON event FOR EACH ROW "
    "WHEN (NEW.kind <> 'item_scanned') EXECUTE FUNCTION pickpack_notify_event()"
)
TRIGGER_ALL = (
    "CREATE TRIGGER event_notify AFTER INSERT ON event "
    "FOR EACH ROW EXECUTE FUNCTION pickpack_notify_event()"
)

OLD_SIGNATURE = ("pickpack_count_item(integer, text, integer, text, text[], text, text, text, "
                 "timestamptz)")

# Payloads are laid out exactly as Python's json.dumps lays out the SQLite path's, so both stores
# keep the same trail; event UUIDs are the server's, written as uuid4().hex writes them. Every
# column is qualified: the OUT parameters share the columns' names.
COUNT_ITEM = """
CREATE FUNCTION pickpack_count_item(
    p_order integer, p_code text, p_times integer, p_lot text, p_states text[],
    p_done_state text, p_station text, p_operator text, p_at timestamptz,
    OUT order_no text, OUT state text, OUT picker text, OUT hold_reason text, OUT sku text,
    OUT units integer, OUT line_id integer, OUT qty integer, OUT scanned integer,
    OUT counted boolean, OUT complete boolean)
LANGUAGE plpgsql AS $$
DECLARE
    watched boolean;
    event_id integer;
BEGIN
    counted := false;
    complete := false;
    -- the line of the item with most still to count (then the first), as on SQLite
    SELECT x.order_no, x.state, x.picker, x.hold_reason, c.sku, c.units * p_times,
           a.id, a.qty, a.scanned
        INTO order_no, state, picker, hold_reason, sku, units, line_id, qty, scanned
        FROM orders x
        LEFT JOIN barcode c ON c.code = p_code
        LEFT JOIN order_line a ON a.order_id = x.id AND a.sku = c.sku
        WHERE x.id = p_order
        ORDER BY a.qty - a.scanned DESC, a.id LIMIT 1
        FOR UPDATE OF x;
    IF NOT FOUND OR state <> ALL (p_states) OR sku IS NULL OR line_id IS NULL THEN
        RETURN;  -- no such order, not at verify, unknown code, or not in the order
    END IF;
    FOR attempt IN 1..2 LOOP
        WITH done AS (
            UPDATE order_line SET scanned = order_line.scanned + units
                WHERE order_line.id = line_id AND order_line.scanned + units <= order_line.qty
                RETURNING order_line.scanned
        ), logged AS (
            INSERT INTO event (uuid, order_id, station, operator, kind, payload, at)
            SELECT replace(gen_random_uuid()::text, '-', ''), p_order, p_station, p_operator,
                   'item_scanned',
                   format('{"sku": %s, "code": %s, "units": %s, "lot": %s}', to_json(sku),
                          to_json(p_code), units, coalesce(to_json(p_lot)::text, 'null')),
                   p_at
            FROM done
            RETURNING event.id
        )
        -- whether another station has the order open: asked after the lock, so an opening
        -- committed while this count waited for it is seen
        SELECT done.scanned, logged.id,
               EXISTS (SELECT 1 FROM event e WHERE e.order_id = p_order
                       AND e.kind = 'verify_opened' AND e.station <> p_station)
            INTO scanned, event_id, watched FROM done, logged;
        EXIT WHEN FOUND;
        -- refused: read the item's lines again after the lock (another station may have
        -- counted while this one waited) and try the one with most room, if it has any
        SELECT a.id, a.qty, a.scanned INTO line_id, qty, scanned
            FROM order_line a WHERE a.order_id = p_order AND a.sku = pickpack_count_item.sku
            ORDER BY a.qty - a.scanned DESC, a.id LIMIT 1;
        IF attempt = 2 OR scanned + units > qty THEN
            RETURN;  -- too many
        END IF;
    END LOOP;
    counted := true;
    IF watched THEN  -- before the verified move's own doorbell: in the order they happened
        PERFORM pg_notify('pickpack_events', json_build_object(
            'schema', current_schema(), 'id', event_id, 'order_id', p_order,
            'kind', 'item_scanned', 'station', p_station)::text);
    END IF;
    -- the order is done when this line is and its other lines are (read after the lock)
    IF scanned = qty THEN
        complete := NOT EXISTS (SELECT 1 FROM order_line a
                                WHERE a.order_id = p_order AND a.scanned < a.qty);
    END IF;
    IF complete THEN
        UPDATE orders SET state = p_done_state, updated_at = p_at, verifier = p_operator
            WHERE orders.id = p_order;
        INSERT INTO event (uuid, order_id, station, operator, kind, payload, at)
        VALUES (replace(gen_random_uuid()::text, '-', ''), p_order, p_station, p_operator,
                p_done_state,
                format('{"from": %s, "to": %s, "picker": %s}', to_json(state),
                       to_json(p_done_state), coalesce(to_json(picker)::text, 'null')),
                p_at);
        UPDATE basket SET order_id = NULL WHERE basket.order_id = p_order;
    END IF;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP FUNCTION {OLD_SIGNATURE}")
    op.execute(COUNT_ITEM)
    op.execute(_previous().NOTIFY_ALL)  # item counts no longer reach it: no watch probe
    op.execute("DROP TRIGGER event_notify ON event")
    op.execute(TRIGGER_BUT_COUNTS)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    previous = _previous()
    op.execute("DROP TRIGGER event_notify ON event")
    op.execute(TRIGGER_ALL)
    op.execute(previous.NOTIFY_WATCHED_COUNTS)
    op.execute("DROP FUNCTION pickpack_count_item(integer, text, integer, text, text[], text, "
               "text, text, timestamptz)")
    op.execute(previous.COUNT_ITEM)


def _previous() -> ModuleType:
    """Revision 0004, whose function texts this one restores or reuses."""
    return import_module("db.migrations.versions.0004_pg_count_item")
