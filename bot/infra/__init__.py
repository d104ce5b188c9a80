"""Infrastructure of the services: the clock, the outbox and its delivery, proactive messages,
Telegram's limits, leadership among replicas, the scheduler, charts and the export's row
writer."""
