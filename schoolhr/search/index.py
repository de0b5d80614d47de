"""Adding, replacing and removing documents in the search index (inside the caller's
transaction, so content and index change together or not at all)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select, text
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
    keywords = [k for k in keywords if k.strip()]
    keywords_text = " ".join(keywords)
    norm_title, norm_keywords, norm_body = (
        normalize(title),
        normalize(keywords_text),
        normalize(body),
    )
    document = session.execute(
        select(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.ref == ref)
    ).scalar_one_or_none()
    if document is None:
        document = SearchDocument(kind=kind, ref=ref)
        session.add(document)
    document.title = title
    document.subtitle = subtitle
    document.keywords = list(keywords)
    document.normalized_title = norm_title
    document.normalized = f"{norm_title}\n{norm_keywords}\n{norm_body}"
    session.flush()
    session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": document.id})
    session.execute(
        text(f"INSERT INTO {FTS_TABLE} (rowid, title, keywords, body) VALUES (:id, :t, :k, :b)"),
        {
            "id": document.id,
            "t": index_tokens(norm_title),
            "k": index_tokens(norm_keywords),
            "b": index_tokens(norm_body),
        },
    )
    return document


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
