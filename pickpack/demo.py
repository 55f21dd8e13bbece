"""`pickpack demo`: a small warehouse in ./pickpack-demo/ with work waiting at every station.

Each run starts a fresh SQLite store, imports the bundled sample catalog, waybills and Taobao
order exports through the intake, adds demo operators, releases the orders and moves a few
along the route (so verify, pack, weigh and ship have something to do). The scale is simulated
(set its weight from the keyboard at the weigh station) and slips print as preview files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from pickpack.config import Config, parse_config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.flows import make_flow
from pickpack.core.flows.modes import WeighFlow
from pickpack.core.operators import add_operator
from pickpack.core.release import release
from pickpack.core.tables import BARCODES, ORDERS
from pickpack.i18n import locale_language
from pickpack.scan import Scan
from pickpack.store import open_store

DATA = Path(__file__).with_name("demo_data")
OPERATORS = [("OP1001", "李拣货", "picker"), ("OP2001", "王校验", "verifier"),
             ("OP3001", "赵打包", "packer"), ("OP9001", "陈主管", "supervisor")]
DEMO_PIN = "9001"
"""The demo supervisor's PIN (an override is badge + PIN); printed on the demo's sheet."""
ADVANCE = {"pick": 4, "verify": 3, "pack": 3, "weigh": 2}
"""How many released orders the demo moves past each station before the user starts."""


@dataclass
class DemoFloor:
    cfg: Config
    engine: Engine
    states: dict[str, int]
    examples: dict[str, list[str]] = field(default_factory=dict)

    def sheet(self) -> str:
        """What is on the floor now and what to scan where (shown by the chooser, read from the
        store each time it is shown)."""
        self.states, self.examples = count_states(self.engine), _examples(self.engine)
        lines = ["On the floor: " + "  ".join(f"{s} {n}" for s, n in sorted(self.states.items()))]
        lines.append("Badges: " + "  ".join(f"{c} {role}" for c, _n, role in OPERATORS)
                     + f"  (supervisor PIN {DEMO_PIN})")
        for mode, codes in self.examples.items():
            if codes:
                lines.append(f"{mode:7} " + "  ".join(codes))
        return "\n".join(lines)


def demo_language() -> str:
    """Chinese first: the demo speaks English only where the terminal's locale asks for it."""
    return locale_language()


def demo_config(root: Path, base: Config | None = None) -> Config:
    """The demo's config: ``base`` (config.toml or ``--config``) for everything a shop sets —
    language, couriers, route, printers, scale, barcodes, floor — with the demo's own store
    under ``root``, station id DEMO, and preview printers and a simulated scale where ``base``
    names none of its own."""
    data: dict[str, Any] = base.model_dump(exclude_unset=True) if base is not None else {}
    data.pop("source", None)
    slips = (root / "slips").resolve()
    station = {k: v for k, v in data.get("station", {}).items() if k in ("language", "idle_logout_min")}
    station.setdefault("language", demo_language())
    printers = data.get("printers", {})
    for kind in ("express", "packing"):  # a preview printer writes into the demo's own folder
        if str(printers.get(kind, "preview://")).startswith("preview://"):
            printers[kind] = f"preview://{slips}"
    scale = data.get("scale", {})
    if not scale.get("port"):
        scale["port"] = "sim"
    workflow = data.get("workflow", {})
    if "verify" in workflow.get("route", ["verify"]):
        workflow.setdefault("print_at", "verify")
    data.update({
        "store": {"url": f"sqlite:///{(root / 'pickpack.db').resolve()}"},
        "station": {"id": "DEMO", **station},
        "workflow": workflow, "scale": scale, "printers": printers,
    })
    return parse_config(data, base.source if base is not None and base.source else "demo")


def build_demo(root: Path, base: Config | None = None) -> DemoFloor:
    """A fresh demo store under ``root`` set up as ``base`` says; returns what is on the floor."""
    from pickpack.intake import import_catalog, import_orders, import_waybills

    root.mkdir(parents=True, exist_ok=True)
    for name in ("pickpack.db", "pickpack.db-wal", "pickpack.db-shm"):
        (root / name).unlink(missing_ok=True)
    (root / "slips").mkdir(exist_ok=True)
    cfg = demo_config(root, base)
    engine = open_store(cfg, create=True)
    import_catalog(engine, DATA / "catalog.csv", skip_bad=True)
    import_waybills(engine, DATA / "waybills.csv", skip_bad=True)
    import_orders(engine, sorted((DATA / "taobao").glob("*.csv")), skip_bad=True)
    for code, name, role in OPERATORS:
        add_operator(engine, code, name, role, station="DEMO",
                     pin=DEMO_PIN if role == "supervisor" else None)
    release(engine, cfg, Actor("DEMO", "demo"))
    floor = Floor(engine, cfg)
    _advance(floor)
    demo = DemoFloor(cfg, engine, count_states(engine))
    demo.examples = _examples(engine)
    return demo


def count_states(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(select(ORDERS.c.state, func.count()).group_by(ORDERS.c.state))
        return {state: int(n) for state, n in rows}


def _orders(engine: Engine, state: str, limit: int) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(select(ORDERS.c.order_no, ORDERS.c.tracking_no)
                            .where(ORDERS.c.state == state).order_by(ORDERS.c.id).limit(limit))
        return [(r.order_no, r.tracking_no or "") for r in rows]


def _item_codes(engine: Engine, order_no: str) -> list[tuple[str, int]]:
    from pickpack.core.tables import LINES

    with engine.connect() as conn:
        rows = conn.execute(
            select(BARCODES.c.code, LINES.c.qty)
            .select_from(LINES.join(ORDERS, ORDERS.c.id == LINES.c.order_id)
                         .join(BARCODES, BARCODES.c.sku == LINES.c.sku))
            .where(ORDERS.c.order_no == order_no, BARCODES.c.units == 1))
        return [(r.code, int(r.qty)) for r in rows]


def _advance(floor: Floor) -> None:
    """Move some released orders along the route with the real flows, as operators would."""
    depths = [depth for depth, mode in reversed(list(enumerate(ADVANCE, start=1)))
              for _ in range(ADVANCE[mode])]
    ready = _orders(floor.engine, "ready", len(depths))
    for i, ((order_no, _tracking), depth) in enumerate(zip(ready, depths, strict=False)):
        _walk(floor, order_no, i, depth)


def _walk(floor: Floor, order_no: str, i: int, depth: int) -> None:
    badge = {"pick": "OP1001", "verify": "OP2001", "pack": "OP3001", "weigh": "OP3001"}
    for mode in list(ADVANCE)[:depth]:
        if mode not in floor.route:  # a shorter route (a small shop's): that station is not there
            continue
        flow = make_flow(floor, mode, "DEMO")
        codes = {"pick": [f"B{900 + i:03d}", order_no, "CMD:DONE"],
                 "verify": [order_no] + [f"CMD:QTY:{q}\n{c}" for c, q in
                                         _item_codes(floor.engine, order_no)],
                 "pack": [order_no, "CMD:CARTON:M"], "weigh": [order_no]}[mode]
        for code in [badge[mode], *codes]:
            for part in code.split("\n"):
                out = flow.handle(Scan(part, source="demo"))
                if out.alert:
                    return
        if mode == "verify":  # print_at = "verify": the pair prints as at a verify station
            from pickpack.core.orders import find_order_id
            from pickpack.printing.queue import PrintQueue

            with floor.engine.connect() as conn:
                order_id = find_order_id(conn, order_no)
            queue = PrintQueue(floor.engine, floor.config)
            if order_id is not None:
                queue.enqueue_slips(order_id)
                queue.run_once()
        if isinstance(flow, WeighFlow) and flow.expected is not None:
            flow.on_weight(flow.expected.weight_g, stable=True)


def _examples(engine: Engine) -> dict[str, list[str]]:
    ex: dict[str, list[str]] = {}
    ex["pick"] = ["B001", *(no for no, _t in _orders(engine, "ready", 2))]
    picked = _orders(engine, "picked", 1)
    ex["verify"] = [no for no, _t in picked]
    if picked:
        ex["verify"] += [f"{c}×{q}" for c, q in _item_codes(engine, picked[0][0])]
    ex["pack"] = [t for _n, t in _orders(engine, "verified", 2)] + ["CMD:CARTON:M"]
    ex["weigh"] = [t for _n, t in _orders(engine, "packed", 2)]
    ex["ship"] = [t for _n, t in _orders(engine, "weighed", 2)] + ["CMD:CLOSE"]
    return ex
