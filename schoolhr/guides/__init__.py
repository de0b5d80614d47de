"""Step guides for the government self-service HR systems: format, progress, printing."""
