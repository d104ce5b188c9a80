"""Screens of the reporting: /report, /export, /documents."""
