"""MAX transport: the same aiogram core served through MAX's Bot API.

MAX updates become aiogram `Update` objects (`bot.max.updates`) fed to the one
dispatcher; the bot's calls become MAX requests (`bot.max.session`). Handlers,
services, forms and texts do not know which messenger a person uses: a MAX person
simply has an id in MAX's own range (`bot.max.ids`).
"""
