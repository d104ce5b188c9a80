"""Feedback: rounds of short forms, who has not answered, the curator's alerts."""
