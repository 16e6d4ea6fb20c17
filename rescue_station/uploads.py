"""Uploaded files, checked by what they contain, not by their names.

Photos of persons are JPEG, PNG or WebP, at most ``PHOTO_MAX_MB``, and are re-encoded before they
are stored: the pixels are kept, everything else (EXIF with its GPS position, comments, embedded
thumbnails) is dropped. Evidence files are PDF, images, Word or Excel files, at most
``EVIDENCE_MAX_MB``. Django has no setting for a file's size, so the limits are validators on the
fields; the TLS proxy's body limit must be set above the largest (README).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

PHOTO_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
# What photos are stored as: a PNG keeps its transparency, everything else becomes a JPEG.
STORED_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "JPEG"}
# A photo larger than this (pixels a side) is scaled down when it is stored.
PHOTO_MAX_SIDE = 2000

EVIDENCE_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}
OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")


def _head(file: IO[bytes], size: int = 4096) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(size)
    file.seek(position)
    return head


def _size(file: Any) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(0)
    return size


def _too_large(limit_mb: int) -> ValidationError:
    return ValidationError(
        _("The file is larger than %(limit)s MB.") % {"limit": limit_mb}, code="file_too_large"
    )


def photo_format(file: Any) -> str:
    """The photo's format from its bytes (JPEG, PNG or WEBP), or a ValidationError."""
    from PIL import Image, UnidentifiedImageError

    file.seek(0)
    try:
        with Image.open(file) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind = None
    finally:
        file.seek(0)
    if kind not in PHOTO_FORMATS:
        raise ValidationError(_("A photo must be a JPEG, PNG or WebP image."), code="photo_type")
    return kind


@deconstructible
class PhotoValidator:
    """A photo: JPEG, PNG or WebP by its bytes, at most PHOTO_MAX_MB."""

    def __call__(self, file: Any) -> None:
        if getattr(file, "_committed", True) and not hasattr(file, "content_type"):
            return  # a photo already stored (re-validated on every save of the record)
        limit = settings.PHOTO_MAX_MB
        if _size(file) > limit * 1024 * 1024:
            raise _too_large(limit)
        photo_format(file)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PhotoValidator)


@deconstructible
class EvidenceValidator:
    """An evidence file: PDF, image, Word or Excel by its bytes, at most EVIDENCE_MAX_MB."""

    def __call__(self, file: Any) -> None:
        if getattr(file, "_committed", True) and not hasattr(file, "content_type"):
            return
        limit = settings.EVIDENCE_MAX_MB
        if _size(file) > limit * 1024 * 1024:
            raise _too_large(limit)
        if evidence_kind(file) is None:
            raise ValidationError(
                _(
                    "An evidence file must be a PDF, an image (JPEG, PNG, WebP), a Word or an Excel file."
                ),
                code="evidence_type",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EvidenceValidator)


def evidence_kind(file: Any) -> str | None:
    """The kind of an evidence file from its bytes (a key of EVIDENCE_TYPES), or None."""
    head = _head(file)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(OLE_SIGNATURE):
        name = PurePath(getattr(file, "name", "") or "").suffix.lower()
        return "xls" if name == ".xls" else "doc"
    if head.startswith(b"PK\x03\x04"):
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            file.seek(0)
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


def content_type_of(file: Any) -> str:
    """The content type a stored file is served with, from its bytes."""
    with file.storage.open(file.name, "rb") as handle:  # its own handle: the response keeps one
        kind = evidence_kind(handle)
    return EVIDENCE_TYPES.get(kind or "", "application/octet-stream")


def reencode_photo(file: Any) -> ContentFile:
    """The photo's pixels in a new file, without its metadata (EXIF, GPS, comments)."""
    from PIL import Image, ImageOps

    kind = photo_format(file)
    with Image.open(file) as image:
        image = ImageOps.exif_transpose(image)  # keep it upright once the EXIF is gone
        image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        stored = STORED_FORMAT[kind]
        if stored == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format=stored, **({"quality": 88} if stored == "JPEG" else {}))
    file.seek(0)
    extension = PHOTO_FORMATS[stored][1]
    stem = PurePath(getattr(file, "name", "") or "photo").stem or "photo"
    return ContentFile(out.getvalue(), name=f"{stem}.{extension}")
