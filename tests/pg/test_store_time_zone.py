"""Every time the store keeps is an aware time: a PostgreSQL server (or session) running in China
time reads back the instant that was written, for every datetime column of every table."""

from __future__ import annotations

from sqlalchemy import text

from tests.pg.conftest import PgStore


def test_every_datetime_column_is_timestamptz(pg: PgStore) -> None:
    with pg.engine.connect() as conn:
        naive = conn.execute(text(
            "SELECT table_name || '.' || column_name FROM information_schema.columns "
            "WHERE table_schema = :schema AND data_type = 'timestamp without time zone' "
            "ORDER BY 1"), {"schema": pg.schema}).scalars().all()
    assert naive == []


def test_a_promised_ship_time_reads_back_the_same_instant_in_china_time(pg: PgStore) -> None:
    with pg.admin() as conn:
        conn.execute("SET TIME ZONE 'Asia/Shanghai'")
        conn.execute(f"SET search_path TO {pg.schema}")
        conn.execute("INSERT INTO orders (order_no, platform, shop, buyer, receiver_name, "
                     "receiver_phone, province, city, district, street, postcode, buyer_remark, "
                     "seller_memo, platform_status, total, state, hold_reason, remark_ack, "
                     "promised_ship_at) VALUES ('P1', 'taobao', '', '', '', '', '', '', '', '', "
                     "'', '', '', '', 0, 'new', '', false, '2026-12-02 12:00:00+00')")
        row = conn.execute("SELECT promised_ship_at AT TIME ZONE 'UTC' FROM orders "
                           "WHERE order_no = 'P1'").fetchone()
    assert row is not None
    assert str(row[0]) == "2026-12-02 12:00:00"
