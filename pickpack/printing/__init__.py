"""Printing from the store: slips built from orders, and the print queue kept in the store."""
