"""Middlewares: a database unit of work per update, the user's person and locale, flood control."""
