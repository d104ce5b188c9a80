"""The mentors' community: their chat and the group meeting."""
