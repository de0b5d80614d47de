"""學校人事小幫手 (SchoolHR): an offline helper for the HR clerks of small public schools."""

__version__ = "0.1.0"

APP_NAME = "學校人事小幫手"
APP_ID = "SchoolHR"
