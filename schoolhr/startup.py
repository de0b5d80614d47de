"""Opening a profile for use: the store, then the bundled content brought up to date.

The window (off the UI thread) and the command line both open a profile this way.
"""

from __future__ import annotations

from schoolhr.paths import DataPaths
from schoolhr.store.database import Store, open_store


def open_profile(paths: DataPaths) -> Store:
    from schoolhr.content.install import install_bundled_content

    store = open_store(paths)
    try:
        install_bundled_content(store)
    except BaseException:
        store.close()
        raise
    return store
