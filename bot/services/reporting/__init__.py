"""Reporting: figures for /report, the export, the municipality's indicators, «Итоги года»,
school paperwork."""
