"""Upload guards refuse hostile files before any parser sees them: quickly (under two seconds), with
a Russian message naming the limit, and with the worker's memory bounded (measured in a subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from nastavnik.registry.people_import import ImportFileError, read_table
from nastavnik.roadmaps.importing import RoadmapImportError, read_roadmap

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _stream_entry(
    archive: zipfile.ZipFile, name: str, head: bytes, filler: bytes, size: int, tail: bytes
) -> None:
    with archive.open(name, "w", force_zip64=True) as entry:
        entry.write(head)
        chunk = filler * (MB // len(filler))
        for _ in range(size // len(chunk)):
            entry.write(chunk)
        entry.write(tail)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    """Built once, streaming, in a temporary folder: nothing of their inflated size is in memory."""
    folder = tmp_path_factory.mktemp("hostile")
    bomb = folder / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        _stream_entry(
            archive,
            "word/document.xml",
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>',
            b"<w:p/>" * 1024,
            2000 * MB,
            b"</w:body></w:document>",
        )
    big_cell = folder / "big-cell.xlsx"
    with zipfile.ZipFile(big_cell, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(
            "xl/workbook.xml",
            '<workbook><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        _stream_entry(
            archive,
            "xl/worksheets/sheet1.xml",
            b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>',
            b"A" * 1024,
            300 * MB,
            b"</t></is></c></row></sheetData></worksheet>",
        )
    wide = folder / "wide.xlsx"
    with zipfile.ZipFile(wide, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(
            "xl/workbook.xml",
            '<workbook><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        cells = "".join(f"<c><v>{i}</v></c>" for i in range(1, 300_001))
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet><sheetData><row r="1">{cells}</row></sheetData></worksheet>',
        )
    return {"bomb": bomb, "big_cell": big_cell, "wide": wide}


def refused_in(reader, path: Path, error: type[Exception]) -> tuple[str, float]:
    data = path.read_bytes()
    started = time.perf_counter()
    with pytest.raises(error) as caught:
        if reader is read_table:
            read_table(path.name, data)
        else:
            reader(data, path.name)
    return str(caught.value), time.perf_counter() - started


def test_a_2_mb_docx_zip_bomb_is_refused_in_under_two_seconds(hostile):
    assert hostile["bomb"].stat().st_size < 3 * MB
    message, seconds = refused_in(read_roadmap, hostile["bomb"], RoadmapImportError)
    assert seconds < 2 and "В распакованном виде файл больше 50 МБ" in message


def test_an_xlsx_with_a_300_mb_cell_is_refused_in_under_two_seconds(hostile):
    message, seconds = refused_in(read_table, hostile["big_cell"], ImportFileError)
    assert seconds < 2 and "100 МБ" in message
    message, seconds = refused_in(read_roadmap, hostile["big_cell"], RoadmapImportError)
    assert seconds < 2 and "50 МБ" in message


def test_a_300_000_column_xlsx_is_refused_fast_by_the_column_limit(hostile):
    message, seconds = refused_in(read_table, hostile["wide"], ImportFileError)
    assert seconds < 2 and "больше 200 столбцов" in message
    message, seconds = refused_in(read_roadmap, hostile["wide"], RoadmapImportError)
    assert seconds < 2 and "больше 100 столбцов" in message


def test_a_long_cell_within_the_size_limits_is_refused_by_the_cell_limit(tmp_path):
    path = tmp_path / "long.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        text = "".join(chr(0x410 + i % 32) for i in range(40_000))
        archive.writestr("xl/sharedStrings.xml", f"<sst><si><t>{text}</t></si></sst>")
    message, _ = refused_in(read_table, path, ImportFileError)
    assert "длиннее 32 767 символов" in message


def test_xml_with_entity_declarations_is_refused(tmp_path):
    path = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "xl/workbook.xml", '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><workbook>&b;</workbook>'
        )
    message, _ = refused_in(read_table, path, ImportFileError)
    assert "объявления сущностей" in message


@pytest.mark.parametrize(
    "xml",
    [
        '<!DOCTYPE x SYSTEM "http://example.org/x.dtd"><workbook/>',
        '<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><workbook/>',
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><workbook>&e;</workbook>',
        '<!DOCTYPE x [<!ENTITY u SYSTEM "x.png" NDATA png>]><workbook/>',
    ],
)
def test_xml_with_external_references_is_refused(tmp_path, xml):
    path = tmp_path / "external.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", xml)
    message, _ = refused_in(read_table, path, ImportFileError)
    assert "объявления сущностей" in message


def test_the_names_of_an_xml_part_are_read_with_their_prefix(tmp_path):
    path = tmp_path / "prefixed.xlsx"
    row = "".join(f'<x:c r="{letter}1"><x:v>1</x:v></x:c>' for letter in ("A", "XFD"))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<x:worksheet xmlns:x="urn:x"><x:row r="1">{row}</x:row></x:worksheet>',
        )
    message, _ = refused_in(read_table, path, ImportFileError)
    assert "столбцов" in message


def test_a_csv_too_wide_or_with_a_huge_cell_is_refused():
    with pytest.raises(ImportFileError, match="больше 200 столбцов"):
        read_table("wide.csv", ("ФИО;" + ";" * 300 + "\n").encode())
    with pytest.raises(ImportFileError, match="длиннее 32 767 символов"):
        read_table("long.csv", ("ФИО;Класс\n" + "Я" * 40_000 + ";7А\n").encode())


def test_a_roadmap_over_its_size_limit_is_refused(settings):
    with pytest.raises(RoadmapImportError, match="больше 5 МБ"):
        read_roadmap(b"x" * (5 * MB + 1), "roadmap.txt")


MEASURE = """
import json, resource, sys, time
import django
django.setup()
from nastavnik.registry.people_import import ImportFileError, read_table
from nastavnik.roadmaps.importing import RoadmapImportError, read_roadmap
# The worker as it stands before any file: Django, the app and its libraries loaded.
baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
results = {}
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    for name, reader, error in (("table", read_table, ImportFileError), ("roadmap", read_roadmap, RoadmapImportError)):
        try:
            reader(path, data) if name == "table" else reader(data, path)
        except error:
            results[path + ":" + name] = "refused"
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"refused": results, "max_rss_mb": peak_mb, "growth_mb": peak_mb - baseline_mb}))
"""


def test_refusing_hostile_files_keeps_the_worker_within_100_mb_of_its_size(hostile):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nastavnik.test_settings", "PYTHONPATH": str(ROOT)}
    paths = [str(hostile[k]) for k in ("bomb", "big_cell", "wide")]
    output = subprocess.run(
        [sys.executable, "-c", MEASURE, *paths],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    assert len(result["refused"]) == 6
    # A 300 MB cell or a zip bomb read for real would add hundreds of megabytes.
    assert result["growth_mb"] < 100, result
