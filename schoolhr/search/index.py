"""Adding, replacing and removing documents in the search index (inside the caller's
transaction, so content and index change together or not at all)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from schoolhr.search.models import SearchDocument, SearchTermGroup
from schoolhr.search.tokens import index_tokens
from schoolhr.text import normalize

FTS_TABLE = "search_index"


def register_document(
    session: Session,
    *,
    kind: str,
    ref: str,
    title: str,
    subtitle: str = "",
    keywords: Iterable[str] = (),
    body: str = "",
) -> SearchDocument:
    """Index (or re-index) one document; ``(kind, ref)`` identifies it."""
    values, (title_tokens, keyword_tokens, body_tokens) = document_values(
        title, subtitle, keywords, body
    )
    document = session.execute(
        select(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.ref == ref)
    ).scalar_one_or_none()
    if document is None:
        document = SearchDocument(kind=kind, ref=ref)
        session.add(document)
    for name, value in values.items():
        setattr(document, name, value)
    session.flush()
    session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": document.id})
    session.execute(
        text(f"INSERT INTO {FTS_TABLE} (rowid, title, keywords, body) VALUES (:id, :t, :k, :b)"),
        {"id": document.id, "t": title_tokens, "k": keyword_tokens, "b": body_tokens},
    )
    return document


def document_values(
    title: str, subtitle: str, keywords: Iterable[str], body: str
) -> tuple[dict[str, object], tuple[str, str, str]]:
    """What a document's ``search_document`` row holds (title, subtitle, keywords and their
    normalised forms), and its index tokens (title, keywords, body)."""
    keywords = [k for k in keywords if k.strip()]
    norm_title, norm_keywords, norm_body = (
        normalize(title),
        normalize(" ".join(keywords)),
        normalize(body),
    )
    values: dict[str, object] = {
        "title": title,
        "subtitle": subtitle,
        "keywords": keywords,
        "normalized_title": norm_title,
        "normalized": f"{norm_title}\n{norm_keywords}\n{norm_body}",
    }
    tokens = (index_tokens(norm_title), index_tokens(norm_keywords), index_tokens(norm_body))
    return values, tokens


def unregister_document(session: Session, kind: str, ref: str) -> None:
    document = session.execute(
        select(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.ref == ref)
    ).scalar_one_or_none()
    if document is None:
        return
    session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": document.id})
    session.delete(document)


def replace_term_groups(
    session: Session, *, synonyms: list[list[str]], stopwords: list[str], origin: str
) -> None:
    """Replace the synonym groups and stop words that came from ``origin``."""
    session.execute(delete(SearchTermGroup).where(SearchTermGroup.origin == origin))
    for group in synonyms:
        session.add(SearchTermGroup(kind="synonym", terms=list(group), origin=origin))
    if stopwords:
        session.add(SearchTermGroup(kind="stopword", terms=list(stopwords), origin=origin))


# -- checking and healing ----------------------------------------------------------------------

FTS_CREATE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "title, keywords, body, tokenize = 'ascii', prefix = '1')"
)  # as migration 0003 makes it
FTS_CHECK = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('integrity-check')"


def index_problem(session: Session) -> str | None:
    """FTS5's own integrity check of the search index (SQLite's ``integrity_check`` does not
    look inside it); None when sound. Run it in a write transaction and roll back: the check
    is written as an INSERT but changes nothing."""
    try:
        session.execute(text(FTS_CHECK))
    except DBAPIError as exc:
        return str(exc.orig) if exc.orig is not None else str(exc)
    return None


def rebuild_index(session: Session) -> int:
    """The search index made again from the documents it indexes (the search index is derived
    data: ``search_document`` holds what was indexed); returns the number of documents."""
    session.execute(text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))
    session.execute(text(FTS_CREATE))
    rows = []
    for document in session.scalars(select(SearchDocument).order_by(SearchDocument.id)):
        title, keywords, body = [*document.normalized.split("\n", 2), "", ""][:3]
        rows.append(
            {
                "id": document.id,
                "t": index_tokens(title),
                "k": index_tokens(keywords),
                "b": index_tokens(body),
            }
        )
    if rows:
        session.execute(
            text(
                f"INSERT INTO {FTS_TABLE} (rowid, title, keywords, body) VALUES (:id, :t, :k, :b)"
            ),
            rows,
        )
    return len(rows)
