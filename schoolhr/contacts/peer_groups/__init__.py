"""安心培力小群組: the builder (pure), the service (database, roster) and the county's pack."""
