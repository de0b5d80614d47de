"""Screenshots of every page and the main dialogs at the three screens of issue 21, to look at.

    python -m tests.ui.gallery OUTDIR [--size NAME ...]

needs ``xvfb-run`` (package xvfb). For each size it runs itself again under an Xvfb screen of
exactly that size (QT_QPA_PLATFORM=xcb, no window manager) and zooms the way the app does, with
its own zoom (the application font):

- ``1024x768-200``: the help desk's remote desktop, zoom 200 %;
- ``1280x720-150``: the projector, F11 (presentation mode: full screen, zoom 150 %);
- ``1366x768-100``: the old laptop, zoom 100 %;

each in the normal colours and in high contrast (``…-hc``). Both demo profiles (school and
county) are built in a temporary folder. The PNGs are named
``<profile>-<size>[-hc]-<page-or-dialog>.png``: the pages by their navigation titles, the
dialogs as import (with a preview), guide-window, presentation (first and longest step),
rewards-reason, site, helpdesk, export, not-found, shortcuts, about, news and, in the county
profile, faq-edit. Each screenshot is of the whole screen, so a dialog that does not fit shows
as cut off at its edge.

``--size`` runs the sizes named (all three by default); ``--child`` is the run under Xvfb.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZES = {
    "1024x768-200": (1024, 768, 200, False),
    "1280x720-150": (1280, 720, 150, True),  # True: F11, the presentation mode
    "1366x768-100": (1366, 768, 100, False),
}
ROOT = Path(__file__).resolve().parents[2]
IMPORT_COLUMNS = "name,school,region,role,duties,years,office phone,mobile,e-mail,LINE,notes"
NEWS = "\n\n".join(
    f"第 {i} 則：115 年度人事業務研習報名\n研習於 3 月 12 日在縣府第二會議室舉行，"
    "請各校兼任人事於 2 月 26 日前在研習系統報名，並攜帶筆電；當日說明差勤系統與國民旅遊卡的"
    "新版操作，以及小群組的積點申報方式。"
    for i in range(1, 7)
)
SCHOOLS = ("和平國小", "大同國小", "光復國中", "中正國小", "仁愛國小", "信義國中")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--size", action="append", choices=sorted(SIZES))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    sizes = args.size or list(SIZES)
    if args.child:
        return shoot(args.outdir.resolve(), sizes[0])
    failed = 0
    for name in sizes:
        width, height, _zoom, _f11 = SIZES[name]
        env = dict(os.environ, QT_QPA_PLATFORM="xcb")
        env.pop("QT_SCALE_FACTOR", None)  # the app zooms its font, not the screen
        command = [
            "xvfb-run",
            "-a",
            "-s",
            f"-screen 0 {width}x{height}x24",
            sys.executable,
            "-m",
            "tests.ui.gallery",
            str(args.outdir.resolve()),
            "--size",
            name,
            "--child",
        ]
        print(f"{name} …", flush=True)
        done = subprocess.run(command, cwd=ROOT, env=env, check=False)
        failed += done.returncode != 0
    shots = sorted(args.outdir.glob("*.png"))
    print(f"{len(shots)} screenshots in {args.outdir}")
    return 1 if failed else 0


def shoot(outdir: Path, size: str) -> int:
    from PySide6.QtTest import QTest

    from schoolhr.demo import build_demo
    from schoolhr.paths import prepare_data_dir
    from schoolhr.ui.app import application, build_main_window
    from schoolhr.ui.jobs import wait_for_jobs

    _width, _height, zoom, f11 = SIZES[size]
    app = application()
    with tempfile.TemporaryDirectory(prefix="schoolhr-gallery-") as temp:
        for role in ("school", "county"):
            paths = prepare_data_dir(Path(temp) / role)
            build_demo(paths, reset=False, role=role)
            window = build_main_window(app, paths)
            screen = app.primaryScreen()
            window.setGeometry(screen.availableGeometry())
            window.show()
            QTest.qWaitForWindowExposed(window)
            window.zoom.set_percent(zoom)
            if f11:
                window.set_presentation(True)
            for contrast in (False, True):
                window.zoom.set_high_contrast(contrast)
                window.contrast_action.setChecked(contrast)
                prefix = f"{role}-{size}" + ("-hc" if contrast else "")
                Gallery(app, window, outdir, prefix, Path(temp)).run()
            # the next window takes the app's palette as its normal one: leave it normal
            window.zoom.set_high_contrast(False)
            wait_for_jobs(30_000)
            if window.store is not None:
                window.store.close()
            window.close()
            window.deleteLater()
            QTest.qWait(50)
    return 0


class Gallery:
    def __init__(self, app: Any, window: Any, outdir: Path, prefix: str, temp: Path) -> None:
        self.app, self.window, self.outdir, self.prefix, self.temp = (
            app,
            window,
            outdir,
            prefix,
            temp,
        )

    def save(self, name: str) -> None:
        from PySide6.QtTest import QTest

        QTest.qWait(250)  # layouts settle, pictures scale, jobs report
        path = self.outdir / f"{self.prefix}-{name}.png"
        self.app.primaryScreen().grabWindow(0).save(str(path))

    def run(self) -> None:
        for key, title in zip(self.window.page_keys(), self.window.page_titles(), strict=True):
            self.window.show_page(key)
            self.save(title)
        for name, show in self.dialogs():
            self.dialog(name, show)

    def dialog(self, name: str, show: Callable[[], Any]) -> None:
        from PySide6.QtTest import QTest

        from schoolhr.ui.jobs import wait_for_jobs

        shown = show()
        if shown is None:
            return
        if not isinstance(shown, list):
            shown = [(name, shown)]
        wait_for_jobs(30_000)
        windows = []
        for shot, widget in shown:
            if callable(widget):
                widget = widget()
            QTest.qWaitForWindowExposed(widget)
            widget.raise_()
            self.save(shot)
            windows.append(widget)
        for widget in dict.fromkeys(windows):
            widget.close()
        QTest.qWait(50)

    def dialogs(self) -> list[tuple[str, Callable[[], Any]]]:
        from schoolhr.ui.dialogs.about_dialog import AboutDialog
        from schoolhr.ui.dialogs.export_dialog import ExportDialog
        from schoolhr.ui.dialogs.news_dialog import NewsDialog
        from schoolhr.ui.dialogs.not_found_dialog import NotFoundDialog
        from schoolhr.ui.dialogs.shortcuts_dialog import ShortcutsDialog
        from schoolhr.ui.dialogs.site_dialog import SiteDialog

        window = self.window
        found: list[tuple[str, Callable[[], Any]]] = [
            ("import", self.import_dialog),
            ("guide-window", self.guide_window),
            ("presentation", self.presentation),
            ("rewards-reason", self.rewards_reason),
            ("site", lambda: opened(SiteDialog(window.store, window))),
            ("helpdesk", window.show_helpdesk),
            ("export", lambda: opened(ExportDialog(3, window))),
            ("not-found", lambda: opened(NotFoundDialog("代理教師可以請婚假嗎", window))),
            ("shortcuts", lambda: opened(ShortcutsDialog(window))),
            ("about", lambda: opened(AboutDialog(window.paths, window))),
            ("news", lambda: opened(NewsDialog(NEWS, window))),
        ]
        if window.store is not None and window.store.site().role == "county":
            found.append(("faq-edit", self.faq_edit))
        return found

    def import_dialog(self) -> Any:
        page = self.window.contacts_page
        self.window.show_page("contacts")
        csv = self.temp / "匯入範例.csv"
        lines = [IMPORT_COLUMNS]
        for i in range(12):
            school = SCHOOLS[i % len(SCHOOLS)]
            lines.append(
                f"測試{i:02d},{school},臺中市,幹事,差勤,{i % 7},04-2222{3330 + i},"
                f"0955123{i:03d},t{i}@school.tw,,,"
            )
        lines.append("沒有學校,,,,,,not-a-phone,,bad-mail,,,")
        csv.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
        page.import_path(csv)
        return page.import_dialog

    def guide_window(self) -> Any:
        page = self.window.guides_page
        self.window.show_page("guides")
        guide = longest_guide(page)
        if guide is None:
            return None
        page.show_guide(guide.id)
        step = max(range(len(guide.steps)), key=lambda i: len(guide.steps[i].detail or ""))
        assert page.step_view is not None
        page.step_view.go_to(step)
        return page.open_narrow()

    def presentation(self) -> Any:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        page = self.window.guides_page
        self.window.show_page("guides")
        guide = longest_guide(page)
        if guide is None or page.step_view is None:
            return None
        page.show_guide(guide.id)
        page.step_view.go_to(0)
        show = page.present()
        step = max(range(len(guide.steps)), key=lambda i: len(guide.steps[i].detail or ""))

        def longest() -> Any:
            for _ in range(step):
                QTest.keyClick(show, Qt.Key.Key_PageDown)
            return show

        return [("presentation", show), ("presentation-longest", longest)]

    def rewards_reason(self) -> Any:
        """The reason asked when the county decides a claim (Qt's input dialog)."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QInputDialog

        self.window.show_page("rewards")
        taken: list[bool] = []

        def take() -> None:
            dialog = QApplication.activeModalWidget()
            if isinstance(dialog, QInputDialog):
                self.save("rewards-reason")
                taken.append(True)
                dialog.reject()

        QTimer.singleShot(600, take)
        self.window.rewards_page._ask_reason(self.window.tr("退回申報"))
        return None

    def faq_edit(self) -> Any:
        from schoolhr.ui.dialogs.faq_edit_dialog import FaqEditDialog
        from schoolhr.ui.pages.faq_page import ENTRY_ROLE

        faq = self.window.faq_page
        categories = [
            faq.categories.item(i).data(ENTRY_ROLE) for i in range(1, faq.categories.count())
        ]
        from schoolhr.faq import service

        store = self.window.store
        with store.read() as session:  # the entry with the longest answer: the fullest form
            entries = service.published_entries(session)
        entry_id = max(entries, key=lambda e: len(e.body)).id if entries else ""
        return opened(FaqEditDialog(store, categories, entry_id, self.window))


def opened(dialog: Any) -> Any:
    dialog.open()
    return dialog


def longest_guide(page: Any) -> Any:
    guides = list(page._guides.values())
    if not guides:
        return None
    return max(guides, key=lambda g: max(len(s.detail or "") for s in g.steps))


if __name__ == "__main__":
    sys.exit(main())
