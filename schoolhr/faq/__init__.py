"""Frequently asked questions: versioned entries, search, and the questions nobody answered."""
