"""Dates and times as the house writes them in Chinese: one format everywhere (pages, PDFs, exports' text), ISO order
with zero padding, 2026-03-02 09:05. Templates use the named formats (``|date:"SHORT_DATETIME_FORMAT"``), never a
format string of their own. Loaded through settings.FORMAT_MODULE_PATH."""

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
YEAR_MONTH_FORMAT = "Y-m"
MONTH_DAY_FORMAT = "m-d"
FIRST_DAY_OF_WEEK = 1  # Monday
