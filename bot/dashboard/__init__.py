"""The web dashboard for curators and coordinators (docs/dashboard.md).

Served by the bot's own process: `routes.dashboard_app` is an aiohttp application with
server-rendered Jinja2 pages; sign-in is a one-time link from `/dashboard` in the bot or
Mini App data signed by Telegram or MAX (`auth`). Every page asks the same services the
bot's buttons ask (`bot.services.access` and the rest), with the signed-in person as the
actor.
"""
