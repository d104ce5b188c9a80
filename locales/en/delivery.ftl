## Delivery: what the curator hears when messages stop reaching a participant.

delivery-unreachable-curator =
    ⚠️ My messages no longer reach the participant <b>{$name}</b> (programme “{$programme}”): it looks like the bot was blocked or deleted.

    Please contact the participant in person and ask them to open the bot again and press /start — reminders and forms will then reach them again.
delivery-unnamed = no name
