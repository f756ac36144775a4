"""Reading a text file as (line number, line) with bounded memory: the encoding is chosen from
the first bytes (UTF-8 with or without BOM, else GB18030, which covers GBK), and every line is
decoded on its own so an undecodable byte is reported with its exact line."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

from kefu.conversations.importers.rows import ParseError

SNIFF_BYTES = 1 << 16
MAX_LINE_BYTES = 1 << 20  # a "line" longer than 1 MB is not a chat record


def detect_encoding(name: str, head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ParseError(name, 1, "UTF-16 text is not supported; save the file as UTF-8 or GBK")
    # Cut at the last newline so a character split by the sniff window does not count as bad.
    sample = head[: head.rfind(b"\n") + 1] if len(head) == SNIFF_BYTES else head
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    line = sample[: _bad_offset(sample)].count(b"\n") + 1
    raise ParseError(name, line, "the file is neither UTF-8 nor GBK/GB18030 text")


def _bad_offset(sample: bytes) -> int:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return 0


def read_lines(name: str, stream: BinaryIO) -> Iterator[tuple[int, str]]:
    """Numbered lines without their line ending (CRLF, LF or CR-less). Empty file: ParseError."""
    head = stream.read(SNIFF_BYTES)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ParseError(name, 0, "the file is empty")
    encoding = detect_encoding(name, head)
    stream.seek(0)
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            raise ParseError(name, number, "line longer than 1 MB; is this a chat record?")
        try:
            text = raw.decode(encoding if number == 1 else encoding.replace("-sig", ""))
        except UnicodeDecodeError:
            raise ParseError(name, number, f"not valid {encoding} text") from None
        if number == 1:
            text = text.removeprefix("\ufeff")
        yield number, text.rstrip("\r\n")
