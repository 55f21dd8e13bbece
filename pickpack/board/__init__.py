"""The floor board in a browser (``pickpack board``): a read-only live view for a wall screen.

:mod:`.data` reads the board from the store (no Textual), :mod:`.page` is the one page with its
inline style and script, :mod:`.server` serves both and the live channel behind a token.
"""
