"""The programme: create and edit, its checklist, its staff, announcements."""
