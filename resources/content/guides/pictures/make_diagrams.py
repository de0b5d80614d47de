"""Draw the annotated diagrams used by the bundled step guides (操作指引).

This script ONLY draws the few explanatory diagrams in this folder; it is not part of the
application and is not imported by it. The diagrams are schematic (boxes and arrows), not
screenshots: they show what a task achieves, never the real screens, menus or buttons.

Needs Pillow and a Traditional Chinese CJK font (Noto Sans CJK, as installed by the
fonts-noto-cjk package). Run from anywhere:

    python resources/content/guides/pictures/make_diagrams.py

It writes, next to itself:
    ecpa-sign-in-flow.png     eCPA 人事服務網的登入流程
    comp-leave-flow.png       職員加班 → 補休時數 → 申請補休，與 2 年期限
    webhr-mydata-flow.png     人事資料由 WebHR 流向 MyData，與資料更正的路線
    travel-card-flow.png      國旅卡休假補助：由休假紀錄與刷卡資料到核銷

Every label comes from the guides and FAQ entries that cite their sources; change the text
there first, then here.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
W, H = 800, 450

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
REGULAR = FONT_DIR / "NotoSansCJK-Regular.ttc"
BOLD = FONT_DIR / "NotoSansCJK-Bold.ttc"

INK = (31, 41, 55)  # dark grey-blue: text, arrows
BOX = (30, 58, 95)  # dark navy: step boxes
BOX_TEXT = (255, 255, 255)
NOTE_FILL = (243, 244, 246)
NOTE_LINE = (107, 114, 128)
WARN_FILL = (254, 243, 199)
WARN_LINE = (180, 83, 9)
WHITE = (255, 255, 255)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The Traditional Chinese face of the Noto Sans CJK collection."""
    path = BOLD if bold else REGULAR
    for index in range(10):
        try:
            face = ImageFont.truetype(str(path), size, index=index)
        except OSError:
            break
        if face.getname()[0].endswith("CJK TC"):
            return face
    raise SystemExit(f"找不到 Noto Sans CJK TC 字型（{path}）")


def wrap(draw: ImageDraw.ImageDraw, text: str, face, width: int) -> list[str]:
    """Break text into lines that fit width; explicit newlines are kept."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for ch in para:
            if draw.textlength(line + ch, font=face) <= width:
                line += ch
            else:
                lines.append(line)
                line = ch.lstrip()
        lines.append(line)
    return lines


def text_block(draw, box, text, face, fill, spacing=6, align="center"):
    x0, y0, x1, y1 = box
    lines = wrap(draw, text, face, x1 - x0 - 20)
    line_h = face.size + spacing
    total = line_h * len(lines) - spacing
    y = y0 + (y1 - y0 - total) / 2 - 2
    for line in lines:
        lw = draw.textlength(line, font=face)
        x = x0 + (x1 - x0 - lw) / 2 if align == "center" else x0 + 12
        draw.text((x, y), line, font=face, fill=fill)
        y += line_h


def step_box(draw, box, number, text, face, num_face):
    draw.rounded_rectangle(box, radius=12, fill=BOX)
    x0, y0, x1, _ = box
    if number:
        cx, cy, r = x0 + 20, y0 + 20, 13
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)
        nw = draw.textlength(number, font=num_face)
        draw.text((cx - nw / 2, cy - num_face.size / 2 - 3), number, font=num_face, fill=BOX)
        text_block(draw, (x0, y0 + 22, x1, box[3]), text, face, BOX_TEXT)
    else:
        text_block(draw, box, text, face, BOX_TEXT)


def note_box(draw, box, text, face, warn=False, align="left"):
    fill, line = (WARN_FILL, WARN_LINE) if warn else (NOTE_FILL, NOTE_LINE)
    draw.rounded_rectangle(box, radius=8, fill=fill, outline=line, width=2)
    text_block(draw, box, text, face, INK, spacing=5, align=align)


def arrow(draw, start, end, width=4, head=12, color=INK):
    (x0, y0), (x1, y1) = start, end
    draw.line((x0, y0, x1, y1), fill=color, width=width)
    if x0 == x1:  # vertical
        d = 1 if y1 > y0 else -1
        pts = [(x1, y1), (x1 - head * 0.7, y1 - d * head), (x1 + head * 0.7, y1 - d * head)]
    else:  # horizontal
        d = 1 if x1 > x0 else -1
        pts = [(x1, y1), (x1 - d * head, y1 - head * 0.7), (x1 - d * head, y1 + head * 0.7)]
    draw.polygon(pts, fill=color)


def title(draw, text, sub=None):
    draw.text((30, 18), text, font=font(28, bold=True), fill=INK)
    if sub:
        draw.text((32, 60), sub, font=font(16), fill=NOTE_LINE)
    draw.line((30, 88, W - 30, 88), fill=(209, 213, 219), width=2)


def save(img: Image.Image, name: str) -> None:
    out = HERE / name
    img.convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(out, optimize=True)
    print(f"{out.name}: {out.stat().st_size // 1024} KB")


def four_in_a_row(draw, top, bottom, labels, face, num_face):
    """Four numbered step boxes across the width, joined by arrows."""
    margin, gap = 30, 26
    bw = (W - 2 * margin - 3 * gap) / 4
    boxes = []
    for i, label in enumerate(labels):
        x0 = margin + i * (bw + gap)
        box = (int(x0), top, int(x0 + bw), bottom)
        step_box(draw, box, str(i + 1), label, face, num_face)
        boxes.append(box)
    mid = (top + bottom) // 2
    for a, b in itertools.pairwise(boxes):
        arrow(draw, (a[2] + 3, mid), (b[0] - 3, mid))
    return boxes


def ecpa_sign_in() -> None:
    img = Image.new("RGB", (W, H), WHITE)
    d = ImageDraw.Draw(img)
    title(d, "eCPA 人事服務網登入流程", "示意圖，不是實際畫面；按鈕與選單名稱以網站為準")
    f, fn, fs = font(17), font(16, bold=True), font(16)
    four_in_a_row(
        d,
        108,
        268,
        [
            "準備憑證\n自然人憑證或\n健保卡（讀卡機）\n或行動自然人憑證",
            "開啟 eCPA\n選擇登入方式",
            "插入卡片，\n輸入卡片密碼\n（行動憑證則\n在手機上確認）",
            "在應用系統清單\n選擇要用的系統\n（如 WebHR、\nMyData）",
        ],
        f,
        fn,
    )
    note_box(
        d,
        (30, 292, 385, 420),
        "第一次使用：先接好讀卡機，依 eCPA 網站說明安裝要求的憑證元件。",
        fs,
    )
    note_box(
        d,
        (415, 292, 770, 420),
        "看得到哪些系統，取決於帳號權限（由縣市人事處或系統管理者開通）。"
        "憑證與健保卡只能本人使用。",
        fs,
        warn=True,
    )
    save(img, "ecpa-sign-in-flow.png")


def comp_leave() -> None:
    img = Image.new("RGB", (W, H), WHITE)
    d = ImageDraw.Draw(img)
    title(d, "加班補休的流程（職員）", "示意圖：WebITR 實際畫面與功能名稱依各縣市版本而定")
    f, fn = font(19), font(16, bold=True)
    four_in_a_row(
        d,
        108,
        238,
        [
            "主管事先\n指派或核准加班",
            "在 WebITR\n申請加班，\n依規定刷加班卡",
            "選擇補休：\n核准的時數\n記入可補休時數",
            "以請假方式\n申請補休\n（以小時計）",
        ],
        f,
        fn,
    )
    # timeline: each overtime record has its own 2-year limit
    y = 318
    d.text((30, 262), "每一筆加班各自計算期限：", font=font(18, bold=True), fill=INK)
    d.line((70, y, 700, y), fill=INK, width=4)
    arrow(d, (690, y), (730, y))
    for x, label in ((70, "加班日"), (660, "2 年內要補休完畢")):
        d.ellipse((x - 8, y - 8, x + 8, y + 8), fill=BOX)
        lw = d.textlength(label, font=font(17))
        d.text((x - lw / 2 if x > 100 else x - 20, y + 14), label, font=font(17), fill=INK)
    span = "← 約 2 年 →"
    d.text(
        (365 - d.textlength(span, font=font(17)) / 2, y - 34), span, font=font(17), fill=NOTE_LINE
    )
    note_box(
        d,
        (30, 372, 770, 432),
        "依人事總處說明：112年1月1日以後的加班補休，自114年1月1日起陸續屆期。教師不適用這項規定。",
        font(16),
        warn=True,
    )
    save(img, "comp-leave-flow.png")


def webhr_mydata() -> None:
    img = Image.new("RGB", (W, H), WHITE)
    d = ImageDraw.Draw(img)
    title(
        d, "人事資料從 WebHR 到 MyData", "示意圖：學校人事建檔的資料，就是同仁在 MyData 看到的資料"
    )
    f, fn = font(19), font(16, bold=True)
    boxes = [
        (30, 110, 250, 250, "1", "學校人事\n在 WebHR 建檔\n（任免、獎懲、\n個人基本資料）"),
        (290, 110, 510, 250, "2", "資料傳到\nMyData 公務人員\n個人資料服務網"),
        (
            550,
            110,
            770,
            250,
            "3",
            "同仁由 eCPA\n登入 MyData 查看\n履歷、派免令、\n獎懲令、可退休日",
        ),
    ]
    for x0, y0, x1, y1, n, label in boxes:
        step_box(d, (x0, y0, x1, y1), n, label, f, fn)
    arrow(d, (253, 180), (287, 180))
    arrow(d, (513, 180), (547, 180))
    # correction loop: from MyData back to WebHR
    d.line((660, 253, 660, 300), fill=WARN_LINE, width=4)
    d.line((660, 300, 140, 300), fill=WARN_LINE, width=4)
    arrow(d, (140, 300), (140, 256), color=WARN_LINE)
    d.text((190, 306), "發現資料有誤時的更正路線", font=font(17, bold=True), fill=WARN_LINE)
    note_box(
        d,
        (30, 340, 770, 430),
        "同仁提供證明給學校人事 → 人事在 WebHR 更正 → MyData 隨之更新。\n"
        "「可退休日」在資料更正後隔日重新計算。聯絡時不要附上身分證字號等個資。",
        font(16),
        warn=True,
    )
    save(img, "webhr-mydata-flow.png")


def travel_card() -> None:
    img = Image.new("RGB", (W, H), WHITE)
    d = ImageDraw.Draw(img)
    title(d, "國旅卡休假補助的申請流程", "示意圖：系統畫面與申請期限以檢核系統公告及縣市函文為準")
    f, fn, fs = font(18), font(16, bold=True), font(16)
    # two inputs on the left
    note_box(d, (30, 108, 200, 178), "休假紀錄\n（人事登錄或\n由差勤系統轉入）", fs, align="center")
    note_box(d, (30, 198, 200, 268), "國旅卡\n刷卡消費資料", fs, align="center")
    step_box(d, (240, 118, 420, 258), "1", "國民旅遊卡\n檢核系統\n比對兩者\n（選對身分別）", f, fn)
    arrow(d, (203, 143), (237, 143))
    arrow(d, (203, 233), (237, 233))
    step_box(
        d,
        (460, 118, 620, 258),
        "2",
        "同仁確認明細、\n刪去不符規定的\n消費，列印\n申請表並簽章",
        f,
        fn,
    )
    arrow(d, (423, 188), (457, 188))
    step_box(d, (660, 118, 770, 258), "3", "學校人事\n審核後\n送會計\n核銷", f, fn)
    arrow(d, (623, 188), (657, 188))
    note_box(
        d,
        (30, 292, 770, 352),
        "兼任行政職務的教師以學年度（8月1日至次年7月31日）計算；職員選曆年或學年依縣市與學校規定。",
        fs,
    )
    note_box(
        d,
        (30, 368, 770, 428),
        "出差時用國旅卡墊付的交通、住宿費，檢核系統無法自動排除，要自己刪去，不可重複請領。\n"
        "在規定期限內申請；逾期一般視同放棄。",
        fs,
        warn=True,
    )
    save(img, "travel-card-flow.png")


if __name__ == "__main__":
    ecpa_sign_in()
    comp_leave()
    webhr_mydata()
    travel_card()
