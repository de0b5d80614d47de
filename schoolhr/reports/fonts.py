"""The Traditional Chinese fonts embedded in every PDF, and per-character font fallback.

Two TrueType files are bundled in ``resources/fonts/`` (made by ``make_fonts.py`` there, see its
README): 全字庫正楷體 (TW-Kai, the look of 標楷體 on government forms) cut down to Big5 and CNS
11643 planes 1 to 3, and its Extension B companion cut down to the supplementary-plane characters
of planes 3 and 4. They are registered with reportlab once, on first use (about 50 ms), and
always embedded as subsets: a PDF never depends on the fonts of the PC that opens or prints it.

``split_runs`` cuts text into runs of one font each, the main font first and the Ext-B font
where the main one lacks a glyph. A character no bundled font has comes back as a run whose
font is ``None``; the PDF writer prints ``MISSING_MARK`` there and reports the character.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Container, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.fonts import addMapping  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics, ttfonts  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

from schoolhr.errors import UserError
from schoolhr.paths import resources_dir

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

MAIN_FONT = "SchoolHR-Kai"
EXT_B_FONT = "SchoolHR-Kai-ExtB"
# (reportlab name, file in resources/fonts), in fallback order.
FONT_FILES: tuple[tuple[str, str], ...] = (
    (MAIN_FONT, "TW-Kai-subset.ttf"),
    (EXT_B_FONT, "TW-Kai-Ext-B-subset.ttf"),
)
# The attribution the font licence (政府資料開放授權條款－第1版) asks for; shown in About.
FONT_ATTRIBUTION = (
    "列印字型：全字庫正楷體（TW-Kai），國家發展委員會提供，"
    "依政府資料開放授權條款－第1版（https://data.gov.tw/license）使用。"
)
MISSING_MARK = "□"  # printed in place of a character no bundled font has (the main font has it)


class FontFileError(UserError):
    """The bundled font files are missing or damaged: the installation is incomplete."""


@dataclass(frozen=True)
class FontSet:
    """The registered fonts, in fallback order, with the characters each can print."""

    names: tuple[str, ...]
    coverage: tuple[frozenset[int], ...]

    def font_for(self, char: str) -> str | None:
        """The first font that has a glyph for ``char``, or ``None``."""
        code = ord(char)
        for name, covered in zip(self.names, self.coverage, strict=True):
            if code in covered:
                return name
        return None


_lock = threading.Lock()
_fonts: FontSet | None = None


def register_fonts() -> FontSet:
    """Register the bundled fonts with reportlab (once per process; thread-safe)."""
    global _fonts
    if _fonts is not None:
        return _fonts
    with _lock:
        if _fonts is None:
            _fonts = _register(resources_dir() / "fonts")
    return _fonts


def _register(folder: Path) -> FontSet:
    _fix_to_unicode_for_supplementary_planes()
    names: list[str] = []
    coverage: list[frozenset[int]] = []
    for name, file_name in FONT_FILES:
        path = folder / file_name
        try:
            font = TTFont(name, str(path))
        except Exception as exc:  # reportlab raises TTFError, OSError or struct errors
            raise FontFileError(
                f"找不到或無法讀取列印用字型檔「{path}」（{exc}）；請重新安裝學校人事小幫手。"
            ) from exc
        pdfmetrics.registerFont(font)
        # One face for every style, so that no markup can ask for a font that is not embedded.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
        names.append(name)
        coverage.append(frozenset(font.face.charToGlyph))
    return FontSet(tuple(names), tuple(coverage))


def _printable(char: str) -> bool:
    """False for characters that take no room on paper: controls, format characters
    (zero-width space, BOM), and variation selectors (an IVS after a name character only picks
    a glyph variant: the base character prints)."""
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Cs"):
        return False
    code = ord(char)
    return not (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


def split_runs(text: str, fonts: FontSet) -> Iterator[tuple[str | None, str]]:
    """``(font name or None, text)`` runs of ``text``; ``None`` runs are characters that no
    bundled font has. Tabs become spaces; other invisible characters are dropped (newlines are
    the caller's business and must not be passed)."""
    current: str | None = ""
    run: list[str] = []
    for char in text.replace("\t", " "):
        if not _printable(char):
            continue
        font = fonts.font_for(char)
        if font != current and run:
            yield current, "".join(run)
            run = []
        current = font
        run.append(char)
    if run:
        yield current, "".join(run)


# ---------------------------------------------------------------------------------------------
# runs of text: measured, drawn and wrapped on a canvas (the forms and the certificate)

Runs = list[tuple[str, str]]  # (font name, text)


def printable_runs(text: str, fonts: FontSet, missing: dict[str, None]) -> Runs:
    """``split_runs`` ready to draw: a character no bundled font has becomes ``MISSING_MARK``
    in the main font and is added to ``missing`` (an insertion-ordered set)."""
    runs: Runs = []
    for font, piece in split_runs(text, fonts):
        if font is None:
            missing.update(dict.fromkeys(piece))
            runs.append((MAIN_FONT, MISSING_MARK * len(piece)))
        else:
            runs.append((font, piece))
    return runs


def runs_width(runs: Runs, size: float) -> float:
    return float(sum(pdfmetrics.stringWidth(text, font, size) for font, text in runs))


def draw_runs(canvas: Canvas, x: float, y: float, runs: Runs, size: float) -> None:
    """``runs`` on one line from ``x`` (each run in its font), baseline at ``y``."""
    for font, text in runs:
        canvas.setFont(font, size)
        canvas.drawString(x, y, text)
        x += pdfmetrics.stringWidth(text, font, size)


def wrap_runs(runs: Runs, width: float, size: float, no_break_before: Container[str]) -> list[Runs]:
    """Lines of at most ``width``, broken between characters (CJK), never before a character of
    ``no_break_before`` (closing punctuation stays at the end of the line instead)."""
    lines: list[Runs] = []
    line: Runs = []
    used = 0.0
    for font, ch in ((font, ch) for font, text in runs for ch in text):
        advance = pdfmetrics.stringWidth(ch, font, size)
        if line and used + advance > width and ch not in no_break_before:
            lines.append(line)
            line, used = [], 0.0
        line.append((font, ch))
        used += advance
    if line:
        lines.append(line)
    return [merge_runs(line) for line in lines]


def merge_runs(chars: Runs) -> Runs:
    """Neighbouring runs of one font joined into one (one text object, so text extracts
    whole)."""
    merged: Runs = []
    for font, text in chars:
        if merged and merged[-1][0] == font:
            merged[-1] = (font, merged[-1][1] + text)
        else:
            merged.append((font, text))
    return merged


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ``makeToUnicodeCMap`` with UTF-16 surrogate pairs for code points above
    U+FFFF (reportlab writes them as five hex digits, which PDF readers reject, so text copied
    or extracted from an Ext-B character came out wrong). Identical output for the BMP."""

    def utf16(code: int) -> str:
        if code <= 0xFFFF:
            return f"{code:04X}"
        code -= 0x10000
        return f"{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{index:02X}> <{utf16(code)}>" for index, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


def _fix_to_unicode_for_supplementary_planes() -> None:
    # reportlab looks the function up in its module at PDF-writing time. The replacement writes
    # the same bytes for BMP characters, so other reportlab users in the process are unaffected.
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
