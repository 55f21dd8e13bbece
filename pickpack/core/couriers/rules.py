"""Region rules: the primary and secondary courier for a receiver's province and city.

A rule names a province (``prefix``, the start of the province name) and optionally a city
(``city``, the start of the city name). A city rule wins over its province's rule; among rules
of the same kind the first that matches counts. A rule's ``secondary`` ('' none) replaces
``[couriers] secondary`` for its region. No rule: ``[couriers] default`` then ``secondary``.
"""

from __future__ import annotations

from collections.abc import Collection

from pickpack.config import Config, RegionRule

PICKUP = "PICKUP"
"""The courier of a local-pickup order (自提): no waybill, handed over by order number."""


def matching_rule(cfg: Config, province: str, city: str = "") -> RegionRule | None:
    """The rule for the address: a city rule first, then a province-wide one (None: none)."""
    rules = [r for r in cfg.couriers.rules if province.startswith(r.prefix)]
    by_city = next((r for r in rules if r.city and city.startswith(r.city)), None)
    return by_city or next((r for r in rules if not r.city), None)


def region_couriers(cfg: Config, province: str, city: str = "") -> tuple[str, str]:
    """(primary, secondary) for the address."""
    rule = matching_rule(cfg, province, city)
    if rule is None:
        return cfg.couriers.default, cfg.couriers.secondary
    return rule.courier, rule.secondary or cfg.couriers.secondary


def couriers_for(cfg: Config, province: str, city: str = "", asked: str = "",
                 avoid: Collection[str] = ()) -> list[str]:
    """Couriers in the order release tries them: the asked one alone (the buyer asked for it:
    no silent substitute), else the region's primary and secondary minus those the remark
    refused (all refused: the first other courier the shop names)."""
    if asked:
        return [asked]
    first, second = region_couriers(cfg, province, city)
    wanted = [c for c in dict.fromkeys((first, second)) if c not in avoid]
    if not wanted:
        wanted = [c for c in cfg.couriers.names if c not in avoid][:1]
    return wanted or [first]
