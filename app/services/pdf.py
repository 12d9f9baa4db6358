"""PDF documents rendered with WeasyPrint and the Noto fonts shipped in app/static/fonts.

Today: the bilingual acknowledgement of a request, with a QR code that opens the public status
page. Certificates and letters follow the same path (issue 6).
"""

import base64
import io
import os

import qrcode
import qrcode.image.svg
from flask import render_template

from . import catalogue, service_types

FONTS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "static", "fonts")


def qr_data_uri(text):
    """An SVG QR code as a data: URI (no image library needed)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def acknowledgement_html(request, status_url):
    definition = service_types.definition_of(request)
    info = catalogue.state_info(definition, request.status)
    return render_template(
        "pdf/acknowledgement.html",
        r=request,
        d=definition,
        info=info,
        status_url=status_url,
        qr=qr_data_uri(status_url),
        fonts_dir=FONTS_DIR,
    )


def acknowledgement_pdf(request, status_url):
    """The acknowledgement as PDF bytes."""
    import weasyprint  # imported here: needs Pango, which only the PDF path requires

    html = acknowledgement_html(request, status_url)
    return weasyprint.HTML(string=html, base_url=FONTS_DIR).write_pdf()
