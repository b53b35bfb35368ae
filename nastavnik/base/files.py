"""Private files: every personal file (consent scans, documents attached to roadmap events, uploads
waiting for import) lives here, outside MEDIA_ROOT, under a random name.

- `private_storage()` — one FileSystemStorage at `settings.PRIVATE_FILE_ROOT` with no URL: nothing
  serves it but a view that asked the access layer first and then calls `serve_private_file`;
- `RandomName("consents")` — `upload_to` giving `consents/<uuid4 hex>.<checked extension>`: the
  original name (often the child's surname) is not kept;
- `FileContentValidator(...)` — the file is what its extension says, judged by its bytes (an HTML
  page named `x.pdf` is refused), and within the size limit of its kind;
- `serve_private_file(request, fieldfile, download_name)` — Django streams the file, or, with
  `PRIVATE_FILES_SERVE = "nginx"` / `"apache"`, hands it to the web server
  (`X-Accel-Redirect: /_private/<name>` / `X-Sendfile: <path>`).
"""

from __future__ import annotations

import mimetypes
import os
import uuid
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.deconstruct import deconstructible

from .guards import MB, UploadRefused, ZipLimits, check_zip

ACCEL_REDIRECT_PREFIX = "/_private/"


class PrivateStorage(FileSystemStorage):
    """A FileSystemStorage whose place follows `settings.PRIVATE_FILE_ROOT` and that has no URL."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_FILE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("A private file has no URL: a view serves it after checking access.")


_PRIVATE_STORAGE = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of every personal file (a callable, so migrations name it rather than copy it)."""
    return _PRIVATE_STORAGE


@deconstructible
class RandomName:
    """`upload_to`: `<folder>/<uuid4 hex><extension>`; the extension was checked by the validator."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: Any, filename: str) -> str:
        suffix = PurePosixPath(filename).suffix.lower()
        if not suffix[1:].isalnum() or len(suffix) > 6:
            suffix = ""
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


# --- what a file is, by its bytes -------------------------------------------------------------------

FORMAT_LABELS = {
    "pdf": "PDF",
    "jpeg": "JPEG",
    "png": "PNG",
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
    "doc": "Word 97–2003 (.doc)",
    "xls": "Excel 97–2003 (.xls)",
    "odt": "OpenDocument (.odt)",
    "ods": "OpenDocument (.ods)",
    "zip": "ZIP",
    "txt": "текст",
    "csv": "CSV",
}
EXTENSIONS = {
    "pdf": (".pdf",),
    "jpeg": (".jpg", ".jpeg"),
    "png": (".png",),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
    "doc": (".doc",),
    "xls": (".xls",),
    "odt": (".odt",),
    "ods": (".ods",),
    "zip": (".zip",),
    "txt": (".txt", ".tsv"),
    "csv": (".csv",),
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "odt": "content.xml",
    "ods": "content.xml",
}


def looks_like_text(data: bytes) -> bool:
    """UTF-8 (with or without BOM) or Windows-1251, with no NUL: what a .txt or .csv holds."""
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3:  # a sample cut inside a character
            return True
        try:
            data.decode("cp1251")
        except UnicodeDecodeError:
            return False
    return True


def _zip_names(handle: IO[bytes]) -> set[str] | None:
    try:
        archive = check_zip(handle.read(), ZipLimits())
    except UploadRefused:
        return None
    with archive:
        return set(archive.namelist())


def content_matches(file_format: str, handle: IO[bytes]) -> bool:
    """Does the file (read from its start) hold `file_format`? Leaves the handle at the start."""
    handle.seek(0)
    head = handle.read(8192)
    handle.seek(0)
    try:
        if file_format == "pdf":
            return head.startswith(b"%PDF-")
        if file_format == "jpeg":
            return head.startswith(b"\xff\xd8\xff")
        if file_format == "png":
            return head.startswith(b"\x89PNG\r\n\x1a\n")
        if file_format in ("doc", "xls"):
            return head.startswith(_OLE)
        if file_format in ("txt", "csv"):
            return bool(head.strip()) and looks_like_text(head)
        if not head.startswith(b"PK\x03\x04"):
            return False
        names = _zip_names(handle)
        if names is None:
            return False
        part = _ZIP_PARTS.get(file_format)
        return part is None or part in names
    finally:
        handle.seek(0)


def format_for_name(name: str, allowed: Sequence[str]) -> str | None:
    suffix = PurePosixPath(name).suffix.lower()
    return next((f for f in allowed if suffix in EXTENSIONS[f]), None)


def allowed_label(allowed: Sequence[str]) -> str:
    return ", ".join(FORMAT_LABELS[f] for f in allowed)


def check_file_content(
    name: str, handle: IO[bytes], size: int, allowed: Sequence[str], max_bytes: int
) -> str:
    """The format of an uploaded file, or ValidationError (Russian): wrong extension, bytes that are
    not what the extension says, or over the size limit."""
    shown = PurePosixPath(name).name
    if size > max_bytes:
        raise ValidationError(f"Файл «{shown}» больше {max_bytes // MB} МБ — это предел для такого файла.")
    file_format = format_for_name(name, allowed)
    if file_format is None:
        raise ValidationError(f"Файл «{shown}»: допустимые форматы — {allowed_label(allowed)}.")
    if not content_matches(file_format, handle):
        raise ValidationError(
            f"Файл «{shown}» не является файлом {FORMAT_LABELS[file_format]}: его содержимое не совпадает "
            "с расширением. Сохраните документ заново в нужном формате."
        )
    return file_format


@deconstructible
class FileContentValidator:
    """A model field's validator: allowed formats checked by content and the size limit read from
    the setting `limit_setting` (megabytes). Files already stored were checked when uploaded."""

    def __init__(self, formats: Sequence[str], limit_setting: str) -> None:
        self.formats = tuple(formats)
        self.limit_setting = limit_setting

    def __call__(self, value: Any) -> None:
        if not value or getattr(value, "_committed", True):
            return
        max_bytes = int(getattr(settings, self.limit_setting)) * MB
        check_file_content(value.name, value.file, value.size, self.formats, max_bytes)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, FileContentValidator)
            and other.formats == self.formats
            and other.limit_setting == self.limit_setting
        )

    def __hash__(self) -> int:
        return hash((self.formats, self.limit_setting))


# --- serving ------------------------------------------------------------------------------------------


def serve_private_file(request: HttpRequest, fieldfile: Any, download_name: str) -> HttpResponseBase:
    """The response for a private file the caller has already allowed `request.user` to open."""
    if not fieldfile or not fieldfile.storage.exists(fieldfile.name):
        raise Http404("Файл не найден")
    mode = getattr(settings, "PRIVATE_FILES_SERVE", "django")
    response: HttpResponseBase
    if mode in ("nginx", "apache"):
        content_type = mimetypes.guess_type(download_name)[0] or "application/octet-stream"
        response = HttpResponse(content_type=content_type)
        if mode == "nginx":
            response["X-Accel-Redirect"] = ACCEL_REDIRECT_PREFIX + quote(fieldfile.name)
        else:
            response["X-Sendfile"] = fieldfile.storage.path(fieldfile.name)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(download_name)}"
    else:
        response = FileResponse(fieldfile.open("rb"), as_attachment=True, filename=download_name)
    response["Cache-Control"] = "private, no-store"
    return response


def private_file_suffix(fieldfile: Any) -> str:
    return PurePosixPath(fieldfile.name).suffix.lower() if fieldfile else ""


__all__ = [
    "FileContentValidator",
    "RandomName",
    "UploadRefused",
    "check_file_content",
    "private_storage",
    "serve_private_file",
]
