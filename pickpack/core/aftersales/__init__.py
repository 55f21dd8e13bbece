"""After-sales: returns, refunds, cases, investigations, reships, claims and follow-up."""
