"""A 獎狀-style certificate (A4 landscape) for a person's reward of a year.

Drawn with reportlab directly: a double frame, 「獎　狀」, the school and name, the reason (the
year's approved points and their kinds, or a reason given by the county), the proposal, the
issuer (this site's name) and the 民國 date. Text is set in the bundled 全字庫正楷體 with the
Ext-B fallback of ``schoolhr.reports.fonts``; a character neither font has prints as 「□」 and is
returned so the caller can say so.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4, landscape  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from sqlalchemy.orm import Session

from schoolhr import __version__
from schoolhr.errors import UserError
from schoolhr.files import write_atomically
from schoolhr.reports.fonts import (
    Runs,
    draw_runs,
    printable_runs,
    register_fonts,
    runs_width,
    wrap_runs,
)
from schoolhr.rewards.schema import NO_AWARD, RuleSet
from schoolhr.text import roc_date, roc_year

if TYPE_CHECKING:
    from schoolhr.rewards.service import Proposal

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
FRAME_COLOR = colors.HexColor("#7a2a1d")
NO_BREAK_BEFORE = set("，。、；：！？）」』》〉…")


@dataclass(frozen=True)
class Certificate:
    name: str
    school: str
    reason: str  # a sentence without the closing words: 「民國113年度……積點 12 點」
    proposal: str  # 「嘉獎一次」, or "" for none
    issuer: str  # the site's name
    issued_on: date


@dataclass(frozen=True)
class CertificateResult:
    missing_characters: list[str]
    size: int


def _centered(canvas: Canvas, y: float, runs: Runs, size: float) -> None:
    draw_runs(canvas, (PAGE_WIDTH - runs_width(runs, size)) / 2, y, runs, size)


def render_certificate(certificate: Certificate, target: Path) -> CertificateResult:
    """Write the certificate as a one-page A4-landscape PDF to ``target`` (replaced only when
    the whole file is written)."""
    fonts = register_fonts()
    missing: dict[str, None] = {}

    def runs(line: str) -> Runs:
        return printable_runs(line, fonts, missing)

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    canvas.setTitle(f"獎狀－{certificate.name}")
    canvas.setAuthor(certificate.issuer)
    canvas.setCreator(f"學校人事小幫手 {__version__}")

    # A double frame, with small squares at the inner corners.
    canvas.setStrokeColor(FRAME_COLOR)
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, PAGE_WIDTH - 24 * mm, PAGE_HEIGHT - 24 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(16 * mm, 16 * mm, PAGE_WIDTH - 32 * mm, PAGE_HEIGHT - 32 * mm)
    canvas.setFillColor(FRAME_COLOR)
    for x in (16 * mm, PAGE_WIDTH - 16 * mm):
        for y in (16 * mm, PAGE_HEIGHT - 16 * mm):
            canvas.rect(x - 2 * mm, y - 2 * mm, 4 * mm, 4 * mm, stroke=0, fill=1)

    canvas.setFillColor(colors.black)
    _centered(canvas, PAGE_HEIGHT - 54 * mm, runs("獎　　狀"), 60)

    left = 42 * mm
    width = PAGE_WIDTH - 2 * left
    y = PAGE_HEIGHT - 86 * mm
    heading = (
        f"{certificate.school}　{certificate.name}　君"
        if certificate.school
        else (f"{certificate.name}　君")
    )
    for line in wrap_runs(runs(heading), width, 26, NO_BREAK_BEFORE):
        draw_runs(canvas, left, y, line, 26)
        y -= 36
    y -= 6
    body = f"　　{certificate.reason}，表現優良，特頒此狀，以資鼓勵。"
    for line in wrap_runs(runs(body), width, 21, NO_BREAK_BEFORE)[:6]:
        draw_runs(canvas, left, y, line, 21)
        y -= 33
    if certificate.proposal:
        y -= 4
        draw_runs(canvas, left, y, runs(f"　　敘獎建議：{certificate.proposal}"), 17)

    issuer = certificate.issuer or "（未設定單位名稱）"
    _centered(canvas, 54 * mm, runs(issuer), 26)
    _centered(canvas, 34 * mm, runs(f"中華民國{roc_date(certificate.issued_on)}"), 20)
    canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    write_atomically(target, data, private=True)
    return CertificateResult(list(missing), len(data))


def certificate_for(
    session: Session, contact_id: int, year: int, issuer: str, issued_on: date | None = None
) -> Certificate:
    """The certificate of a person's proposal for ``year`` (its reason from the approved
    entries; the county's adjusted proposal when there is one). Refused (``UserError``, exit
    code 11) when there is no award to certify: points below the lowest threshold, with that
    threshold and the person's points, or the county's 不予敘獎."""
    from schoolhr.rewards import service

    proposal = service.proposal_of(session, year, contact_id)
    if proposal.final is None:
        raise UserError(_refusal(proposal, year, service.current_rules(session)))
    return Certificate(
        name=proposal.name,
        school=proposal.school,
        reason=service.reason_text(proposal, year),
        proposal=proposal.final or "",
        issuer=issuer,
        issued_on=issued_on or date.today(),
    )


def _refusal(proposal: Proposal, year: int, rules: RuleSet) -> str:
    from schoolhr.rewards.service import points_text

    who = f"{proposal.name}民國{roc_year(year)}年度"
    if proposal.adjustment is not None:
        return f"{who}經縣市人事處調整為{NO_AWARD}（{proposal.adjustment.reason}），不能製作獎狀。"
    lowest = min(rules.thresholds, key=lambda threshold: threshold.min_points)
    points = f"的積點為 {points_text(proposal.weighted)} 點"
    if proposal.weighted != proposal.approved_points:
        points += f"（已核定 {proposal.approved_points} 點，依每年上限及年資加成計算）"
    return (
        f"{who}{points}，未達敘獎門檻 {points_text(lowest.min_points)} 點"
        f"（{lowest.proposal}），不能製作獎狀。"
    )
