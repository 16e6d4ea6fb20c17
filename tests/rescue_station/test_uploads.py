"""Uploads are checked by their bytes and size; photos are re-encoded without their metadata."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cases import services
from cases.models import Person, Stay
from rescue_station.uploads import EvidenceValidator, PhotoValidator, evidence_kind


def _jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (27.0, 50.0, 0.0), 3: "E", 4: (113.0, 8.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _noise_png(megabytes: float) -> bytes:
    side = int((megabytes * 1024 * 1024 / 3) ** 0.5) + 1
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=0)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _register(station, user, photo):
    return services.stay_register(
        station=station,
        acting_user=user,
        admitted_at=datetime(2024, 5, 1, 2, tzinfo=UTC),
        source="self",
        person_data={"name": "王五", "gender": "male"},
        photo=photo,
    )


def test_a_photo_is_stored_without_its_gps_position_and_served_as_its_type(
    media, users, station, client_for
):
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(0x010F) == "PhoneMaker"
    stay = _register(station, users["station_staff"], SimpleUploadedFile("p.jpg", original))
    stored = stay.person.photo.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert image.size == (64, 48)
    response = client_for("station_staff").get(reverse("cases:person_photo", args=[stay.pk]))
    assert response["Content-Type"] == "image/jpeg"


def test_a_photo_is_typed_by_its_bytes_not_its_name(media, users, station, client_for):
    png = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(png, format="PNG")
    stay = _register(station, users["station_staff"], SimpleUploadedFile("p.jpg", png.getvalue()))
    response = client_for("station_staff").get(reverse("cases:person_photo", args=[stay.pk]))
    assert response["Content-Type"] == "image/png"


def test_a_file_that_is_not_an_image_is_refused_on_the_page_and_nothing_is_saved(media, client_for):
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    response = client_for("station_staff").post(
        reverse("cases:stay_create"),
        {
            "identified": "1",
            "name": "赵六",
            "gender": "male",
            "admitted_at": "2024-05-01T09:00",
            "source": "self",
            "health_status": "good",
            "photo": fake,
        },
    )
    assert response.status_code == 200
    assert not Stay.objects.exists() and not Person.objects.exists()
    assert not any(media.rglob("*.*"))


def test_a_photo_above_the_limit_is_refused(media, settings, users, station):
    settings.PHOTO_MAX_MB = 1
    big = SimpleUploadedFile("big.png", _noise_png(1.3))
    with pytest.raises(ValidationError) as refused:
        _register(station, users["station_staff"], big)
    assert "1 MB" in str(refused.value)
    assert not Person.objects.exists()
    PhotoValidator()(SimpleUploadedFile("ok.png", _noise_png(0.5)))  # under the limit: fine


def test_a_replaced_photo_file_is_deleted(
    media, users, station, django_capture_on_commit_callbacks
):
    clerk = users["station_staff"]
    stay = _register(station, clerk, SimpleUploadedFile("a.jpg", _jpeg_with_gps()))
    first = stay.person.photo.path
    assert os.path.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        services.person_identify(
            person=stay.person,
            acting_user=clerk,
            data={"name": "王五"},
            identified=True,
            photo=SimpleUploadedFile("b.jpg", _jpeg_with_gps((32, 32))),
        )
    assert not os.path.exists(first)
    assert os.path.exists(Person.objects.get().photo.path)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("报告.pdf", b"%PDF-1.7\n...", "pdf"),
        ("扫描件.bin", b"\xff\xd8\xff\xe0rest", "jpg"),
        ("旧表.xls", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 50, "xls"),
    ],
)
def test_evidence_is_recognised_by_its_bytes(name, content, kind):
    upload = SimpleUploadedFile(name, content)
    assert evidence_kind(upload) == kind
    EvidenceValidator()(upload)


def test_an_excel_workbook_is_evidence_and_a_plain_zip_is_not():
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    EvidenceValidator()(SimpleUploadedFile("台账.xlsx", out.getvalue()))
    import zipfile

    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("run.sh", "rm -rf /")
    with pytest.raises(ValidationError):
        EvidenceValidator()(SimpleUploadedFile("台账.xlsx", other.getvalue()))


@pytest.mark.parametrize("content", [b"<html></html>", b"MZ\x90\x00 a program", b"plain text"])
def test_other_evidence_files_are_refused_with_a_message(content):
    with pytest.raises(ValidationError) as refused:
        EvidenceValidator()(SimpleUploadedFile("证明.pdf", content))
    assert "PDF" in str(refused.value)


def test_evidence_above_its_limit_is_refused(settings):
    settings.EVIDENCE_MAX_MB = 1
    with pytest.raises(ValidationError):
        EvidenceValidator()(SimpleUploadedFile("a.pdf", b"%PDF-1.4" + b"0" * (1024 * 1024 + 1)))
