"""Content as data: the bundled FAQ (and later guides, checklists, reward rules), its schema,
its validation (``schoolhr content check``) and its installation into the database."""
