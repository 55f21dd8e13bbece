"""Working through a store outage: a local SQLite journal, the switch to it and the sync back.

``journal``: the local file (same schema, same migrations) and the snapshot of what a station
needs (its orders in hand, the catalog, operators). ``switch``: :class:`ResilientFloor` tries the
central store and falls back to the journal when it is unreachable. ``sync``: replays the
journal's events on the central store, idempotent by event UUID, conflicts recorded.
"""

from pickpack.offline.journal import open_journal, snapshot
from pickpack.offline.switch import ResilientFloor, StoreSwitch
from pickpack.offline.sync import SyncConflict, SyncReport, sync

__all__ = ["ResilientFloor", "StoreSwitch", "SyncConflict", "SyncReport", "open_journal",
           "snapshot", "sync"]
