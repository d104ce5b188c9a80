"""Background work of the bot process: outbox delivery and the scheduler."""
