"""Sync by files: signed content packs (county -> schools) and mergeable data packs."""
