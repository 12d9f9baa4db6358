"""Valid form data for any service definition, built from its field specs (tests only)."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PIL import Image

IST = ZoneInfo("Asia/Kolkata")


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
PINCODE = "122009"


def verhoeff_complete(eleven):
    from app.services.forms import verhoeff_valid

    return next(eleven + str(d) for d in range(10) if verhoeff_valid(eleven + str(d)))


def value_for(spec, upload):
    """A valid value for one field; `upload(mime)` returns an upload id."""
    name, kind = spec["name"], spec["type"]
    now = datetime.now(IST).replace(second=0, microsecond=0)
    if name in OVERRIDES and kind == "text":
        return OVERRIDES[name]
    if kind == "text":
        return "Test value"
    if kind == "long_text":
        return "A full description, with a line break.\nSecond line."
    if kind == "number":
        return max(spec.get("min", 1), 1) if spec.get("min", 1) >= 1 else 1
    if kind == "date":
        return (
            "1950-01-15"
            if spec.get("not_future")
            else (now + timedelta(days=200)).date().isoformat()
        )
    if kind == "datetime":
        moment = now - timedelta(hours=2) if spec.get("not_future") else now + timedelta(days=10)
        return moment.isoformat()
    if kind == "select":
        return spec["choices"][0]["value"]
    if kind == "multi_select":
        return [spec["choices"][0]["value"]]
    if kind == "boolean":
        return False
    if kind == "phone":
        return "9876543210"
    if kind == "email":
        return "applicant@mail.co.in"
    if kind == "pincode":
        return PINCODE
    if kind == "aadhaar":
        return verhoeff_complete("23456789012")
    if kind == "vehicle_registration":
        return "HR26DQ1234"
    if kind == "file":
        return upload(spec["accept"][0])
    raise AssertionError(f"no test value for {kind}")


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
