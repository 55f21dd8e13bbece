"""Printing from the store: slips built from orders, and the print queue kept in the store."""

STALE_S = 120
"""A print job left ``sending`` this long after it was claimed was cut off by a crash: it is
queued again (at most one duplicate slip, never a lost one). Here, not in ``queue``, so that the
offline sync can use it without loading the ESC/POS stack."""
