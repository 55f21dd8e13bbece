"""The words of ``pickpack import`` (made by pickpack.intake.cli, which does not translate its
own help yet): marked here for the catalogue and translated on its parsers once they exist.
When pickpack.intake.cli passes its texts through ``_()`` this module can go."""

from __future__ import annotations

import argparse

from pickpack.i18n import N_, _

WORDS = (
    N_("import platform exports, the catalog or a waybill pool"),
    N_("Taobao ExportOrderList and ExportOrderDetailList, CSV or .xlsx (either order)"),
    N_("catalog CSV or .xlsx: sku,name,attributes,barcodes,weight_g,bin,price,on_hand,components"),
    N_("tracking-number pool CSV or .xlsx: courier,tracking_no"),
    N_("the platform's refund export (退款报表), CSV or .xlsx"),
    N_("courier tracking status files, CSV, .xlsx or JSON"),
    N_("import the good rows and report the bad ones (default: all or nothing)"),
    N_("operator recorded on the events"),
    N_("take the file's on_hand even where stock was counted since (default: report the "
       "difference and ask on a terminal)"),
)


def translate(parser: argparse.ArgumentParser) -> None:
    """Every help and description under ``parser`` through the catalogue (a text with no entry
    stays as it is)."""
    if parser.description:
        parser.description = _(parser.description)
    for action in parser._actions:
        if action.help and action.help != argparse.SUPPRESS:
            action.help = _(action.help)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                choice.help = _(choice.help) if choice.help else choice.help
            for child in action.choices.values():
                translate(child)
