## Common texts: greeting, help, settings, errors.

start-no-invitation =
    Здравствуйте! Я — <b>Наставник</b>, помощник школьной программы наставничества.

    Через меня ученики, студенты и педагоги знакомятся с наставниками, заполняют анкеты, договариваются о встречах и делятся впечатлениями, а куратор видит, как идёт программа.

    Чтобы присоединиться, нужна <b>ссылка-приглашение</b> от куратора программы в вашей школе или колледже. Попросите её у классного руководителя или куратора и откройте — я сразу всё подскажу.

    Если вы уже участвуете, посмотрите /help.
start-staff =
    Здравствуйте! Вы — {$role} в боте <b>Наставник</b>.

    Команды куратора — в меню и в /help.
role-curator = куратор
role-coordinator = координатор

help-title = <b>Что я умею</b>
help-participant =
    /start — начать или продолжить с того места, где остановились
    /profile — ваша анкета, статус и пара
    /meetings — встречи с наставником или наставляемым
    /settings — язык и напоминания
    /forget_me — отозвать согласие и удалить ваши данные
    /children — для родителей: ваше согласие за ребёнка, отозвать его
    /help — эта справка

    Если что-то непонятно, напишите куратору программы — он поможет.
help-curator =
    <b>Для куратора</b>
    /program — программы и их настройки
    /invite — ссылки-приглашения и QR-коды
    /mentors, /mentees — списки участников
    /meeting — общая встреча
    /preferences — сбор пожеланий
    /pairs — пары и группы
    /alerts — пары, которым нужно внимание
    /digest — сводка согласий и регистраций за день
    /materials — методические материалы для наставников
    /checklist — чек-лист семи этапов
    /feedback_round — обратная связь
    /report, /export — отчёт и Excel
    /dashboard — веб-панель в браузере
    /documents — приказы, программы пар и отчёты в Word
    /broadcast — рассылка
    /group — чат наставников
    /finish — завершение программы

settings-title =
    <b>Настройки</b>

    Язык: {$language}
    Напоминания: {$reminders}
settings-language-ru = русский
settings-language-en = English
settings-reminders-on = включены
settings-reminders-off = выключены
settings-btn-language = 🌐 Язык: English
settings-btn-reminders-off = 🔕 Выключить напоминания
settings-btn-reminders-on = 🔔 Включить напоминания
settings-saved = Сохранено.
settings-reminders-note = Анкеты, которые куратор присылает сам, приходят всегда.

unknown-command = Я не знаю такой команды. Список команд — в /help.
unknown-text = Я пока не понял, что нужно сделать. Загляните в /help — там все команды.
error-generic = Ой, что-то пошло не так. Ваши ответы сохранены — попробуйте ещё раз чуть позже. Если ошибка повторится, напишите куратору.
flood-slow-down = Пожалуйста, чуть помедленнее: я не успеваю читать так быстро. Подождите пару секунд.
button-stale = Эта кнопка уже устарела. Откройте свежее сообщение или наберите /start.
button-back = ⬅️ Назад
button-cancel = Отмена
button-home = В начало

cmd-start = Начать
cmd-help = Справка
cmd-profile = Моя анкета и пара
cmd-settings = Настройки
cmd-forget-me = Удалить мои данные
cmd-program = Программы
cmd-invite = Приглашения
cmd-mentors = Наставники
cmd-mentees = Наставляемые
cmd-meeting = Общая встреча
cmd-preferences = Сбор пожеланий
cmd-pairs = Пары
cmd-checklist = Чек-лист
cmd-feedback-round = Обратная связь
cmd-report = Отчёт
cmd-export = Выгрузка в Excel
cmd-broadcast = Рассылка
cmd-finish = Завершение
cmd-group = Чат наставников
cmd-meetings = Мои встречи
cmd-alerts = Пары под риском
cmd-materials = Материалы для наставников

## /children: a parent's consent for a child

cmd-children = Согласие за ребёнка (для родителей)

## Typed text with control characters (any message).
input-error-controls = В сообщении есть служебные символы, которые нельзя сохранить. Наберите его, пожалуйста, заново обычным текстом.

## School paperwork as Word files (/documents).
cmd-documents = Документы в Word

## Часовой пояс словами (время московское; по времени Красноярска, UTC+7)
zone-moscow = время московское
zone-city = по времени {$city}, {$offset}
zone-offset = по времени {$offset}
zone-city-kaliningrad = Калининграда
zone-city-samara = Самары
zone-city-yekaterinburg = Екатеринбурга
zone-city-omsk = Омска
zone-city-novosibirsk = Новосибирска
zone-city-krasnoyarsk = Красноярска
zone-city-irkutsk = Иркутска
zone-city-yakutsk = Якутска
zone-city-vladivostok = Владивостока
zone-city-magadan = Магадана
zone-city-kamchatka = Петропавловска-Камчатского

## Для ребёнка младше 14 лет (docs/texts.md): «ты», коротко и просто
help-participant-child =
    /start — начать или продолжить с того же места
    /profile — твоя анкета и наставник
    /meetings — встречи с наставником
    /settings — язык и напоминания
    /forget_me — удалить твои данные и выйти из программы
    /help — эта справка

    Если что-то непонятно, напиши куратору программы — он поможет.
unknown-command-child = Я не знаю такой команды. Все команды — в /help.
unknown-text-child = Я пока не понял, что нужно сделать. Загляни в /help — там все команды.
error-generic-child = Ой, что-то пошло не так. Твои ответы сохранены — попробуй ещё раз чуть позже. Если не получится, напиши куратору.
flood-slow-down-child = Чуть помедленнее, пожалуйста: я не успеваю читать так быстро. Подожди пару секунд.
button-stale-child = Эта кнопка уже устарела. Открой свежее сообщение или набери /start.
input-error-controls-child = В сообщении есть странные символы, их не получится сохранить. Набери его заново обычным текстом.
