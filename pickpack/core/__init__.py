"""The fulfilment core: order lifecycle, scan interpretation, weight check, release, handover.

No Textual here (an import contract and a test keep it so). Services own their transactions:
each state change is one transaction that also appends the event that explains it.
"""
