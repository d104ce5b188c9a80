"""Pair work: confirmed pairs, their buttons, meetings, introductions, messages through the
bot, contacts, cases."""
