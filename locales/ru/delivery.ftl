## Delivery: what the curator hears when messages stop reaching a participant.

delivery-unreachable-curator =
    ⚠️ Мои сообщения больше не доходят до { $name_gender ->
        [female] участницы
       *[other] участника
    } <b>{$name_gen}</b> (программа «{$programme}»): похоже, бот заблокирован или удалён.

    Пожалуйста, свяжитесь с участником лично и попросите снова открыть бота и нажать /start — после этого напоминания и анкеты опять будут приходить.
delivery-unnamed = без имени
