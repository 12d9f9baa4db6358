"""Public verification of issued documents: by code (typed, or from the QR code) or by upload.

No login. The page shows whether a document is genuine, current or revoked, and only what the
document itself says.
"""

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext as _

from app.services import documents

bp = Blueprint("verify", __name__)
MAX_PDF = 8 * 1024 * 1024


@bp.get("/verify")
def form():
    code = request.args.get("code", "", type=str)
    if code:
        return _result(code)
    return render_template("verify/form.html", error=None)


@bp.get("/verify/<code>")
def by_code(code):
    return _result(code)


def _result(code):
    status, document = documents.verify(code[:40])
    return render_template(
        "verify/result.html",
        status=status,
        doc=document,
        code=documents.display_code(document.code) if document else code[:40],
    ), (404 if status == "unknown" else 200)


@bp.post("/verify")
def upload():
    """Check a PDF someone was given: recognised byte for byte, or not at all."""
    file = request.files.get("file")
    content = file.stream.read(MAX_PDF + 1) if file and file.filename else b""
    if not content or len(content) > MAX_PDF or not content.startswith(b"%PDF"):
        error = _("Choose the PDF file of the document (up to 8 MB).")
        return render_template("verify/form.html", error=error), 400
    status, document = documents.verify_pdf(content)
    if status == "unknown":
        status = "not_ours"
    return render_template(
        "verify/result.html",
        status=status,
        doc=document,
        code=documents.display_code(document.code) if document else "",
        uploaded=True,
    ), (200 if document else 404)


@bp.get("/verify/public-key.pem")
def public_key():
    """The key documents are signed with, for anyone checking a signature offline."""
    return Response(documents.public_key_pem(), mimetype="application/x-pem-file")


def verify_url(code):
    return url_for("verify.by_code", code=documents.display_code(code), _external=True)


def document_download(document, filename):
    """An issued document's PDF (with its verification QR code) as a download."""
    from flask import make_response

    response = make_response(documents.pdf_bytes(document, verify_url(document.code)))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
