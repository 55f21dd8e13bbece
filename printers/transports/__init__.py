"""One module per printer transport; :func:`printers.connections.connect` picks by URL scheme."""
