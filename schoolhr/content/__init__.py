"""Content as data: the bundled release (FAQ, checklists, guides, reward rules), what its
schemas share, its validation (``schoolhr content check``), its installation into the database,
and the content packs the county publishes."""
