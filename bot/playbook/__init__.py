"""What people do in the bot, step by step, as scripted users of the Telegram emulator.

The curator's console, a participant's journey, the preference round, meetings and the
forms the bot sends, written once: `python -m bot demo` plays a whole programme with
them, and the end-to-end tests use the same steps. Nothing here reaches into the
database: every step is a command typed, a button pressed or a message read.
"""
