"""Couriers: which one takes an order (region rules, out-of-area lists, weight limits), the
out-of-area incidents the floor records and the rules they propose, and the waybill pools."""
