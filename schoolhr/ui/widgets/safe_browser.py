"""A text browser for content that is data, never code.

Links are not followed by the widget: only http(s) links open, in the system browser, after the
user clicks them. No resource (image, style sheet, local file, network address) is ever loaded
from content, and raw HTML in Markdown is not interpreted.

This holds for any text, also what ``schoolhr content check`` and the content pack check would
refuse today (an answer stored by an older pack, an entry edited before the check): raw HTML is
shown as text, an image as its description 〔圖片：…〕, and a link that is not http(s) (``file:``,
``javascript:``, ``mailto:`` …) as plain text; see ``make_inert``.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

MARKDOWN = QTextDocument.MarkdownFeature(
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value
    | QTextDocument.MarkdownFeature.MarkdownNoHTML.value
)
WEB_SCHEMES = frozenset({"http", "https"})


def is_web_address(href: str) -> bool:
    url = QUrl(href)
    return url.isValid() and url.scheme().lower() in WEB_SCHEMES and bool(url.host())


def plain_tooltip(text: str) -> str:
    """A tool tip that shows ``text`` as it is. Qt takes a tool tip that looks like HTML for
    rich text (and loads the local files its images name), so the text goes escaped into a
    paragraph of its own."""
    return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>" if text else ""


def make_inert(document: QTextDocument) -> int:
    """Turn every image of ``document`` into its description and every link that is not
    http(s) into plain text; how many were changed. Nothing is loaded either way (see
    ``SafeTextBrowser.loadResource``): this keeps a ``file:`` or ``javascript:`` link from
    looking clickable and an image from being asked for at all."""
    found: list[tuple[int, int, QTextCharFormat]] = []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.isValid():
                fmt = fragment.charFormat()
                if fmt.isImageFormat() or (fmt.isAnchor() and not is_web_address(fmt.anchorHref())):
                    found.append((fragment.position(), fragment.length(), fmt))
            fragments += 1
        block = block.next()
    cursor = QTextCursor(document)
    for position, length, fmt in reversed(found):  # from the end: positions before stay valid
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        if fmt.isImageFormat():
            alt = str(fmt.property(QTextFormat.Property.ImageAltText) or "").strip()
            cursor.insertText(f"〔圖片：{alt}〕" if alt else "〔圖片〕", QTextCharFormat())
        else:
            plain = QTextCharFormat(fmt)
            plain.setAnchor(False)
            plain.clearProperty(QTextFormat.Property.AnchorHref)
            plain.clearProperty(QTextFormat.Property.AnchorName)
            plain.clearForeground()
            plain.setFontUnderline(False)
            cursor.setCharFormat(plain)
    return len(found)


class SafeTextBrowser(QTextBrowser):
    link_opened = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)

    def set_markdown(self, text: str) -> None:
        """Show ``text`` as Markdown without HTML, images or links other than http(s)."""
        self.document().setMarkdown(text, MARKDOWN)
        make_inert(self.document())

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
