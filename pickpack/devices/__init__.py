"""Device sources: barcode scanners and scales. No Textual here (an import contract checks it).

``open_scanner(cfg)`` and ``open_scale(cfg)`` pick the transport or protocol named in config.
"""
