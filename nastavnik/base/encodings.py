"""Decoding text files as Russian schools save them: UTF-8 (with or without BOM), UTF-16 and UTF-32
(Excel's «Текст Юникод», with a BOM or without one: then told apart by the pattern of NUL bytes),
else Windows-1251 as Excel on a Russian Windows saves CSV."""

from __future__ import annotations

import codecs

_BOMS = (  # the longest first: the UTF-32 LE BOM begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class UndecodableText(ValueError):
    """The bytes look like a Unicode encoding other than UTF-8 but do not decode; Russian message."""


def wide_encoding(data: bytes) -> str | None:
    """ "utf-16"/"utf-32"-like codec name when the bytes are in a wide Unicode encoding, else None."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return None if codec == "utf-8-sig" else codec
    sample = data[:4000]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    quads = [sample[i::4] for i in range(4)]
    if all(q.count(0) > len(q) * 0.9 for q in quads[2:]) and quads[0].count(0) < len(quads[0]) * 0.5:
        return "utf-32-le"
    if all(q.count(0) > len(q) * 0.9 for q in quads[:2]) and quads[3].count(0) < len(quads[3]) * 0.5:
        return "utf-32-be"
    # Cyrillic in UTF-16 is 0x04NN: the high bytes are NUL (Latin) or 0x04 (Cyrillic), never both low.
    if odd.count(0) + odd.count(4) > len(odd) * 0.9 and even.count(0) < len(even) * 0.2:
        return "utf-16-le"
    if even.count(0) + even.count(4) > len(even) * 0.9 and odd.count(0) < len(odd) * 0.2:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> str:
    """The text of an uploaded table or text file; raises UndecodableText for a broken UTF-16/32."""
    codec = wide_encoding(data)
    if codec is not None:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            name = "UTF-32" if "32" in codec else "UTF-16"
            raise UndecodableText(
                f"Файл сохранён в кодировке {name}, но прочитать его не удалось: сохраните его как "
                "CSV UTF-8 или Windows-1251."
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")
