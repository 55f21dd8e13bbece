"""SQLAlchemy Core handles on the store's tables, for the hot paths (no ORM unit-of-work)."""

from __future__ import annotations

from sqlalchemy import Table

from db import models


def _t(model: type) -> Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


ORDERS = _t(models.Order)
LINES = _t(models.OrderLine)
SKUS = _t(models.Sku)
BARCODES = _t(models.Barcode)
EVENTS = _t(models.Event)
WAYBILLS = _t(models.Waybill)
COURIERS = _t(models.Courier)
OPERATORS = _t(models.Operator)
BASKETS = _t(models.Basket)
MANIFESTS = _t(models.Manifest)
PRINT_JOBS = _t(models.PrintJob)
STATIONS = _t(models.Station)
