"""A text browser for content that is data, never code.

Links are not followed by the widget: only http(s) links open, in the system browser, after the
user clicks them. No resource (image, style sheet, local file, network address) is ever loaded
from content, and raw HTML in Markdown is not interpreted.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

MARKDOWN = QTextDocument.MarkdownFeature(
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value
    | QTextDocument.MarkdownFeature.MarkdownNoHTML.value
)


class SafeTextBrowser(QTextBrowser):
    link_opened = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)

    def set_markdown(self, text: str) -> None:
        self.document().setMarkdown(text, MARKDOWN)

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        """Nothing from content is ever fetched or read from disk. Returning None would let
        Qt load an image itself, so an image is answered with an empty one."""
        if kind == QTextDocument.ResourceType.ImageResource.value:
            blank = QImage(1, 1, QImage.Format.Format_ARGB32)
            blank.fill(0)  # transparent
            return blank
        return ""

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() in {"http", "https"}:
            QDesktopServices.openUrl(url)
            self.link_opened.emit(url)
