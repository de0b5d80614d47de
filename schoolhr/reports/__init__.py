"""Printing and spreadsheets shared by the features: PDF forms, xlsx and CSV."""
