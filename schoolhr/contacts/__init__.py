"""Peer-group contacts (安心培力小群組): people, consent, import and export, the group builder."""
