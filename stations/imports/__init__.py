"""Spreadsheet import shared by every record kind offices keep in Excel (issue 16): read, map, preview."""
