"""Cleaning text that was copied out of Word, HTML or a spreadsheet."""

from __future__ import annotations

import html
import re

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]", re.IGNORECASE)
_BREAK_TAGS = re.compile(r"<\s*(?:br\s*/?|/p|/li|/div|/tr|/h\d)\s*>", re.IGNORECASE)
_LI_TAG = re.compile(r"<\s*li[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?\s*[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_BULLETS = "·•●○▪■◦‣∙"
_BULLET_LINE = re.compile(rf"^[{_BULLETS}]\s*")
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200b]+")


def clean_cell(text: str | None) -> str:
    """One cell's text: no markup, one space between words, bullets as «· », no empty lines."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u000b", "\n")
    text = _BOOKMARK.sub("", text)
    text = _BREAK_TAGS.sub("\n", text)
    text = _LI_TAG.sub("\n· ", text)
    text = _ANY_TAG.sub("", text)
    text = html.unescape(text)
    text = text.replace("**", "")
    lines = []
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        if not line:
            continue
        if _BULLET_LINE.match(line):
            line = "· " + _BULLET_LINE.sub("", line)
        lines.append(line)
    return "\n".join(lines)


def one_line(text: str) -> str:
    return " ".join(text.split())


def unquote(cell: str) -> str:
    """A spreadsheet's quoted cell «"a ""b"" c"» → «a "b" c»."""
    if len(cell) >= 2 and cell.startswith('"') and cell.endswith('"'):
        return cell[1:-1].replace('""', '"')
    return cell


def normalise_header(text: str) -> str:
    text = clean_cell(text).lower().replace("ё", "е")
    text = re.sub(r"[\n\"'«»().,:;]", " ", text)
    return " ".join(text.split())
