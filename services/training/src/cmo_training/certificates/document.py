"""A certificate as a printable PDF in Georgian and English, with a QR code to verify it.

The text is set in DejaVu Sans (it has the Georgian script), taken from the font files that
matplotlib ships, so no font is committed here or needed from the system. The QR code holds
the public verification address; the signed credential itself is the JSON download.
"""

import io
from datetime import datetime
from functools import cache
from pathlib import Path

import matplotlib
import segno
from cmo_shared.schedule import TBILISI
from fpdf import FPDF

from .domain import Certificate

INK, MUTED, ACCENT = (20, 33, 61), (90, 98, 112), (0, 94, 132)


@cache
def _font(style: str) -> Path:
    name = "DejaVuSans-Bold.ttf" if style == "B" else "DejaVuSans.ttf"
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


def _date(moment: datetime) -> str:
    return moment.astimezone(TBILISI).strftime("%d.%m.%Y")


def qr_png(url: str) -> bytes:
    """A QR code of an address, as PNG."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def certificate_pdf(certificate: Certificate, issuer: str, verify_url: str) -> bytes:
    """The certificate on one A4 landscape page: who, what, when, and how to verify it."""
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(f"Certificate {certificate.certificate_id}")
    pdf.set_author(issuer)
    pdf.set_creator("CMO platform")
    pdf.set_lang(certificate.language)
    for style in ("", "B"):
        pdf.add_font("DejaVu", style, str(_font(style)))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    def line(text: str, size: float, *, bold: bool = False, color=INK, gap: float = 4) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.set_text_color(*color)
        pdf.multi_cell(pdf.w - 60, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_left_margin(30)
    pdf.set_y(26)
    line(issuer, 14, color=MUTED, gap=10)
    line("სერტიფიკატი", 30, bold=True, color=ACCENT, gap=2)
    line("Certificate of attendance", 16, color=ACCENT, gap=12)
    line(certificate.name, 26, bold=True, gap=2)
    line(certificate.legal_name, 13, color=MUTED, gap=10)
    line("დაესწრო · attended", 12, color=MUTED, gap=3)
    line(certificate.title.get("ka", ""), 18, bold=True, gap=1)
    line(certificate.title.get("en", ""), 15, gap=8)
    share = round(certificate.attendance * 100)
    line(
        f"დასწრება {share}% · attendance {share}% · {_date(certificate.issued_at)}",
        12,
        color=MUTED,
    )

    size = 38
    pdf.image(io.BytesIO(qr_png(verify_url)), x=pdf.w - 30 - size, y=pdf.h - 26 - size, w=size)
    pdf.set_xy(30, pdf.h - 26 - 16)
    pdf.set_font("DejaVu", "", 9)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        pdf.w - 80 - size,
        4.5,
        f"გადაამოწმეთ · Verify: {verify_url}\n"
        f"№ {certificate.certificate_id} · Open Badges 3.0, signed with the issuer's Ed25519 key",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
