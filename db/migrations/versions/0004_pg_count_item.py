"""pg count item: a verify scan in one round trip; item counts ring the doorbell only when watched

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 09:00:00

PostgreSQL only, but for an index both stores get (the models carry it). Measured with
benchmarks/bench_pg.py, two things held twenty saturating stations below half of the server's
raw insert+commit rate:

* Round trips. A count was BEGIN, a locking read, the count with its event, COMMIT: four
  round trips and three client wake-ups where a raw insert needs one. ``pickpack_count_item``
  does the whole count (lock the order, find the line, count, append the event and, on the last
  unit, move the order to verified and free its basket) in one statement, run without an
  explicit transaction. Inside a PL/pgSQL function each statement takes a fresh snapshot, so
  everything read after the order's row lock sees every count committed before it: counts do
  not race and the last one is never missed. A scan that must be refused writes nothing and
  returns what the station needs to say why.
* NOTIFY. A transaction that notifies holds one cluster-wide lock from pre-commit until its
  commit record is flushed, so every notifying commit waits for the previous one's fsync:
  group commit is lost. An item count is the floor's most frequent event and nobody is watching
  almost all of them, so ``item_scanned`` now notifies only when another station has opened the
  same order for verify (its screen shows the count at once, as before), which a partial index
  on the verify openings answers in one probe. Every other event (moves, cancels, holds,
  weighing, shipping…) still notifies.

The SQLite path (pickpack.core.verify) keeps the same rules in Python; tests/pg/test_verify_pg.py
runs the same scans on both stores and compares what they wrote.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

NOTIFY_ALL = """
CREATE OR REPLACE FUNCTION pickpack_notify_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pickpack_events', json_build_object(
        'schema', TG_TABLE_SCHEMA, 'id', NEW.id, 'order_id', NEW.order_id,
        'kind', NEW.kind, 'station', NEW.station)::text);
    RETURN NULL;
END
$$
"""

NOTIFY_WATCHED_COUNTS = """
CREATE OR REPLACE FUNCTION pickpack_notify_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind = 'item_scanned' AND NOT EXISTS (
        SELECT 1 FROM event e WHERE e.order_id = NEW.order_id AND e.kind = 'verify_opened'
        AND e.station <> NEW.station
    ) THEN
        RETURN NULL;  -- nobody else has this order open: no doorbell (see revision 0004)
    END IF;
    PERFORM pg_notify('pickpack_events', json_build_object(
        'schema', TG_TABLE_SCHEMA, 'id', NEW.id, 'order_id', NEW.order_id,
        'kind', NEW.kind, 'station', NEW.station)::text);
    RETURN NULL;
END
$$
"""

# Returns no row for an order that is not in the store; otherwise one row. ``counted`` false:
# nothing was written and the row says why (state not at verify, sku NULL for an unknown code,
# line_id NULL for an item not in the order, else too many). Payloads are laid out exactly as
# Python's json.dumps lays out the SQLite path's, so both stores keep the same trail; event
# UUIDs are the server's (gen_random_uuid, PostgreSQL 13+), written as uuid4().hex writes them.
COUNT_ITEM = """
CREATE OR REPLACE FUNCTION pickpack_count_item(
    p_order integer, p_code text, p_times integer, p_lot text, p_states text[],
    p_done_state text, p_station text, p_operator text, p_at timestamptz)
RETURNS TABLE (order_no text, state text, picker text, hold_reason text, sku text,
               units integer, line_id integer, qty integer, scanned integer,
               counted boolean, complete boolean)
LANGUAGE plpgsql AS $$
DECLARE
    o record;
    l record;
    n integer;
    u integer;
    left_after bigint;
BEGIN
    SELECT x.order_no, x.state, x.picker, x.hold_reason INTO o
        FROM orders x WHERE x.id = p_order FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    -- the barcode and the line with the most still to count, read after the lock
    SELECT c.sku, c.units * p_times AS units, a.id, a.qty, a.scanned INTO l
        FROM barcode c LEFT JOIN order_line a ON a.order_id = p_order AND a.sku = c.sku
        WHERE c.code = p_code ORDER BY a.qty - a.scanned DESC LIMIT 1;
    IF o.state <> ALL (p_states) OR l.sku IS NULL OR l.id IS NULL THEN
        RETURN QUERY SELECT o.order_no::text, o.state::text, o.picker::text, o.hold_reason::text,
            l.sku::text, l.units, NULL::integer, NULL::integer, NULL::integer, false, false;
        RETURN;
    END IF;
    u := l.units;
    -- what is left is summed in the statement's own snapshot, before its count: minus u
    UPDATE order_line SET scanned = order_line.scanned + u
        WHERE order_line.id = l.id AND order_line.scanned + u <= order_line.qty
        RETURNING order_line.scanned, (SELECT sum(a.qty - a.scanned) FROM order_line a
                                       WHERE a.order_id = p_order) - u
        INTO n, left_after;
    IF NOT FOUND THEN
        RETURN QUERY SELECT o.order_no::text, o.state::text, o.picker::text, o.hold_reason::text,
            l.sku::text, u, l.id, l.qty, l.scanned, false, false;
        RETURN;
    END IF;
    INSERT INTO event (uuid, order_id, station, operator, kind, payload, at)
    VALUES (replace(gen_random_uuid()::text, '-', ''), p_order, p_station, p_operator,
            'item_scanned',
            format('{"sku": %s, "code": %s, "units": %s, "lot": %s}', to_json(l.sku::text),
                   to_json(p_code), u, coalesce(to_json(p_lot)::text, 'null')),
            p_at);
    IF left_after = 0 THEN
        UPDATE orders SET state = p_done_state, updated_at = p_at, verifier = p_operator
            WHERE orders.id = p_order;
        INSERT INTO event (uuid, order_id, station, operator, kind, payload, at)
        VALUES (replace(gen_random_uuid()::text, '-', ''), p_order, p_station, p_operator,
                p_done_state,
                format('{"from": %s, "to": %s, "picker": %s}', to_json(o.state::text),
                       to_json(p_done_state), coalesce(to_json(o.picker::text)::text, 'null')),
                p_at);
        UPDATE basket SET order_id = NULL WHERE basket.order_id = p_order;
    END IF;
    RETURN QUERY SELECT o.order_no::text, o.state::text, o.picker::text, o.hold_reason::text,
        l.sku::text, u, l.id, l.qty, n, true, left_after = 0;
END
$$
"""


def upgrade() -> None:
    opened = sa.text("kind = 'verify_opened'")
    op.create_index("ix_event_verify_opened", "event", ["order_id", "station"],
                    postgresql_where=opened, sqlite_where=opened)
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(NOTIFY_WATCHED_COUNTS)
    op.execute(COUNT_ITEM)


def downgrade() -> None:
    op.drop_index("ix_event_verify_opened", table_name="event")
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS pickpack_count_item(integer, text, integer, text, "
               "text[], text, text, text, timestamptz)")
    op.execute(NOTIFY_ALL)
