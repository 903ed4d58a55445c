"""The printable certificate: one A4 page in the learner's language, with a QR code that opens
the verification page of the certificate's badge.

Text uses the PDF standard fonts, which every reader has; they cover the Latin scripts of
Dutch, French and English names.
"""

import io
from dataclasses import dataclass
from datetime import datetime

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from learning.certification.messages import CERTIFICATE, local_date

GREEN = colors.HexColor("#1b5e20")
INK = colors.HexColor("#1d1d1b")
MUTED = colors.HexColor("#5f6368")
QR_SIZE = 42 * mm


@dataclass(frozen=True)
class CertificateData:
    language: str
    learner: str
    course: str
    number: str
    approved_at: datetime
    verification_url: str
    issuer: str


def _centred(canvas: Canvas, text: str, y: float, *, font: str, size: float, width: float):
    """Draw text centred on the page, wrapped to width; returns the y below it."""
    for line in simpleSplit(text, font, size, width):
        canvas.setFont(font, size)
        canvas.drawCentredString(A4[0] / 2, y, line)
        y -= size * 1.35
    return y


def _qr_code(canvas: Canvas, url: str, x: float, y: float) -> None:
    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        QR_SIZE, QR_SIZE, transform=[QR_SIZE / (right - left), 0, 0, QR_SIZE / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def render(data: CertificateData) -> bytes:
    """The certificate as PDF bytes."""
    text = CERTIFICATE[data.language]
    width, height = A4
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{text['badge']} {text['title'].lower()} {data.number}")
    canvas.setAuthor(data.issuer)
    canvas.setSubject(data.verification_url)

    canvas.setStrokeColor(GREEN)
    canvas.setLineWidth(3)
    canvas.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(18 * mm, 18 * mm, width - 36 * mm, height - 36 * mm)

    text_width = width - 60 * mm
    canvas.setFillColor(MUTED)
    y = _centred(
        canvas, text["title"].upper(), height - 55 * mm, font="Helvetica", size=16, width=text_width
    )
    canvas.setFillColor(GREEN)
    y = _centred(
        canvas, text["badge"], y - 8 * mm, font="Helvetica-Bold", size=40, width=text_width
    )
    canvas.setFillColor(INK)
    y = _centred(
        canvas, data.learner, y - 20 * mm, font="Helvetica-Bold", size=28, width=text_width
    )
    y = _centred(
        canvas,
        text["statement"].format(course=data.course),
        y - 8 * mm,
        font="Helvetica",
        size=14,
        width=text_width,
    )

    y -= 14 * mm
    for label, value in (
        (text["date"], local_date(data.approved_at, data.language)),
        (text["number"], data.number),
    ):
        canvas.setFillColor(MUTED)
        y = _centred(canvas, label, y, font="Helvetica", size=11, width=text_width)
        canvas.setFillColor(INK)
        y = _centred(canvas, value, y, font="Helvetica-Bold", size=14, width=text_width) - 4 * mm

    qr_y = 50 * mm
    _qr_code(canvas, data.verification_url, (width - QR_SIZE) / 2, qr_y)
    canvas.setFillColor(MUTED)
    y = _centred(canvas, text["verify"], qr_y - 6 * mm, font="Helvetica", size=10, width=text_width)
    canvas.setFillColor(INK)
    _centred(canvas, data.verification_url, y, font="Helvetica", size=9, width=text_width)
    canvas.linkURL(
        data.verification_url, ((width - QR_SIZE) / 2, qr_y, (width + QR_SIZE) / 2, qr_y + QR_SIZE)
    )

    canvas.setFillColor(MUTED)
    _centred(
        canvas,
        text["issuer"].format(issuer=data.issuer),
        25 * mm,
        font="Helvetica",
        size=10,
        width=text_width,
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
