"""Issued documents: signed on the final step, verifiable by code and by the PDF, revocable."""

import re
from datetime import UTC, datetime, timedelta

from app.models import IssuedDocument
from app.services import documents
from tests.helpers.clock import MONDAY, act, submit_at, user


def _verified_tenant():
    request = submit_at("tenant_verification", MONDAY)
    t = MONDAY + timedelta(hours=1)
    request = act(request, "accept", "officer.sector29", t)
    request = act(
        request, "submit_report", "officer.sector29", t, "Address and references checked."
    )
    return act(request, "approve", "sho.sector29", t + timedelta(hours=1))


def test_the_final_step_issues_one_signed_document_that_verifies(catalogue_seeded, ctx):
    request = _verified_tenant()
    [document] = IssuedDocument.objects(request=request.id)
    assert document.kind == "verification_certificate"
    assert document.statements["outcome"]["en"] == "Verified"
    # About the tenant (the definition's document_subject), issued to the owner who applied.
    assert document.statements["subject"] == request.data["tenant_name"]
    assert document.statements["holder"] == request.applicant_name
    assert documents.verify(document.code) == ("genuine", document)
    shown = documents.display_code(document.code).lower().replace("0", "o")
    assert documents.verify(shown)[0] == "genuine"  # as a person might type it
    assert documents.issue(request, "verification_certificate") == document  # once only


def test_a_record_altered_in_the_database_fails_its_signature(catalogue_seeded, ctx):
    document = IssuedDocument.objects.get(request=_verified_tenant().id)
    statements = dict(document.statements, outcome={"en": "Verified", "hi": "x"}, holder="Someone")
    IssuedDocument.objects(code=document.code).update_one(set__statements=statements)
    assert documents.verify(document.code)[0] == "altered"


def test_unknown_and_malformed_codes_are_not_found(catalogue_seeded, ctx):
    assert documents.verify("ABCD-EFGH-JKMN") == ("unknown", None)
    assert documents.verify("<script>") == ("unknown", None)


def test_the_pdf_is_recognised_byte_for_byte_and_a_tampered_copy_is_not(catalogue_seeded, app):
    with app.test_request_context():
        document = IssuedDocument.objects.get(request=_verified_tenant().id)
        content = documents.pdf_bytes(document, "http://127.0.0.1/verify/x")
        assert content.startswith(b"%PDF")
        again = documents.pdf_bytes(document.reload(), "http://127.0.0.1/verify/x")
        assert again == content  # rendered once, then served as stored
        _check_uploads(content)


def _check_uploads(content):
    assert documents.verify_pdf(content)[0] == "genuine"
    tampered = (
        content.replace(b"Verified", b"Verifled", 1) if b"Verified" in content else content + b"%"
    )
    assert documents.verify_pdf(tampered) == ("unknown", None)


def test_revocation_needs_reasons_and_the_right_officer_and_shows_publicly(
    catalogue_seeded, ctx, client
):
    document = IssuedDocument.objects.get(request=_verified_tenant().id)
    for who, reason, status in (
        ("officer.sector29", "x", 403),  # a station officer may not revoke
        ("sho.nitkotwali", "x", 404),  # another station
        ("sho.sector29", " ", 400),
    ):
        try:
            documents.revoke(document, user(who), reason)
        except documents.DocumentError as error:
            assert error.http_status == status
        else:
            raise AssertionError(who)
    documents.revoke(document, user("sho.sector29"), "Tenant gave a false address.")
    assert documents.verify(document.code)[0] == "revoked"
    page = client.get(f"/verify/{documents.display_code(document.code)}").get_data(as_text=True)
    assert "Revoked" in page and "Tenant gave a false address." in page


def test_the_citizen_downloads_it_and_anyone_verifies_it_without_logging_in(
    catalogue_seeded, client, auth, app
):
    with app.app_context():
        request = _verified_tenant()
        document = IssuedDocument.objects.get(request=request.id)
    auth.login("citizen")
    page = client.get(f"/my/requests/{request.number}").get_data(as_text=True)
    link = re.search(r'href="(/my/requests/[^"]+/documents/[^"]+\.pdf)"', page).group(1)
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    auth.logout()
    assert client.get(link).status_code in (302, 401)
    result = client.get(f"/verify?code={document.code}").get_data(as_text=True)
    assert "Genuine and current" in result and "Verified" in result
    token = auth.csrf("/verify")
    upload = client.post(
        "/verify",
        data={"csrf_token": token, "file": (__import__("io").BytesIO(pdf.data), "c.pdf")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 200 and "Genuine and current" in upload.get_data(as_text=True)
    forged = client.post(
        "/verify",
        data={"csrf_token": token, "file": (__import__("io").BytesIO(pdf.data + b" "), "c.pdf")},
        content_type="multipart/form-data",
    )
    assert forged.status_code == 404 and "Not recognised" in forged.get_data(as_text=True)
    assert client.get("/verify/ZZZZ-ZZZZ-ZZZZ").status_code == 404
    assert b"PUBLIC KEY" in client.get("/verify/public-key.pem").data


def test_an_instant_report_issues_its_document_at_submission(catalogue_seeded, ctx):
    request = submit_at("lost_article", MONDAY)
    [document] = IssuedDocument.objects(request=request.id)
    assert document.kind == "lost_article_report"


def test_a_permission_letter_restates_the_event_and_carries_its_conditions(catalogue_seeded, app):
    now = datetime.now(UTC)  # the form's event dates are a few days from today
    with app.test_request_context():
        request = submit_at("event_permission", now)
        request = act(request, "accept", "officer.sector29", now)
        request = act(
            request,
            "grant",
            "sho.sector29",
            now,
            "Parking only in the school ground.",
        )
        document = IssuedDocument.objects.get(request=request.id)
        facts = {f["label"]["en"]: f["value"] for f in document.statements["facts"]}
        assert facts["Venue"]["en"] == request.data["venue"]
        # Dates as Indian forms write them, not ISO; a yes/no answer in each language.
        assert re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d IST", facts["Starts"]["en"])
        assert facts["Loudspeakers or amplified sound"] in (
            {"en": "Yes", "hi": "हाँ"},
            {"en": "No", "hi": "नहीं"},
        )
        conditions = document.statements["conditions"]
        assert len(conditions) == 5 and "Noise Pollution" in conditions[1]["en"]
        assert documents.verify(document.code)[0] == "genuine"  # the facts are signed too
        content = documents.pdf_bytes(document, "http://127.0.0.1/verify/x")
        assert content.startswith(b"%PDF")
    with app.test_client() as client:
        page = client.get(f"/verify/{documents.display_code(document.code)}").get_data(True)
        assert "Parking only in the school ground." in page and "Noise Pollution" in page
        assert request.data["venue"] in page


def _registered_senior(now):
    request = submit_at("senior_citizen_registration", now)
    request = act(request, "accept", "officer.sector29", now)
    request = act(request, "submit_report", "officer.sector29", now, "Lives alone.")
    return act(request, "approve", "sho.sector29", now)


def test_the_senior_citizen_card_is_wallet_sized_with_the_signed_photograph(catalogue_seeded, app):
    from app.services import uploads

    now = datetime.now(UTC)
    with app.test_request_context():
        request = _registered_senior(now)
        card = IssuedDocument.objects.get(request=request.id)
        photo = next(a for a in request.attachments if a.field == "photo")
        assert card.kind == "senior_citizen_card"
        assert card.statements["photo_sha256"] == photo.sha256
        assert [f["label"]["en"] for f in card.statements["facts"]] == [
            "Date of birth",
            "Emergency contact (name, relation, phone)",
        ]
        assert documents._photo_data_uri(card).startswith(f"data:{photo.mime};base64,")
        assert documents.pdf_bytes(card, "http://127.0.0.1/verify/x").startswith(b"%PDF")
        # Two pages (front and back) of 85.6 x 54 mm, in CSS pixels (96 to the inch).
        from weasyprint import HTML

        from app.services import pdf

        html = documents._render(card, "http://127.0.0.1/verify/x", pdf)
        pages = HTML(string=html, base_url=pdf.FONTS_DIR).render().pages
        assert [(round(p.width * 25.4 / 96, 1), round(p.height * 25.4 / 96, 1)) for p in pages] == [
            (85.6, 54.0),
            (85.6, 54.0),
        ]
        # A photograph swapped on disk is not printed as this person's.
        with open(uploads.path_of(photo.file_id), "ab") as handle:
            handle.write(b"another face")
        assert documents._photo_data_uri(card) is None


def test_the_qr_code_printed_is_the_address_of_the_documents_verification_page(
    catalogue_seeded, app
):
    """The PDF's QR image is exactly the QR code of /verify/<code> (no decoder here, so the
    image is compared with one made from the expected address), and that address says genuine."""
    from app.services import pdf
    from app.views.verify import verify_url

    app.config["PUBLIC_BASE_URL"] = "https://portal.example"
    with app.test_request_context():
        document = IssuedDocument.objects.get(request=_verified_tenant().id)
        address = verify_url(document.code)
        assert address == f"https://portal.example/verify/{documents.display_code(document.code)}"
        html = documents._render(document, address, pdf)
        assert f'src="{pdf.qr_data_uri(address)}"' in html
        assert pdf.qr_data_uri(address) != pdf.qr_data_uri(address + "x")  # the image tells
    path = address.removeprefix("https://portal.example")
    assert "Genuine and current" in app.test_client().get(path).get_data(as_text=True)


def test_a_certificate_states_the_photo_address_officers_and_validity_under_its_signature(
    catalogue_seeded, app
):
    with app.test_request_context():
        request = submit_at("character_certificate", MONDAY)
        t = MONDAY + timedelta(hours=1)
        request = act(request, "accept", "officer.sector29", t)
        request = act(request, "submit_report", "officer.sector29", t, "Nothing adverse.")
        request = act(request, "approve", "sho.sector29", t + timedelta(hours=1))
        [document] = IssuedDocument.objects(request=request.id)
        facts = {f["label"]["en"]: f["value"]["en"] for f in document.statements["facts"]}
        assert facts["Address verified"] == request.data["address"]
        assert facts["Verified by"].startswith("SI Pooja Rani")
        assert "Sub-Inspector" in facts["Verified by"]
        assert facts["Decided by"].startswith(user("sho.sector29").display_name)
        issued = document.issued_at.replace(tzinfo=UTC).astimezone(MONDAY.tzinfo)
        assert facts["Valid until"] == (issued + timedelta(days=180)).strftime("%d-%m-%Y")
        assert document.statements["photo_sha256"]  # the photograph is bound by the signature
        assert documents.verify(document.code)[0] == "genuine"
        html = documents._render(document, "https://portal.example/verify/x", documents.pdf)
        assert 'class="photo"' in html and "Valid until" in html
