"""Screens of the feedback: the curator's rounds, alerts, who has not answered."""
