"""Floor policy in the store: the warehouse-wide settings every station reads from there.

Cut-offs, couriers and their rules, the route, safety stock, remark rules, the gift catalogue…
are one warehouse's, not one station's: once stations share a store they live in its ``policy``
table, one row per ``section.field`` of config.toml (its value as JSON). What stays a station's
own is :data:`STATION_OWN` (the store, the station's id, mode and language, its scanner, scale
and printers). ``pickpack db upgrade`` seeds the policy from config.toml when the store has none;
after that a supervisor changes it (``pickpack policy set``, each change an event) and a
station's own config.toml no longer decides it.

The effective config is config.toml overlaid with the store's policy and validated as a whole,
so a bad value is refused with one line naming the key; a stored value this PickPack cannot
take (a newer version's key, a value its rules refuse) is left out and said, never a crash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import OperationalError, ProgrammingError

from db.engine import read_tx, write_tx
from pickpack.config import Config, pydantic_words
from pickpack.core.events import Actor, append_event, now
from pickpack.core.stock.ledger import POLICY

STATION_OWN = frozenset({"store", "station", "scanner", "scale", "printers", "source"})
"""Sections of config.toml that stay the station's own: never in the store's policy."""
EVENT_KINDS = ("policy_set", "policy_seeded")
"""Events after which a station reads the policy again (the live feed hands them out)."""


class PolicyError(ValueError):
    """A policy key or value the warehouse cannot take; the message is one line."""


@dataclass(frozen=True)
class Effective:
    """The config a station works with, and what of the store's policy it could not take."""

    config: Config
    skipped: dict[str, str] = field(default_factory=dict)
    """key → why, for stored values left out."""
    version: tuple[int, str] = (0, "")
    read: bool = True
    """False when the store could not be read: the station keeps the config it has."""


def policy_keys(cfg: Config) -> list[str]:
    """Every ``section.field`` that is warehouse policy, in config order."""
    keys = []
    for section, info in type(cfg).model_fields.items():
        value = getattr(cfg, section)
        if section in STATION_OWN or not isinstance(value, BaseModel) or info.exclude:
            continue
        keys += [f"{section}.{name}" for name in type(value).model_fields]
    return keys


def _value(cfg: Config, key: str) -> Any:
    section, name = key.split(".", 1)
    return getattr(getattr(cfg, section), name)


def _json(value: Any) -> Any:
    """A config value as plain JSON data (models and tuples too)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def overlay(cfg: Config, values: dict[str, Any]) -> Config:
    """``cfg`` with ``values`` (``section.field`` → JSON data) in place, validated as a whole;
    a PolicyError naming the key and why, in one line, when a value cannot be taken. A value
    equal to ``cfg``'s own is left as it was (a default stays a default for the rules that ask
    whether a key was set)."""
    changes = {k: v for k, v in values.items() if _json(_value(cfg, k)) != v}
    if not changes:
        return cfg  # the store says what config.toml says: the station's config as it is
    data = cfg.model_dump(mode="json", exclude_unset=True)
    for key, value in changes.items():
        section, name = key.split(".", 1)
        data.setdefault(section, {})[name] = value
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"][:2]) or "policy"
        raise PolicyError(f"policy {where}: {pydantic_words(first)}") from None


def version(conn: Connection) -> tuple[int, str]:
    """Changes when the policy does: (rows, latest change), cheap enough to ask again."""
    n, latest = conn.execute(select(func.count(), func.max(POLICY.c.updated_at))
                             .select_from(POLICY)).one()
    return int(n), latest.isoformat() if latest is not None else ""


def stored(conn: Connection) -> dict[str, Any]:
    return {k: json.loads(v) for k, v in conn.execute(select(POLICY.c.key, POLICY.c.value))}


def effective(conn: Connection, cfg: Config) -> Effective:
    """config.toml overlaid with the store's policy; values it cannot take are left out."""
    known = set(policy_keys(cfg))
    values = stored(conn)
    skipped = {k: "not a setting of this PickPack" for k in values if k not in known}
    values = {k: v for k, v in values.items() if k in known}
    while True:
        try:
            return Effective(overlay(cfg, values), skipped, version(conn))
        except PolicyError as exc:
            bad = next((k for k in values if str(exc).startswith(f"policy {k}:")), None)
            if bad is None:  # a rule across keys: take none of the store's policy
                return Effective(cfg, {"*": str(exc)}, version(conn))
            skipped[bad] = str(exc)
            del values[bad]


def seed_policy(engine: Engine, cfg: Config, actor: Actor) -> int:
    """Write config.toml's policy into a store that has none (``db upgrade``): the keys written,
    0 when the store already had a policy."""
    with write_tx(engine) as conn:
        return _seed(conn, cfg, actor)


def _seed(conn: Connection, cfg: Config, actor: Actor) -> int:
    if conn.execute(select(func.count()).select_from(POLICY)).scalar():
        return 0
    at = now()
    rows = [{"key": k, "value": json.dumps(_json(_value(cfg, k)), ensure_ascii=False),
             "updated_at": at, "updated_by": actor.operator} for k in policy_keys(cfg)]
    conn.execute(insert(POLICY), rows)
    append_event(conn, actor, "policy_seeded", None,
                 {"keys": len(rows), "source": cfg.source or "defaults"})
    return len(rows)


def parse_value(text: str) -> Any:
    """A value as typed: JSON when it reads as JSON (3, true, ["pick","verify"]), else text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def set_policy(conn: Connection, actor: Actor, cfg: Config, key: str, text: str, *,
               supervisor: str, os_user: str = "") -> dict[str, Any]:
    """Change one policy value in the caller's transaction, with a ``policy_set`` event naming
    the supervisor; refused with one line (PolicyError) for a key or value it cannot take."""
    keys = policy_keys(cfg)
    if key not in keys:
        section = key.split(".", 1)[0]
        if section in STATION_OWN:
            raise PolicyError(f"{key} is the station's own: set it in its config.toml")
        raise PolicyError(f"unknown policy key {key!r}: `pickpack policy show` lists them")
    _seed(conn, cfg, actor)  # a store with no policy yet starts from this config
    current = effective(conn, cfg)
    value = parse_value(text)
    try:
        new = overlay(current.config, {key: value})
    except PolicyError:
        if isinstance(value, str):
            raise
        new = overlay(current.config, {key: text})  # 123 meant as the text "123"
    old, fresh = _json(_value(current.config, key)), _json(_value(new, key))
    row = {"value": json.dumps(fresh, ensure_ascii=False), "updated_at": now(),
           "updated_by": actor.operator}
    if conn.execute(select(POLICY.c.key).where(POLICY.c.key == key)).first():
        conn.execute(update(POLICY).where(POLICY.c.key == key).values(**row))
    else:  # a key this store's seeding did not know (seeded by an older PickPack)
        conn.execute(insert(POLICY).values(key=key, **row))
    payload = {"key": key, "old": old, "new": fresh, "supervisor": supervisor,
               **({"os_user": os_user} if os_user else {})}
    append_event(conn, actor, "policy_set", None, payload)
    return payload


def show(conn: Connection, cfg: Config) -> list[dict[str, Any]]:
    """Every policy key: the value in force, where it comes from, and config.toml's when the
    store's differs."""
    values = stored(conn)
    eff = effective(conn, cfg)
    out = []
    for key in policy_keys(cfg):
        here = _json(_value(eff.config, key))
        mine = _json(_value(cfg, key))
        row = {"key": key, "value": here,
               "from": "store" if key in values and key not in eff.skipped else "config"}
        if row["from"] == "store" and here != mine:
            row["config_toml"] = mine
        if key in eff.skipped:
            row["skipped"] = eff.skipped[key]
        out.append(row)
    return out


def load_effective(engine: Engine, cfg: Config,
                   seen: tuple[int, str] | None = None) -> Effective | None:
    """:func:`effective` read from ``engine`` for a station; None when the policy is the
    ``seen`` version still. A store that cannot be read (away, not upgraded, a station journal)
    gives config.toml's own policy, the reason in ``skipped``."""
    try:
        with read_tx(engine) as conn:  # deferred on SQLite: a station start takes no write lock
            if seen is not None and version(conn) == seen:
                return None
            return effective(conn, cfg)
    except (OperationalError, ProgrammingError) as exc:
        why = str(getattr(exc, "orig", None) or exc).splitlines()[0][:120]
        return Effective(cfg, {"*": f"store policy not read: {why}"}, read=False)


def in_force(engine: Engine, cfg: Config) -> Config:
    """The config a command works with: config.toml with the store's floor policy over it."""
    got = load_effective(engine, cfg)
    return cfg if got is None else got.config
