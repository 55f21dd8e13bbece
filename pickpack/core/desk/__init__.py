"""The desk: audit queue, holds, remarks as actions, order changes (merge, split, address)."""
