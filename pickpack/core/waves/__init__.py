"""Waves: batches of ready orders by rule and priority, printed as slip pairs and a pick list."""
