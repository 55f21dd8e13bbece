"""Stock as a ledger: on hand per SKU and bin, reservations, movements, counts."""
