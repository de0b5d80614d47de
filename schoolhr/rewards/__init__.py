"""Reward points: the append-only ledger, the county's versioned rules, year summaries and award
proposals, with their xlsx, CSV and certificate exports."""
