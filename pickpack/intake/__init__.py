"""Intake: platform order exports, the catalog and waybill pools into the store.

Public API (used by the CLI, ``pickpack.intake.cli``)::

    import_orders(engine, paths, *, skip_bad, station="desk", operator="import") -> ImportResult
    import_catalog(engine, path, *, skip_bad) -> ImportResult
    import_waybills(engine, path, *, skip_bad) -> ImportResult

Every import is one transaction. Without ``skip_bad`` a bad row refuses the whole input:
ImportFailed(errors), nothing written. With it, good rows go in and each bad row is reported
(``ImportResult.errors``) and recorded as an ``import_rejected`` event. File-level problems
(unreadable, not an export, missing column) always raise ImportFailed.

Order states set here (new, unpaid, cancelled, shipped_elsewhere) and the re-import rules
(cancel/intercept on 交易关闭, unpaid → new on payment) are documented in
``pickpack.intake.orders``.
"""

from pickpack.intake.catalog import import_catalog
from pickpack.intake.orders import import_orders
from pickpack.intake.result import ImportFailed, ImportResult, RowError
from pickpack.intake.waybills import import_waybills

__all__ = ["ImportFailed", "ImportResult", "RowError", "import_catalog", "import_orders",
           "import_waybills"]
