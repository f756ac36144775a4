"""Pure parsers of the platforms' order exports (no Django: see DESIGN.md, data flow)."""

from kefu.orders.importers.parse import ParsedFile, parse_file
from kefu.orders.importers.reading import ImportFileError

__all__ = ["ImportFileError", "ParsedFile", "parse_file"]
