"""The waybill pools: free numbers per courier and platform pool, and the ones running low.

``[couriers] pool_low`` (default 50): a pool under it is listed by :func:`low_pools` (one line
each at ``pickpack release``). A pool is a courier's numbers for one platform (``''`` the
shop's own, ``pdd``/``jd`` the platform's e-waybills); every pool that ever held a number and
every courier the region rules may pick (default, secondary, each rule's) is counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, case, func, select

from pickpack.config import Config
from pickpack.core.tables import WAYBILLS
from pickpack.i18n import _


@dataclass(frozen=True, slots=True)
class Pool:
    courier: str
    platform: str
    free: int
    used: int

    def to_json(self) -> dict[str, object]:
        return {"courier": self.courier, "platform": self.platform, "free": self.free,
                "used": self.used}

    @property
    def name(self) -> str:
        if not self.platform:
            return self.courier
        return _("{courier} ({platform} pool)").format(courier=self.courier, platform=self.platform)


def _rule_couriers(cfg: Config) -> list[str]:
    c = cfg.couriers
    names = [c.default, c.secondary]
    for r in c.rules:
        names += [r.courier, r.secondary]
    return [n for n in dict.fromkeys(names) if n]


def pools(conn: Connection, cfg: Config) -> list[Pool]:
    """Every pool with its free and used numbers, by courier then platform."""
    free = func.sum(case((WAYBILLS.c.order_id.is_(None), 1), else_=0))
    rows = conn.execute(select(WAYBILLS.c.courier, WAYBILLS.c.platform, free,
                               func.count()).group_by(WAYBILLS.c.courier, WAYBILLS.c.platform))
    found = {(str(c), str(p or "")): Pool(str(c), str(p or ""), int(f or 0), int(n) - int(f or 0))
             for c, p, f, n in rows}
    for courier in _rule_couriers(cfg):
        if not any(k[0] == courier for k in found):
            found[(courier, "")] = Pool(courier, "", 0, 0)
    return [found[k] for k in sorted(found)]


def low_pools(conn: Connection, cfg: Config) -> list[Pool]:
    """Pools under ``[couriers] pool_low`` free numbers."""
    return [p for p in pools(conn, cfg) if p.free < cfg.couriers.pool_low]


def low_line(pool: Pool, cfg: Config) -> str:
    """The one-line warning for a pool running low."""
    return _("waybill pool low: {pool} has {free} free numbers (under {low}): "
             "import waybills").format(pool=pool.name, free=pool.free, low=cfg.couriers.pool_low)
