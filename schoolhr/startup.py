"""Opening a profile for use: the store, then the bundled content brought up to date.

The window (off the UI thread) and the command line both open a profile this way.
"""

from __future__ import annotations

import logging

from schoolhr.paths import DataPaths
from schoolhr.store.database import Store, open_store

log = logging.getLogger(__name__)


def open_profile(paths: DataPaths, *, checked: bool = False) -> Store:
    """The profile's store, its bundled content up to date and its search index sound.
    ``checked``: ``store.checks.check_before_open`` has just passed (see ``open_store``)."""
    from schoolhr.content.install import install_bundled_content

    store = open_store(paths, checked=checked)
    try:
        install_bundled_content(store)
        heal_search_index(store)
    except BaseException:
        store.close()
        raise
    return store


def heal_search_index(store: Store) -> bool:
    """The search index is derived data: when FTS5's own check finds it damaged, it is made
    again from the indexed documents, and the log says so. True when it was rebuilt."""
    from schoolhr.search.index import index_problem, rebuild_index
    from schoolhr.store.models import record_operation

    with store.read() as session:
        problem = index_problem(session)
    if problem is None:
        return False
    log.error("the search index is damaged (%s): rebuilding it", problem)
    with store.write() as session:
        count = rebuild_index(session)
        record_operation(
            session, "search-index", f"搜尋索引損壞（{problem}），已由 {count} 份文件重新建立"
        )
    log.warning("the search index was rebuilt from %d documents", count)
    return True
