"""The stock ledger's cost on catalog imports: new SKUs, then a re-import with every on_hand
changed and half of the SKUs counted since (those keep their stock and are reported).

    .venv/bin/python benchmarks/bench_stock.py [--skus N]

Fresh SQLite store in a temporary folder, migrated to head; prints both times. No limit of an
issue applies: the figure is kept in BENCHMARKS.md to see the ledger's cost move.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from pickpack.intake import import_catalog  # noqa: E402


def catalog(path: Path, n: int, on_hand: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("sku,name,barcodes,bin,on_hand\n")
        for i in range(n):
            fh.write(f"S{i:06d},商品{i},C{i:08d},A-{i % 50:02d}-{i % 20:02d},{on_hand}\n")
    return path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skus", type=int, default=20_000)
    n = parser.parse_args().skus
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'stock.db'}")
        upgrade(engine)
        start = time.perf_counter()
        import_catalog(engine, catalog(Path(tmp) / "c.csv", n, 10), skip_bad=False)
        first = time.perf_counter() - start
        with engine.begin() as conn:  # half the SKUs counted since the import
            conn.execute(text(
                "INSERT INTO stock_movement (event_uuid, sku, bin, delta, on_hand, kind, reason,"
                " station, operator, at) SELECT 'bench', sku, bin, 0, on_hand, 'count', '', '',"
                " '', '2026-01-01 00:00:00' FROM sku WHERE sku < :half"), {"half": f"S{n // 2:06d}"})
        start = time.perf_counter()
        res = import_catalog(engine, catalog(Path(tmp) / "c.csv", n, 15), skip_bad=False)
        again = time.perf_counter() - start
        engine.dispose()
    print(f"catalog import, {n:,} new SKUs with stock: {first:.2f} s")
    print(f"re-import, every on_hand changed: {again:.2f} s ({res.stock_set:,} set, "
          f"{len(res.stock_kept):,} counted kept)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
