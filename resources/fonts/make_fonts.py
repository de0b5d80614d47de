"""Build the fonts SchoolHR embeds in its PDF forms (see README.md beside this script).

    apt-get install fonts-cns11643-kai locales   # the source fonts and glibc's EUC-TW table
    pip install fonttools
    python resources/fonts/make_fonts.py [--source-dir DIR] [--charmap FILE]

Sources (Debian 12 packages):

- ``fonts-cns11643-kai`` 103.1+20181001-1: ``TW-Kai-98_1.ttf`` and ``TW-Kai-Ext-B-98_1.ttf``
  from /usr/share/fonts/truetype/cns11643/ (全字庫正楷體, (c) 2018 國家發展委員會,
  Open Government Data License version 1.0 / 政府資料開放授權條款－第1版).
- ``locales``: /usr/share/i18n/charmaps/EUC-TW.gz, glibc's mapping of CNS 11643-1992 planes
  1 to 7 to Unicode; it tells which plane each character belongs to.

Writes, beside this script (TrueType outlines, so reportlab can embed them as subsets):

- ``TW-Kai-subset.ttf``: the main font. ASCII, Latin-1, the punctuation and symbol blocks
  forms use, every character of Big5 (Python's ``cp950``: Big5 with Microsoft's additions) and
  of CNS 11643 planes 1 and 2 (常用字, 次常用字), all of plane 3 (rarer characters, among them
  many that occur in personal and place names: 堃 喆 犇 峯 …) and the characters in
  ``EXTRA_CHARACTERS``. About 20,000 glyphs.
- ``TW-Kai-Ext-B-subset.ttf``: the fallback for CJK Extension B and beyond (U+2xxxx): the
  supplementary-plane characters of CNS 11643 planes 3 and 4 (e.g. 𡒊 U+2148A, in Ext-B) and
  ``EXTRA_CHARACTERS``.

Hinting instructions are dropped (they matter for small sizes on screens, not for print, and
are a quarter of the glyph data), and so are the layout tables (GSUB/GPOS: vertical forms,
which the forms do not use) and vertical metrics. Names and the copyright notice are kept.
``LICENSE-OGDL-TW-1.0.txt`` is copied from the package's copyright file.

The output is deterministic for the same sources and fontTools version; the script prints the
glyph counts and sizes. Characters missing from both files are reported by
``schoolhr.reports.pdf.render_form`` at print time, never silently boxed.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

HERE = Path(__file__).resolve().parent
SOURCE_DIR = Path("/usr/share/fonts/truetype/cns11643")
CHARMAP = Path("/usr/share/i18n/charmaps/EUC-TW.gz")
COPYRIGHT = Path("/usr/share/doc/fonts-cns11643-kai/copyright")

MAIN_SOURCE = "TW-Kai-98_1.ttf"
EXT_B_SOURCE = "TW-Kai-Ext-B-98_1.ttf"
MAIN_OUTPUT = "TW-Kai-subset.ttf"
EXT_B_OUTPUT = "TW-Kai-Ext-B-subset.ttf"
LICENSE_OUTPUT = "LICENSE-OGDL-TW-1.0.txt"

# Characters that must print whatever the plane selection above says: rare characters seen in
# names (the PDF tests check each of them) and a few variants clerks type.
EXTRA_CHARACTERS = "堃喆犇峯碁銹裏墻恒粧嫺𡒊琍珮玥昇昕喬峰祐禎禕瑄瑋璿翊詠蓁〇℃№㎡㊣"

# Unicode blocks kept from the main font where it has them (punctuation and symbols on forms).
MAIN_BLOCKS = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 (× ÷ ° § …)
    (0x02C7, 0x02D9),  # modifier letters used as Bopomofo tone marks
    (0x2010, 0x206F),  # general punctuation (— ‥ … ※ ‧)
    (0x2100, 0x218F),  # letterlike symbols and number forms (℃ Ⅰ Ⅱ)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2460, 0x24FF),  # enclosed alphanumerics (① ⑴)
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes (□ ■ ○ ● △), □ stands for a missing character
    (0x2600, 0x26FF),  # miscellaneous symbols (★ ☆)
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。「」『』〈〉)
    (0x3100, 0x312F),  # Bopomofo
    (0x3200, 0x33FF),  # enclosed CJK letters and compatibility (㈠ ㊣ ㎡)
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF01, 0xFFEF),  # full-width forms
)


def cns_planes(charmap: Path) -> dict[int, set[int]]:
    """Code points per CNS 11643 plane (0: ASCII), read from glibc's EUC-TW charmap."""
    planes: dict[int, set[int]] = {}
    pattern = re.compile(r"<U([0-9A-F]+)>\s+(\S+)")
    with gzip.open(charmap, "rt", encoding="latin-1") as lines:
        for line in lines:
            match = pattern.match(line)
            if not match:
                continue
            code = int(match.group(1), 16)
            encoded = [int(byte, 16) for byte in match.group(2).split("/x")[1:]]
            if len(encoded) == 1:
                plane = 0
            elif len(encoded) == 2:
                plane = 1
            else:  # 0x8E 0xA1..0xAF: single shift 2 into plane 1..15
                plane = encoded[1] - 0xA0
            planes.setdefault(plane, set()).add(code)
    return planes


def big5() -> set[int]:
    """Every BMP character that Big5 (cp950) encodes in two bytes."""
    found = set()
    for code in range(0x80, 0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        try:
            if len(chr(code).encode("cp950")) == 2:
                found.add(code)
        except UnicodeEncodeError:
            pass
    return found


def make_subset(source: Path, target: Path, wanted: Iterable[int]) -> tuple[int, int]:
    """Subset ``source`` to the characters of ``wanted`` it has; returns (characters, bytes)."""
    font = TTFont(source, recalcTimestamp=False)  # keep head.modified: reproducible output
    cmap = font.getBestCmap()
    unicodes = sorted(code for code in set(wanted) if code in cmap)
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "FFTM", "vhea", "vmtx", "gasp"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.glyph_names = False
    options.notdef_outline = True
    options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.save(target)
    return len(unicodes), target.stat().st_size


def write_license(copyright_file: Path, target: Path) -> None:
    """The OGDL-TW 1.0 text from the Debian copyright file, without its Debian markup."""
    text = copyright_file.read_text(encoding="utf-8")
    start = text.index("License: OGDL-TW-1.0")
    end = text.index("\nFiles:", start)
    body = []
    for line in text[start:end].splitlines()[1:]:
        line = line[1:] if line.startswith(" ") else line
        body.append("" if line.strip() == "." else line.rstrip())
    header = (
        "全字庫正楷體 (TW-Kai, TW-Kai-Ext-B), version 103.1\n"
        "(c) 2018 National Development Council (國家發展委員會), Taiwan.\n"
        "Source: https://www.cns11643.gov.tw, via the Debian package fonts-cns11643-kai.\n"
        "Licensed under the Open Government Data License, version 1.0\n"
        "(政府資料開放授權條款－第1版, https://data.gov.tw/license; compatible with CC BY 4.0).\n"
        "The English text below is the one distributed with the Debian package.\n\n"
        "Open Government Data License, version 1.0\n\n"
    )
    target.write_text(header + "\n".join(body).strip() + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source-dir", type=Path, default=SOURCE_DIR)
    parser.add_argument("--charmap", type=Path, default=CHARMAP)
    parser.add_argument("--copyright", type=Path, default=COPYRIGHT)
    parser.add_argument("--out-dir", type=Path, default=HERE)
    args = parser.parse_args(argv)

    planes = cns_planes(args.charmap)
    extra = {ord(ch) for ch in EXTRA_CHARACTERS}
    blocks = {code for low, high in MAIN_BLOCKS for code in range(low, high + 1)}
    main_set = blocks | big5() | planes[1] | planes[2] | planes[3] | extra
    ext_b_set = {c for c in planes[3] | planes[4] | extra if c >= 0x20000}

    total = 0
    for source, output, wanted in (
        (MAIN_SOURCE, MAIN_OUTPUT, main_set),
        (EXT_B_SOURCE, EXT_B_OUTPUT, ext_b_set),
    ):
        count, size = make_subset(args.source_dir / source, args.out_dir / output, wanted)
        total += size
        print(f"{output}: {count} characters, {size / 1e6:.1f} MB")
    write_license(args.copyright, args.out_dir / LICENSE_OUTPUT)
    print(f"total {total / 1e6:.1f} MB")

    missing = [ch for ch in EXTRA_CHARACTERS if ord(ch) not in main_set | ext_b_set]
    if missing:
        print("not selected:", "".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
