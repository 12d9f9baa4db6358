"""Valid form data for any service definition, built from its field specs (tests only)."""

import io
from datetime import datetime

from PIL import Image

from app.constants import IST


def _image(kind):
    """A real, tiny image: uploads are decoded (to strip their metadata), so fakes are refused."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (40, 90, 160)).save(out, kind)
    return out.getvalue()


PNG = _image("PNG")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * 64
JPEG = _image("JPEG")
BY_MIME = {"image/png": PNG, "application/pdf": PDF, "image/jpeg": JPEG}

# Fields whose format a generic value would not meet.
OVERRIDES = {
    "file_number": "DL1068123456725",
    "passport_number": "Z1234567",
    "nationality": "GB",
    "visa_number": "VX123456",
}
STATION = "HR-GGM-SEC29"


def value_for(spec, upload):
    """A valid value for one field (its type's sample); `upload(mime)` returns an upload id."""
    from app.services.field_types import TYPES

    if spec["name"] in OVERRIDES and spec["type"] == "text":
        return OVERRIDES[spec["name"]]
    return TYPES[spec["type"]].sample(spec, datetime.now(IST), upload)


def valid_data(definition, upload):
    return {spec["name"]: value_for(spec, upload) for spec in definition["fields"]}


def applicant_for(definition):
    """The demo account that applies for this service."""
    return "citizen" if "citizen" in definition["applicants"] else "hotel"


def api_uploader(client, headers):
    def upload(mime):
        response = client.post(
            "/api/v1/uploads", headers=headers, data={"file": (io.BytesIO(BY_MIME[mime]), "f")}
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    return upload
