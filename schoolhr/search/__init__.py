"""One search index for every kind of content: FAQ answers, step guides and checklist templates.

Text is normalised (``schoolhr.text.normalize``) and split into CJK bigrams plus a trailing
unigram per run of CJK characters, Latin words kept whole, then indexed with SQLite FTS5. A 1-
character query is a prefix query over those tokens, a longer one a phrase of its bigrams, so
every query of any length is served by the index.
"""
