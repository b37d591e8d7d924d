"""A dashboard table as CSV or Excel: written by core.exports, which neutralises formulas."""

from core.exports import table_response

__all__ = ["table_response"]
