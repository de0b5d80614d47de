"""Storage: the SQLite database, its migrations, its backups and the site identity."""
