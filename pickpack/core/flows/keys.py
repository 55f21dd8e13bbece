"""Scan kinds that open an order at a station."""

ORDER_KEYS = ("tracking", "order", "basket")
