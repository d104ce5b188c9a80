## Работа пар: знакомство, встречи, план, обратная связь, сигналы куратору, завершение.

pairs-intro-mentor =
    🤝 <b>{ $shape ->
        [group] У вас появилась группа!
       *[pair] У вас появилась пара!
    }</b> Программа «{$programme}».

    { $shape ->
        [group] Ваша группа наставляемых:
       *[pair] { $mentee_gender ->
            [female] Ваша наставляемая:
           *[other] Ваш наставляемый:
        }
    }
    {$people}

    Куратор: {$curator}

    <b>Что дальше.</b> Предложите время первой, организационной встречи — кнопка ниже. На ней познакомьтесь, обсудите цели и договоритесь о формате, а потом заполните короткий план.
pairs-intro-mentee =
    🤝 <b>У вас появился наставник!</b> Программа «{$programme}».

    Ваш наставник:
    {$mentor}{$others}

    Куратор: {$curator}

    <b>Что дальше.</b> Наставник скоро предложит время первой встречи — вам придёт сообщение с кнопками. Если вопросы появятся раньше, смело пишите наставнику или куратору.
pairs-intro-contacts = Контакты: {$contacts}
pairs-intro-username = Telegram: @{$username}
pairs-intro-no-contacts = Контакты не указаны — свяжитесь через куратора.
pairs-intro-curator = {$name}
pairs-intro-curator-with-username = {$name} (@{$username})
pairs-intro-curator-noname = куратор программы
pairs-intro-curator-unknown = куратор вашей программы
pairs-tips =
    <b>Несколько советов наставнику</b>
    • Первая встреча — знакомство: расскажите о себе, спросите об интересах и ожиданиях.
    • Ставьте вместе 1–3 понятные цели и небольшие шаги к ним.
    • Встречайтесь не реже раза в две недели и отмечайте встречи в /meetings.
    • Слушайте больше, чем говорите; хвалите за усилия, а не только за результат.
    • Если что-то идёт не так, сразу пишите куратору — это нормально.
pairs-materials-link = 📎 Методические материалы: {$link}
pairs-materials-caption = 📎 Методические материалы для наставников
pairs-btn-meetings = 📅 Мои встречи
pairs-btn-propose = 🗓 Предложить встречу
pairs-btn-materials = 📎 Материалы
pairs-btn-log = ✍️ Записать встречу
pairs-btn-plan = 📝 План работы
pairs-btn-accept = ✅ Подходит
pairs-btn-accept-on = ✅ Подходит {$day}
pairs-btn-other-time = 🔁 Другое время
pairs-btn-confirm-held = ✅ Да, встреча была
pairs-btn-confirm-held-on = ✅ Встреча {$day} была
pairs-btn-was-held = ✍️ Встреча {$day} состоялась
pairs-btn-cancel-on = ✖️ Отменить {$day}
pairs-btn-no-topic = Без темы
pairs-btn-fill = 📝 Заполнить
pairs-btn-yes = Да
pairs-btn-no = Нет

pairs-none = У вас пока нет пары. Когда куратор утвердит пары, я сразу напишу.
pairs-overview-title = <b>📅 Встречи</b>
pairs-overview-mentor = 👥 Наставляемые: <b>{$partner}</b> · {$programme}
pairs-overview-mentee = 👤 Наставник: <b>{$partner}</b> · {$programme}
pairs-overview-format = Формат: {$format}
pairs-overview-no-plan = ⚠️ План работы ещё не заполнен.
pairs-overview-no-meetings = Встреч пока не было.
pairs-overview-meeting = {$icon} {$when} — {$status}{$topic}
pairs-status-proposed = ждёт ответа
pairs-status-scheduled = назначена
pairs-status-held = проведена, ждёт подтверждения
pairs-status-confirmed = состоялась
pairs-status-cancelled = отменена

pairs-wd-0 = пн
pairs-wd-1 = вт
pairs-wd-2 = ср
pairs-wd-3 = чт
pairs-wd-4 = пт
pairs-wd-5 = сб
pairs-wd-6 = вс
pairs-pick-day = В какой день встретиться? ({$tz})
pairs-pick-hour = {$day}: во сколько?
pairs-pick-minute = {$day}, {$hour} ч — выберите минуты.
pairs-proposal-sent = Предложение отправлено: <b>{$when}</b>. Как только придёт ответ, я напишу.
pairs-time-passed = Это время уже прошло. Выберите другое, пожалуйста.
pairs-meeting-proposed = 🗓 {$mentor} предлагает {$first ->
    [true] первую встречу
    *[other] встречу
    }: <b>{$when}</b>. Вам подходит?
pairs-meeting-accepted = ✅ { $mentee_gender ->
        [female] {$mentee} подтвердила встречу
        [male] {$mentee} подтвердил встречу
       *[other] Встречу подтвердили: {$mentee},
    } <b>{$when}</b>. Я напомню вам обоим накануне и за час. После встречи заполните план работы.
pairs-meeting-declined = 🔁 {$mentee} просит другое время вместо {$when}. Предложите, пожалуйста, новое.
pairs-proposal-accepted = Отлично, встреча <b>{$when}</b>. Я напомню накануне и за час до неё.
pairs-proposal-declined = Хорошо, я передал наставнику, что нужно другое время. Он предложит новое.
pairs-meeting-cancelled = Встреча {$when} отменена наставником. Он предложит новое время.
pairs-meeting-cancelled-short = Встреча {$when} отменена.

pairs-log-day = Когда прошла встреча?
pairs-log-format = {$day}: в каком формате?
pairs-log-topic = Напишите коротко тему встречи — или нажмите «Без темы».
pairs-log-topic-text = Напишите тему текстом, пожалуйста, или нажмите «Без темы».
pairs-log-failed = Не получилось записать встречу: кнопка устарела. Откройте /meetings и попробуйте ещё раз.
pairs-logged = Встреча {$when} записана и отправлена на подтверждение — для этого хватит одной кнопки.
pairs-meeting-logged =
    ✍️ { $mentor_gender ->
        [female] {$mentor} отметила встречу:
        [male] {$mentor} отметил встречу:
       *[other] Наставник {$mentor} записывает встречу:
    }
    <b>{$when}</b>, формат: {$format}
    Тема: {$topic}

    Встреча была?
pairs-held-confirmed = Спасибо! Встреча {$when} подтверждена.
pairs-plan-shared =
    📝 <b>План работы</b> от наставника: {$mentor}

    <b>Цели:</b> {$goals}
    <b>Задачи:</b> {$tasks}
    <b>Формат:</b> {$format}

pairs-remind-day = 🔔 Напоминаю о встрече <b>{$when}</b> ({$partner}).
pairs-remind-hour = ⏰ Через час — встреча <b>{$when}</b> ({$partner}).

pairs-feedback-ask = 📝 Пара минут о ваших встречах ({$partner})? Короткая анкета поможет куратору вовремя поддержать { $shape ->
        [group] вашу группу
       *[pair] вашу пару
    }.
pairs-feedback-remind = 📝 Напоминаю про короткую анкету о встречах — она займёт пару минут.
pairs-feedback-already = Вы уже ответили на эту анкету — спасибо!

pairs-alert-title = ⚠️ <b>Сигнал по программе «{$programme}»</b>
pairs-alert-no-meeting = 🕳 Пара {$pair}: нет встреч 14 дней (последняя отметка: {$details}). {$when}
pairs-alert-low-score = 📉 Пара {$pair}: низкая оценка от {$person_gen} ({$details}). {$when}
pairs-alert-help-wanted = 🆘 {$person} (пара {$pair}) просит помощи куратора. {$when}
pairs-alert-unreachable = 📵 Сообщения бота не доходят: {$person} (возможно, бот заблокирован). {$when}
pairs-score-usefulness = полезность
pairs-score-comfort = комфорт
pairs-score-progress = продвижение к цели
pairs-btn-resolve = ✔️ Разобрано
pairs-btn-resolve-n = ✔️ Разобрано: {$n}
pairs-btn-alerts = ⚠️ Все сигналы
pairs-alert-resolved = Отмечено как разобранное.
pairs-digest-title = ⚠️ <b>Сводка за день по программе «{$programme}»</b>: сигналов — {$count}.
pairs-digest-more = …и ещё {$count}. Все — в /alerts.
pairs-alerts-title =
    <b>Сигналы</b> · {$programme}
    Как приходят: {$mode}
pairs-alerts-none = Открытых сигналов нет — всё спокойно.
pairs-mode-instant = сразу
pairs-mode-digest = сводкой раз в день
pairs-btn-mode-instant = 🔔 Присылать сразу
pairs-btn-mode-digest = 🗞 Присылать сводкой раз в день
pairs-mode-set-instant = Теперь сигналы будут приходить сразу.
pairs-mode-set-digest = Теперь сигналы будут приходить сводкой раз в день.

pairs-fr-title =
    <b>Обратная связь</b> · {$programme}
    Анкеты уходят парам раз в {$cadence} дн.
    Ответили: {$answered} из {$requests} ({$rate}%).
pairs-fr-rounds = {""}
    <b>Последние раунды</b>
pairs-fr-round = Раунд {$number} от {$date}: {$answered} из {$requests}{$manual ->
    [true] {" "}(вручную)
    *[other] {""}
    }
pairs-fr-schedule = {""}
    <b>Следующие анкеты</b>
pairs-fr-pair = • {$mentor} — {$mentees}: {$date}
pairs-fr-more = …и ещё пар: {$count}
pairs-fr-no-pairs = Утверждённых пар пока нет.
pairs-btn-fr-all = 📨 Отправить анкеты всем сейчас
pairs-btn-fr-one = 👥 Отправить одной паре
pairs-btn-materials-set = 📎 Материалы для наставников
pairs-btn-feedback = 📝 Обратная связь
pairs-btn-send = 📨 Отправить
pairs-fr-confirm-all = Отправить анкету обратной связи всем парам программы «{$programme}» прямо сейчас? Следующая плановая анкета сдвинется на срок от сегодняшнего дня.
pairs-fr-pick = Какой паре отправить анкету?
pairs-fr-sent = Раунд {$number} начат: анкет отправлено — {$requests} (пар: {$pairs}).

pairs-materials-now =
    <b>Материалы для наставников</b>
    Ссылка: {$link}
    Файл: {$file}

    Пришлите ссылку (начинается с https://) или файл — я покажу их наставникам при знакомстве с парой.
pairs-materials-bad = Пришлите, пожалуйста, ссылку, которая начинается с https://, или файл.
pairs-materials-saved = Сохранено. Наставники увидят материалы в сообщении о знакомстве.
pairs-materials-cleared = Материалы убраны.
pairs-btn-materials-clear = 🗑 Убрать материалы
pairs-yes = есть
pairs-no = нет

pairs-final-ask = 🎓 Программа «{$programme}» подходит к концу. Пожалуйста, ответьте на несколько итоговых вопросов — это займёт 3 минуты.
pairs-next-cycle-ask = Хотели бы вы сами стать наставником в следующем цикле программы?
pairs-next-cycle-yes = Здорово! Я передам куратору — вы попадёте в базу будущих наставников.
pairs-next-cycle-no = Спасибо за ответ!
pairs-vote-ask = 🏆 Номинация «Наставник года»: за кого из коллег-наставников вы голосуете?
pairs-vote-done = Ваш голос за {$name_acc} учтён. Спасибо!
pairs-thanks-mentor = 💐 Программа «{$programme}» завершена. Спасибо вам за время, терпение и заботу о { $shape ->
        [group] наставляемых
       *[pair] наставляемом
    } — вы сделали очень важное дело!

pairs-finish-active =
    <b>Завершение программы</b> «{$programme}»
    Пар: {$pairs}, участников: {$participants}.

    На первом шаге участники получат итоговую анкету, наставляемые — вопрос, хотят ли они стать наставниками, а наставники — голосование «Наставник года».
pairs-finish-draft = { pairs-finish-active }
pairs-finish-finishing =
    <b>Идёт завершение</b> «{$programme}»
    Итоговая анкета: {$surveys} из {$participants} ({$rate}%).
    Проголосовали наставники: {$voters} из {$mentors}.
    Хотят стать наставниками: {$wants}.
pairs-finish-finished =
    <b>Программа «{$programme}» завершена.</b>
    Итоговая анкета: {$surveys} из {$participants} ({$rate}%).
    Хотят стать наставниками: {$wants}.
pairs-vote-results = {""}
    🏆 <b>«Наставник года»</b>
pairs-vote-line = {$n}. {$name} — голосов: {$votes}
pairs-btn-finish-start = 🎓 Начать завершение
pairs-btn-finish-end = 🏁 Завершить программу
pairs-btn-refresh = 🔄 Обновить
pairs-fin1-confirm = Разослать итоговую анкету и голосование участникам программы «{$programme}»? Плановые анкеты обратной связи после этого приходить не будут.
pairs-fin2-confirm = Завершить программу «{$programme}»? Пары будут закрыты, наставники получат благодарность. Отменить это нельзя.
pairs-btn-fin1-yes = ✅ Да, разослать
pairs-btn-fin2-yes = ✅ Да, завершить
pairs-saved = Готово.

pairs-btn-best-pair = 🏆 «Лучшая пара»
pairs-best-title = 🏆 <b>«Лучшая пара»</b> программы «{$programme}»
pairs-best-how = Решение за вами, а подсказка — из данных программы. Пары стоят по баллам из 100: встречи дают до 40 баллов (у самой активной пары — все 40), средняя оценка обеих сторон за пользу, продвижение и комфорт в анкетах обратной связи и в итоговой анкете — до 60.
pairs-best-none = Пока выбирать не из кого: ни одна пара ещё не записала проведённую встречу. Когда наставники отметят встречи в /meetings, пары появятся здесь.
pairs-best-line =
    {$n}. {$names}
    {$reason} · {$points} из 100
pairs-best-meetings = { $count ->
    [one] {$count} встреча
    [few] {$count} встречи
   *[other] {$count} встреч
  }
pairs-best-reason = {$meetings}, средняя оценка {$average} из 5
pairs-best-reason-no-scores = {$meetings}, оценок пока нет
pairs-best-pick = Нажмите на пару, чтобы наградить её. Выбор можно поменять, пока программа не завершена.
pairs-best-readonly = Программа завершена, выбор сохранён в отчёте и в выгрузке.
pairs-best-current = 🏆 «Лучшая пара»: {$names}
pairs-best-not-chosen = «Лучшая пара» пока не выбрана.
pairs-best-confirm =
    Наградить «Лучшей парой» программы «{$programme}»?
    {$names}
    {$reason}

    Участники сразу получат тёплое поздравление.
pairs-best-confirm-replace = Сейчас «Лучшая пара» — {$names}. Их поздравление уже отправлено и останется у них, а в отчёте и выгрузке «Лучшей парой» станет новая пара.
pairs-btn-best-yes = ✅ Да, наградить
pairs-best-awarded = Готово! Поздравление отправлено.
pairs-best-and = {" и "}
pairs-best-congrats =
    🏆 Поздравляем! По итогам программы «{$programme}» { $group ->
        [true] ваша группа
       *[false] ваша пара
    } — {$names} — { $group ->
        [true] названа «Лучшей группой»
       *[false] стала «Лучшей парой»
    }!

    Спасибо вам за каждую встречу, за внимание и доверие друг к другу. Вы показали всей программе, какой бывает настоящая работа наставника и наставляемого. Мы очень вами гордимся! 💐

## Контакты и переписка через бота (docs/contacts.md)

contacts-via-bot = Контакты показываем, только если человек сам разрешил. Писать друг другу можно через бота — кнопка «✉️ Написать» ниже.
relay-btn-to-mentor = ✉️ Написать наставнику
relay-btn-to-mentee = ✉️ Написать наставляемому
relay-btn-to-mentees = ✉️ Написать наставляемым
relay-btn-all = 👥 Всей группе
relay-btn-reply = ↩️ Ответить
relay-choose = Кому написать? Можно выбрать одного наставляемого или сразу всю группу.
relay-prompt =
    ✉️ Напишите сообщение для {$name_gen}.
    Одним сообщением, до {$max} знаков. Мы передадим его через бота с вашим именем, без ваших контактов.
relay-prompt-all =
    ✉️ Напишите сообщение для всей группы.
    Одним сообщением, до {$max} знаков. Каждый получит его через бота с вашим именем, без ваших контактов.
relay-sent = ✅ Сообщение передано. Ответ придёт сюда же, в бота.
relay-too-long = Сообщение длиннее {$max} знаков. Сократите его, пожалуйста, и отправьте ещё раз.
relay-too-many = Сейчас сообщений слишком много. Передохните немного и напишите через час.
relay-not-text = Сюда можно написать только текст. Напишите сообщение словами.
relay-failed = Не получилось передать сообщение: эта пара уже не работает. Если нужна помощь, напишите куратору.
relay-incoming =
    ✉️ Сообщение от { $role ->
        [mentor] наставника
       *[mentee] { $name_gender ->
            [female] наставляемой
           *[other] наставляемого
        }
    } <b>{$name_gen}</b> (программа «{$programme}»):

    {$text}
relay-btn-chat = 💬 Переписка пары
relay-chat-title = 💬 <b>Переписка пары через бота</b>
relay-chat-line = <i>{$when}</i> · {$sender} → {$recipient}:
    {$text}
relay-chat-empty = Через бота в этой паре пока не писали.
relay-chat-adults = В этой паре только взрослые: их переписка остаётся личной. Куратору показываем переписку, только если в ней участвует ребёнок.


## Mass sends pressed twice (one round per period, one message per person)

pairs-fr-already = Опрос уже рассылается: анкеты этого периода уже отправлены, второй раз они никому не придут.

## Honest meetings: the time the mentor entered, «Встречи не было»
pairs-log-hour = {$day}: во сколько началась встреча? Время — по часовому поясу программы.
pairs-log-minute = {$day}, {$hour} ч — выберите минуты.
pairs-btn-not-held = ❌ Встречи не было
pairs-btn-not-held-on = ❌ Встречи {$day} не было
pairs-not-held-sent = Спасибо, что сказали. Встреча {$when} не засчитана. Куратор узнает об этом и поможет договориться о новой встрече.
pairs-status-disputed = наставляемый ответил, что встречи не было
pairs-alert-missed-meeting = ❓ {$person} (пара {$pair}) отвечает, что встречи {$details} не было, хотя наставник её записал. {$when}

## Year-end monitoring: «Наставник года»

pairs-mentor-of-year = 🌟 Поздравляем! Наставники программы «{ $programme }» выбрали вас «Наставником года». Спасибо за ваш труд и заботу о наставляемых!
pairs-mentor-continue-ask = Будете ли вы наставником и в следующем году? Если да, куратор пригласит вас в новую программу (согласие мы спросим заново).
pairs-mentor-continue-yes = Спасибо! Вы в базе наставников на следующий год — куратор пригласит вас, когда начнётся новая программа.
pairs-mentor-continue-no = Спасибо за ответ и за этот год!

## Имена в падежах, род, пара или группа (docs/style.md)
pairs-intro-group-others =
    Вместе с вами в группе:
    {$people}

## Для ребёнка младше 14 лет (docs/texts.md): «ты», коротко и просто
pairs-intro-mentee-child =
    🤝 <b>У тебя появился наставник!</b> Программа «{$programme}».

    Твой наставник:
    {$mentor}{$others}

    Куратор: {$curator}

    <b>Что дальше.</b> Наставник скоро предложит время первой встречи — придёт сообщение с кнопками. Если есть вопросы, смело пиши наставнику или куратору.
pairs-intro-group-others-child =
    Вместе с тобой в группе:
    {$people}
pairs-intro-no-contacts-child = Контактов нет — пиши через бота или через куратора.
pairs-none-child = У тебя пока нет наставника. Когда куратор составит пары и группы, я сразу напишу.
pairs-meeting-proposed-child = 🗓 {$mentor} предлагает {$first ->
    [true] первую встречу
    *[other] встречу
    }: <b>{$when}</b>. Тебе подходит?
pairs-proposal-accepted-child = Отлично, встреча <b>{$when}</b>. Я напомню накануне и за час до неё.
pairs-time-passed-child = Это время уже прошло. Выбери другое, пожалуйста.
pairs-feedback-ask-child = 📝 Как проходят встречи с наставником? Ответь на несколько коротких вопросов — это пара минут.
pairs-feedback-remind-child = 📝 Напоминаю про короткую анкету о встречах — это пара минут.
pairs-feedback-already-child = На эти вопросы ответ уже есть — спасибо!
pairs-final-ask-child = 🎓 Программа «{$programme}» скоро закончится. Ответь, пожалуйста, на несколько вопросов о ней — это 3 минуты.
pairs-next-cycle-ask-child = Хочешь потом тоже стать наставником для младших ребят?
pairs-next-cycle-yes-child = Здорово! Я передам куратору, он будет об этом помнить.
pairs-not-held-sent-child = Спасибо за ответ. Встреча {$when} не засчитана. Куратор узнает об этом и поможет договориться о новой встрече.
pairs-best-congrats-child =
    🏆 Поздравляем! По итогам программы «{$programme}» { $group ->
        [true] твоя группа
       *[false] твоя пара
    } — {$names} — { $group ->
        [true] названа «Лучшей группой»
       *[false] стала «Лучшей парой»
    }!

    Спасибо за каждую встречу и за помощь друг другу. Мы тобой очень гордимся! 💐
relay-prompt-child =
    ✉️ Напиши сообщение для {$name_gen}.
    Одним сообщением, до {$max} знаков. Я передам его через бота с твоим именем, без твоих контактов.
relay-too-long-child = Сообщение длиннее {$max} знаков. Сократи его, пожалуйста, и отправь ещё раз.
relay-too-many-child = Сейчас сообщений слишком много. Отдохни немного и напиши через час.
relay-not-text-child = Сюда можно написать только текст. Напиши словами.
relay-failed-child = Не получилось передать сообщение: эта пара уже не работает. Если нужна помощь, напиши куратору.
pairs-intro-curator-unknown-child = куратор твоей программы
