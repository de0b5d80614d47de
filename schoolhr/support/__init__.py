"""Help-desk support: the report a supporter reads, the diagnostic zip a clerk attaches to a
ticket (no personal data, no database), personal-data masking, and the county's work list.

No Qt here: the help-desk panel (``schoolhr/ui``) and ``schoolhr diagnostics`` call these.
"""
