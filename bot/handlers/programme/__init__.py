"""Screens of the programme: /program, the checklist, announcements, staff codes."""
