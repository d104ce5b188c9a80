"""Nastavnik: a Telegram bot for school and college mentorship programmes."""
