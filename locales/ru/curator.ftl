## The curator console: programmes, invitations, registries, meeting, preferences, pairs, checklist, broadcast.

curator-denied = Это не ваша программа: здесь у вас нет прав куратора.
curator-no-programme = У вас пока нет программы. Создайте первую — это займёт пару минут.

## Staff invitations

staff-join-curator = Готово! Теперь вы куратор организации «{ $place }». Команды куратора появились в меню, начните с /program.
staff-join-co_curator = Готово! Теперь вы сокуратор программы «{ $place }». Команды куратора появились в меню, начните с /checklist.
staff-join-problem-unknown = Такой ссылки-приглашения я не знаю. Попросите у координатора новую.
staff-join-problem-revoked = Эта ссылка уже отозвана. Попросите новую у того, кто её прислал.
staff-join-problem-expired = Срок действия ссылки истёк. Попросите новую у того, кто её прислал.
staff-join-problem-used_up = По этой ссылке уже назначен куратор. Если это были не вы, попросите новую ссылку.
staff-join-problem-already = Вы уже в команде этой программы — всё в порядке. Команды — в /help.

## /program

program-btn-new = ➕ Новая программа
program-btn-list = 📋 Все программы
program-btn-edit = ✏️ Изменить
program-btn-choose = 📌 Сделать текущей
program-btn-next = Далее ➡️
program-btn-skip = Пропустить
program-btn-save = ✅ Сохранить программу
program-btn-new-organisation = ➕ Новая организация
program-card-title = <b>Программа</b>
program-list-title = <b>Ваши программы</b> ({ $count }). Текущая отмечена точкой — выберите программу, чтобы открыть её.
program-edit-title = Что изменить в программе «{ $name }»?
program-step = <i>Шаг { $number } из { $total }</i>
program-confirm = Проверьте, всё ли верно:
program-created = Программа создана и выбрана текущей. Дальше — /invite, чтобы пригласить участников.
program-saved = Сохранено.
program-cancelled = Хорошо, ничего не сохраняю. Вернуться можно командой /program.
program-individual = Индивидуальная (один наставник — один наставляемый)
program-group = Групповая (у наставника несколько наставляемых)
program-days = { $days } дн.
program-quiet-none = без тихих часов
program-summary =
    Название: <b>{ $name }</b>
    Организация: { $organisation }
    Адрес организации: { $address }
    Формы: { $forms }
    Формат: { $kind }
    Задачи и ожидаемые результаты: { $goals }
    Часовой пояс: { $timezone }
    Сроки: { $starts } — { $ends }
    Обратная связь: раз в { $cadence } дн.
    Тихие часы: { $quiet }
    Оператор данных: { $operator }
    Реквизиты оператора: { $details }
    Обучающихся в организации: { $students }
    Педагогов до 35 лет: { $teachers }
program-ask-name = Как называется программа? Например: «Наставничество 2026/27».
program-ask-organisation = В какой организации проходит программа?
program-ask-new-organisation = Напишите название новой организации, например «МБОУ «СОШ № 5»».
program-ask-forms = Какие формы наставничества будут в программе? Отметьте одну или несколько и нажмите «Далее».
program-ask-is-group = Наставничество индивидуальное или групповое?
program-ask-timezone = В каком часовом поясе живёт школа? По нему я буду назначать встречи и напоминания.
program-ask-starts-on = Когда программа начинается? Напишите дату в виде ДД.ММ.ГГГГ, например 01.09.2026.
program-ask-ends-on = Когда программа заканчивается? Дата в виде ДД.ММ.ГГГГ, например 31.05.2027.
program-ask-feedback-cadence-days = Как часто просить участников об обратной связи? Обычно — раз в 14 дней.
program-ask-quiet = В какие часы не беспокоить участников? Сообщения в это время подождут до утра.
program-ask-operator-name = Кто оператор персональных данных? Обычно это сама образовательная организация — нажмите на её название. Если другая, напишите её полное название.
program-ask-operator-details = Адрес и контакты оператора для вопросов о персональных данных: телефон или e-mail ответственного (можно и ИНН). Это увидят участники и родители в тексте согласия.
program-ask-students-total = Сколько в организации обучающихся 10–19 лет? Это нужно для расчёта охвата (цель модели — не меньше 70%).
program-ask-young-teachers-total = Сколько в организации педагогов моложе 35 лет?
program-field-name = Название
program-field-forms = Формы
program-field-is-group = Инд./групповая
program-field-timezone = Часовой пояс
program-field-starts-on = Начало
program-field-ends-on = Окончание
program-field-feedback-cadence-days = Обратная связь
program-field-quiet = Тихие часы
program-field-operator-name = Оператор
program-field-operator-details = Реквизиты
program-field-students-total = Обучающиеся
program-field-young-teachers-total = Педагоги до 35
program-error-empty = Здесь нужен непустой ответ — напишите, пожалуйста, ещё раз.
program-error-too-long = Слишком длинно. Сократите, пожалуйста, до 200 символов.
program-error-date = Не получилось прочитать дату. Напишите её так: 01.09.2026.
program-error-dates-order = Программа должна закончиться позже, чем начнётся. Проверьте даты.
program-error-number = Нужно целое число, например 640.
program-error-cadence = Нужно число дней от 1 до 90.
program-error-forms = Отметьте хотя бы одну форму наставничества.
program-error-use-buttons = Здесь удобнее выбрать ответ кнопкой под сообщением.

tz-kaliningrad = Калининград (UTC+2)
tz-moscow = Москва (UTC+3)
tz-samara = Самара (UTC+4)
tz-yekaterinburg = Екатеринбург (UTC+5)
tz-omsk = Омск (UTC+6)
tz-novosibirsk = Новосибирск, Красноярск (UTC+7)
tz-irkutsk = Иркутск (UTC+8)
tz-yakutsk = Якутск (UTC+9)
tz-vladivostok = Владивосток (UTC+10)
tz-magadan = Магадан (UTC+11)
tz-kamchatka = Камчатка (UTC+12)

## /invite

invite-title = <b>Приглашения в программу «{ $programme }»</b>
invite-line-mentee = 🎒 Для наставляемых (использовано { $uses }):
    { $link }
invite-line-mentor = 🧭 Для наставников (использовано { $uses }):
    { $link }
invite-line-co-curator = 🤝 Для сокуратора — одноразовая, действует 14 дней:
    { $link }
invite-hint = Ссылку можно переслать в чат класса, а QR-код — распечатать на объявлении. Если ссылка попала не туда, выпустите новую: старая перестанет работать.
invite-role-mentee = наставляемые
invite-role-mentor = наставники
invite-role-co-curator = сокуратор
invite-btn-qr = QR: { $role }
invite-btn-regen = 🔄 Новая ссылка
invite-btn-curator = 👤 Ссылка для куратора организации
invite-regenerated = Старая ссылка отозвана, вот новая.
invite-qr-caption = QR-код для роли «{ $role }», программа «{ $programme }».
    { $link }
invite-curator-link = Одноразовая ссылка для нового куратора организации (действует 14 дней):
    { $link }

## /mentors, /mentees

registry-title-mentor = <b>Наставники</b> · { $programme }
    Показаны: { $filter } — { $count }
registry-title-mentee = <b>Наставляемые</b> · { $programme }
    Показаны: { $filter } — { $count }
registry-legend = ⏳ ждём согласия · 📝 анкета не заполнена · 🆕 ждёт решения · ✅ в реестре/активен · ⛔ отклонён
registry-empty = Здесь пока никого нет.
registry-search-for = Поиск: «{ $query }»
registry-search-ask = Напишите имя или фамилию (можно часть) — я найду.
registry-btn-search = 🔍 Поиск по имени
registry-filter-all = все
registry-filter-no-consent = без согласия
registry-filter-no-profile = без анкеты
registry-filter-candidate = ждут решения
registry-filter-approved = в реестре
registry-filter-declined = отклонены
registry-filter-untrained = не обучены
registry-filter-parent-pending = ждут родителей
registry-filter-active = активны
registry-card-mentor =
    <b>{ $name }</b> — наставник
    Статус: { $status }
    Анкета заполнена: { $profile }
    Реестр: { $registry }
    Обучение пройдено: { $trained }
    Может взять наставляемых: { $capacity }
registry-card-mentee =
    <b>{ $name }</b> — наставляемый
    Статус: { $status }
    Возраст: { $age }
    Анкета заполнена: { $profile }
registry-card-reason = Причина отказа: { $reason }
registry-card-answers = <b>Анкета:</b>
registry-card-no-answers = <i>Ответов анкеты пока нет.</i>
registry-status-consent-pending = ждём согласия
registry-status-parent-pending = ждём согласия родителя
registry-status-active = активен
registry-status-declined-consent = отказался от обработки данных
registry-status-withdrawn = вышел из программы
registry-registry-candidate = ждёт решения
registry-registry-approved = включён в реестр
registry-registry-declined = отклонён
registry-yes = да
registry-no = нет
registry-btn-approve = ✅ Включить в реестр
registry-btn-decline = ⛔ Отклонить
registry-btn-trained = 🎓 Обучение пройдено
registry-btn-untrained = ↩️ Снять отметку об обучении
registry-btn-capacity = 👥 Мест: { $capacity }
registry-btn-remind = 🔔 Напомнить про анкету
registry-btn-paper = 📄 Получено бумажное согласие родителя
registry-btn-back-list = ⬅️ К списку
registry-capacity-ask = Сколько наставляемых может взять { $name }?
registry-decline-ask = Напишите причину отказа для { $name_gen } — наставник её увидит. Пишите бережно: человек хотел помочь.
registry-done-approve = Наставник включён в реестр, уведомление ему уже отправлено.
registry-done-decline = Отказ сохранён, наставник получит сообщение с причиной.
registry-done-trained = Отметка об обучении поставлена.
registry-done-untrained = Отметка об обучении снята.
registry-done-remind = Напоминание отправлено.
registry-done-paper = Бумажное согласие отмечено.
registry-done-setcap = Количество мест сохранено.
registry-reminded-already = Сегодня напоминание уже отправлено — следующее можно завтра.
registry-error-no-consent = Сначала нужно согласие на обработку данных.
registry-error-not-approved = Сначала включите наставника в реестр.
registry-error-capacity = Можно от 1 до 10 мест.
registry-error-profile-done = Анкета уже заполнена — напоминать не нужно.
registry-error-not-minor = Участник совершеннолетний: согласие родителя не нужно.
registry-error-consent-done = Согласие родителя уже есть.
registry-error-reason-empty = Напишите, пожалуйста, причину — без неё отказ выглядит обидно.
registry-error-reason-long = Слишком длинно: до 500 символов, пожалуйста.
registry-notify-approved = Хорошая новость: вы включены в реестр наставников программы «{ $programme }». Спасибо, что готовы помогать! Куратор расскажет о следующих шагах.
registry-notify-declined =
    Спасибо за интерес к программе «{ $programme }». К сожалению, в этот раз куратор не включил вас в реестр наставников.
    Причина: { $reason }
    Если есть вопросы, напишите куратору.
registry-notify-finish-profile = Напоминаю: в программе «{ $programme }» осталось дозаполнить анкету. Это займёт несколько минут — нажмите /start, и я продолжу с того же места.

## /meeting

meeting-none = Общая встреча программы «{ $programme }» ещё не назначена. На ней наставники и наставляемые знакомятся, а потом выбирают, с кем хотят работать.
meeting-current =
    <b>Общая встреча</b> · { $programme }
    Когда: { $date } в { $time }
    Где: { $place }
    Пришли: { $came } из { $total } (посещаемость отмечена: { $recorded })
meeting-btn-new = 📅 Назначить встречу
meeting-btn-attendance = ✅ Отметить, кто пришёл
meeting-btn-send = 📣 Разослать приглашение
meeting-btn-done = Готово
meeting-ask-day = Выберите день встречи ({ $timezone }):
meeting-ask-time = { $date }. Во сколько начнётся встреча?
meeting-ask-place = { $date } в { $time }. Где пройдёт встреча? Напишите место (кабинет, актовый зал) или ссылку на онлайн-встречу.
meeting-preview =
    Проверьте приглашение:
    📅 { $date } в { $time }
    📍 { $place }
    Его получат все участники с согласием и наставники из реестра. В день встречи утром придёт напоминание.
meeting-announced = Приглашение разослано: { $count } участникам. Утром в день встречи я напомню им.
meeting-attendance = Отметьте, кто пришёл на встречу (пришли { $came } из { $total }). Сначала отмечены все приглашённые: снимите отметку с тех, кого не было, — нажатием на имя.
meeting-attendance-saved = Посещаемость сохранена. Предпочтения будут собраны у тех, кто пришёл.
meeting-error-place = Напишите, где пройдёт встреча.
meeting-error-place-long = Слишком длинно: до 500 символов, пожалуйста.
meeting-error-past = Это время уже прошло — выберите, пожалуйста, другое.
meeting-notify-announce =
    Приглашаем на общую встречу программы «{ $programme }»!
    📅 { $date } в { $time }
    📍 { $place }
    Там вы познакомитесь с наставниками и наставляемыми, а после встречи выберете, с кем хотели бы работать.
meeting-notify-remind =
    Напоминаю: сегодня общая встреча программы «{ $programme }».
    🕒 { $time }
    📍 { $place }
role-short-mentee = наставляемый
role-short-mentor = наставник

month-1 = Январь
month-2 = Февраль
month-3 = Март
month-4 = Апрель
month-5 = Май
month-6 = Июнь
month-7 = Июль
month-8 = Август
month-9 = Сентябрь
month-10 = Октябрь
month-11 = Ноябрь
month-12 = Декабрь
weekday-0 = Пн
weekday-1 = Вт
weekday-2 = Ср
weekday-3 = Чт
weekday-4 = Пт
weekday-5 = Сб
weekday-6 = Вс

## /preferences

prefs-title =
    <b>Сбор предпочтений</b> · { $programme }
    { $state }
    Наставляемые ответили: { $mentees_done } из { $mentees_total }
    Наставники ответили: { $mentors_done } из { $mentors_total }
prefs-state-none = Сбор ещё не открыт.
prefs-state-open = Сбор идёт.
prefs-state-closed = Сбор закрыт — можно формировать пары (/pairs).
prefs-btn-open = 📨 Открыть сбор
prefs-btn-close = 🔒 Закрыть сбор
prefs-btn-refresh = 🔄 Обновить
prefs-btn-pairs = 🤝 К парам
prefs-opened = Сбор открыт: анкету получили { $count } участников.
prefs-closed = Сбор закрыт. Теперь можно сформировать пары в /pairs.
prefs-error-already-open = Сбор уже открыт.
prefs-error-not-open = Сбор сейчас не открыт.
prefs-error-nobody = Пока некого опрашивать: нужны и наставляемые с согласием, и наставники из реестра (а если отмечена посещаемость — пришедшие на встречу).
prefs-notify-open-mentee =
    После общей встречи программы «{ $programme }» пора выбрать наставника.
    <b>С кем из наставников вы бы хотели работать? Кто может помочь вам достичь желаемых целей?</b>
    Выберите до { $limit } человек по порядку: первым — того, с кем хотите работать больше всего.
prefs-notify-open-mentor =
    После общей встречи программы «{ $programme }» пора выбрать наставляемых.
    <b>С кем из наставляемых вы бы хотели работать? Кому вы сможете помочь в рамках выбранных наставляемым целей?</b>
    Выберите до { $limit } человек по порядку: первым — того, с кем хотите работать больше всего.
prefs-btn-start = Выбрать
prefs-picker-head-mentee =
    <b>С кем из наставников вы бы хотели работать? Кто может помочь вам достичь желаемых целей?</b>
    Программа «{ $programme }», можно выбрать до { $limit }.
prefs-picker-head-mentor =
    <b>С кем из наставляемых вы бы хотели работать? Кому вы сможете помочь в рамках выбранных наставляемым целей?</b>
    Программа «{ $programme }», можно выбрать до { $limit }.
prefs-picker-chosen = Ваш выбор:
prefs-picker-nobody = Пока никто не выбран.
prefs-picker-next = Кого поставить на { $place }-е место?
prefs-picker-full = Список заполнен. Нажмите «Готово» или отмените последний выбор.
prefs-picker-done = Спасибо, ваш выбор сохранён! Куратор учтёт его, когда будет формировать пары.
prefs-picker-closed = Сбор предпочтений закрыт, изменить выбор уже нельзя.
prefs-btn-undo = ↩️ Отменить последний
prefs-btn-done = ✅ Готово
prefs-btn-edit = ✏️ Изменить выбор
prefs-error-closed = Сбор предпочтений уже закрыт.
prefs-error-done = Вы уже нажали «Готово». Чтобы изменить выбор, нажмите «Изменить выбор».
prefs-error-already-picked = Этот человек уже в вашем списке.
prefs-error-limit = Список уже полный. Отмените последний выбор, чтобы поменять.

## /pairs

pairs-title =
    <b>Пары и группы</b> · { $programme }
    Предложено: { $proposed }
    Подтверждено: { $confirmed }
    Наставляемых без пары: { $unmatched }
pairs-btn-run = ⚙️ Подобрать пары
pairs-btn-proposed = 📝 Предложения ({ $count })
pairs-btn-confirm-all = ✅ Подтвердить все предложения
pairs-btn-confirmed = 🤝 Подтверждённые ({ $count })
pairs-btn-lonely = 🙋 Без пары ({ $count })
pairs-btn-confirm = ✅ Подтвердить
pairs-btn-reject = ✖️ Отклонить
pairs-btn-unpair = 💔 Разъединить
pairs-btn-move = ↪️ Перевести: { $name }
pairs-btn-assign = 📌 Назначить: { $name }
pairs-ran = Подбор готов. Предложено пар и групп: { $proposed }, без пары — { $unmatched }. Посмотрите и подтвердите.
pairs-confirmed-n = Подтверждено пар и групп: { $count }. Участники получат знакомство и первые шаги.
pairs-list-proposed = <b>Предложенные пары и группы</b>
pairs-list-confirmed = <b>Подтверждённые пары и группы</b>
pairs-card = <b>Пара</b> ({ $status })
pairs-status-proposed = предложена
pairs-status-confirmed = подтверждена
pairs-directive = <i>Назначена куратором.</i>
pairs-done-confirm = Пара подтверждена.
pairs-done-reject = Предложение отклонено.
pairs-done-unpair = Пара разъединена.
pairs-done-move = Наставляемый переведён. Подтвердите новую пару.
pairs-done-assign = Наставляемый назначен. Подтвердите пару.
pairs-move-ask = К какому наставнику перевести? В скобках — свободные места.
pairs-assign-ask = Какого наставника назначить? В скобках — свободные места.
pairs-no-room = Свободных мест у наставников нет. Увеличьте число мест в карточке наставника (/mentors) или включите в реестр новых.
pairs-lonely-title = <b>Без пары: { $count }</b>
pairs-lonely-reason = Почему: { $reason }
pairs-lonely-suggest = Можно предложить: { $names }
pairs-error-no-mentees = Нет наставляемых, которым нужна пара.
pairs-error-no-mentors = Нет наставников в реестре со свободными местами.
pairs-error-nothing-to-confirm = Подтверждать нечего: предложений нет.
pairs-error-not-proposed = Эта пара уже не в предложениях.
pairs-error-not-confirmed = Разъединить можно только подтверждённую пару.
pairs-error-not-live = Эта пара уже завершена.
pairs-error-mentor-full = У этого наставника нет свободных мест.
pairs-error-same-mentor = Наставляемый уже у этого наставника.
pairs-error-already-paired = У наставляемого уже есть пара.

## /checklist

checklist-title = <b>Чек-лист программы «{ $programme }»</b>
    Текущий этап: { $stage }. Нажмите на номер этапа, чтобы открыть его.
checklist-stage-head = <b>Этап { $number }. { $title }</b> — { $done } из { $total }
checklist-manual = (отмечает куратор)
checklist-btn-tick = ☑️ Отметить: { $item }
checklist-btn-untick = ↩️ Снять: { $item }
checklist-btn-all = Все этапы
checklist-stage-1 = Подготовка условий для запуска программы
checklist-stage-2 = Формирование базы наставляемых
checklist-stage-3 = Формирование базы наставников
checklist-stage-4 = Отбор и обучение наставников
checklist-stage-5 = Формирование наставнических пар и групп
checklist-stage-6 = Организация работы пар и групп
checklist-stage-7 = Завершение наставничества
checklist-item-documents = Нормативно-правовое оформление программы
checklist-item-team = Команда и куратор назначены
checklist-item-settings = Формы, задачи и сроки определены
checklist-item-roadmap = Дорожная карта внедрения
checklist-item-informing = Коллектив и обучающиеся проинформированы
checklist-item-inform-parents = Родители, педагоги и обучающиеся знают о программе
checklist-item-mentee-profiles = Данные о наставляемых собраны
checklist-item-mentee-consents = Согласия собраны (и родителей несовершеннолетних)
checklist-item-mentee-requests = Запросы наставляемых собраны
checklist-item-mentor-profiles = Данные о потенциальных наставниках собраны
checklist-item-mentor-consents = Согласия наставников собраны
checklist-item-partners = Мотивация наставников, работа с партнёрами
checklist-item-criteria = Критерии отбора наставников
checklist-item-selection = Отбор наставников (реестр)
checklist-item-training = Обучение наставников
checklist-item-group-meeting = Общая встреча проведена
checklist-item-preferences = Анкеты предпочтений собраны
checklist-item-pairs = Пары и группы сформированы и подтверждены
checklist-item-unmatched = Наставляемые без пары получили поддержку
checklist-item-format = Формат взаимодействия выбран для каждой пары
checklist-item-plans = Цели и индивидуальный план составлены
checklist-item-materials = Методические материалы переданы наставникам
checklist-item-meetings = Встречи не реже раза в две недели
checklist-item-feedback = Обратная связь собрана
checklist-item-rewards-system = Система поощрения наставников
checklist-item-final-survey = Итоговая рефлексия и анкеты
checklist-item-results = Результаты мониторинга подведены
checklist-item-mentors-rewarded = Наставники поощрены
checklist-item-closing-event = Итоговое мероприятие
checklist-item-long-term-base = Долгосрочная база наставников
checklist-figure-of = { $done } из { $total }
checklist-figure-percent = { $done } из { $total } ({ $percent }%)
checklist-figure-curators = кураторов: { $count }
checklist-figure-approved = в реестре { $approved }, ждут решения { $waiting }
checklist-figure-pairs = подтверждено { $confirmed }, ждут решения { $proposed }
checklist-figure-unmatched = без пары: { $count }
checklist-figure-count = { $count }
checklist-figure-announced = назначена, ещё не прошла

## /broadcast

broadcast-ask-audience = Кому отправить сообщение?
broadcast-audience-all = 👥 Всем участникам
broadcast-audience-mentors = 🧭 Наставникам
broadcast-audience-mentees = 🎒 Наставляемым
broadcast-ask-text = Получатели: { $audience } ({ $count }). Напишите текст сообщения — я покажу, как оно будет выглядеть, и спрошу подтверждение.
broadcast-preview = Так увидят сообщение получатели ({ $audience }, { $count }{ $chat }):
broadcast-and-chat = , и чат наставников
broadcast-message =
    📣 <b>Сообщение куратора программы «{ $programme }»</b>

    { $text }
broadcast-btn-send = 📨 Отправить
broadcast-sent = Отправляю: { $count } получателей. Сообщения уходят постепенно, с учётом тихих часов.
broadcast-cancelled = Рассылка отменена.
broadcast-error-audience = Выберите получателей кнопкой.
broadcast-error-empty = Сообщение пустое — напишите текст.
broadcast-error-long = Слишком длинно: до 3500 символов, пожалуйста.

## The organisation's details in /program (they go into the consent text)

program-ask-org-name = Полное название образовательной организации, как в уставе. Например: «Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 5» г. Братска». Его прочитают участники и родители в согласии.
program-ask-org-address = Адрес организации, например: «665700, г. Братск, ул. Школьная, 1».
program-current-value = Сейчас: <b>{ $value }</b>
program-btn-keep = ✅ Оставить как есть
program-field-org-name = Организация
program-field-org-address = Адрес организации
program-btn-fill-details = ✏️ Указать данные организации
program-details-missing = ⚠️ Не хватает данных для текста согласия (название и адрес организации, оператор и его контакты). Пока их нет, приглашения не выдаются.
invite-details-missing = Прежде чем приглашать участников в программу «{ $programme }», укажите, пожалуйста: { $fields }. Эти данные участники и родители прочитают в согласии на обработку персональных данных.

## Security: buttons of another programme
curator-button-other-programme = Эта кнопка — с экрана другой программы, а сейчас у вас выбрана иная. Ничего не изменено. Откройте экран заново или выберите нужную программу: /program.

## Retention: what was removed
retention-curator-title = 🗑 Программа «{$programme}»: удалены данные по сроку хранения, как обещано в тексте согласия.
retention-curator-declined = • отказались от согласия ({$term} назад и раньше): {$count}
retention-curator-parent-declined = • родитель отказал в согласии ({$term} назад и раньше): {$count}
retention-curator-unanswered = • не ответили на согласие (или родитель не ответил) за {$term}: {$count}
retention-curator-expired = • участники программы, которая закончилась {$term} назад и раньше: {$count}
retention-curator-footer = Имена и анкеты удалены, в отчётах остались только обезличенные числа.


## Mass sends pressed twice (one announcement, one message per person)

meeting-error-already = Эта встреча уже объявлена: приглашения рассылаются, второй раз их никто не получит.
broadcast-already = Это объявление уже рассылается: каждый получит его один раз.

## Who may be grouped: the curator's override in /pairs
pairs-form = Форма наставничества: { $form }
pairs-warned-mentor = ⚠️ { $label }
pairs-override-warning = ⚠️ <b>Такое назначение нарушает правила подбора:</b>
    { $rules }

    Правила берегут детей и смысл формы наставничества. Назначить всё равно? Решение запишется в журнал.
pairs-btn-override = ⚠️ Всё равно назначить

## The curator at scale: search, bulk marks, who has not answered, digests

meeting-attendance-search = 🔍 Чтобы найти человека, напишите имя или класс (например, «8б»); можно сразу несколько через запятую.
meeting-attendance-found = Найдено по запросу «{ $query }»: { $count }.
meeting-btn-none-found = ▫️ Не пришли найденные ({ $count })
meeting-btn-all-found = ✅ Пришли найденные ({ $count })
meeting-btn-all-came = ✅ Все, кто записался, пришли
meeting-btn-clear = ✖️ Сбросить поиск
registry-select-head = ☑️ Отметьте наставников (выбрано: { $count }) — и решите за всех сразу.
registry-btn-select = ☑️ Выбрать нескольких
registry-btn-pick-all = ☑️ Выбрать всех ({ $count })
registry-btn-approve-selected = ✅ Включить выбранных ({ $count })
registry-btn-trained-selected = 🎓 Обучение пройдено ({ $count })
registry-btn-select-done = ⬅️ Закончить выбор
registry-confirm-approve = Включить в реестр { $count } наставников? Каждый получит от меня сообщение об этом: { $names }.
registry-and-more = И ещё { $count }.
registry-btn-confirm-approve = ✅ Подтвердить: включить { $count }
registry-bulk-approved = Включено в реестр: { $count }. Я сообщил каждому.
registry-bulk-trained = Отмечено обучение: { $count }.
registry-bulk-nobody = Среди выбранных нет наставников, которых можно включить в реестр.
silent-btn-round = 🙊 Не ответили в раунде { $number }: { $count }
silent-btn-final = 🙊 Не ответили на итоговую анкету: { $count }
silent-title-feedback = <b>Раунд { $number }: кто ещё не ответил на анкету</b>
silent-title-final = <b>Итоговая анкета · { $programme }: кто ещё не ответил</b>
silent-count = Не ответили { $count } из { $asked }:
silent-more = …и ещё { $count }
silent-remind-rules = Напоминание получат все, кто в списке; тихие часы программы я соблюдаю, и больше одного напоминания в день никто не получит.
silent-btn-remind = 🔔 Напомнить им ({ $count })
silent-reminded = Напоминания поставлены в очередь: { $queued }. Не отправлены сегодня: { $skipped } (уже напоминали, выключены напоминания или день занят).
silent-final-remind = Напоминаю об итоговой анкете программы «{ $programme }»: она займёт несколько минут и поможет сделать следующий год лучше.
cmd-digest = Сводка за день
digest-title = 🗞 <b>Сводка за день</b> · { $programme }: событий { $count }
digest-more = и ещё { $count }
digest-unnamed = участник
digest-line-parent-wait = ⏳ Ждут согласия родителя ({ $count }): { $names }. Если родитель принесёт бумажное согласие, отметьте его в списке участников.
digest-line-parent-agreed = ✅ Родитель дал согласие ({ $count }): { $names }.
digest-line-parent-declined = ⛔ Родитель не дал согласия ({ $count }): { $names }.
digest-line-withdrew = ↩️ Родители отозвали согласие и ребёнок вышел из программы: { $count }.
digest-screen =
    🗞 <b>Сводка за день</b> · { $programme }
    Согласия, регистрации и другие обычные новости я собираю в одно сообщение в день — в { $hour } по времени программы. Срочное (просьба о помощи, тревога ребёнка, участник заблокировал бота) приходит сразу.
    Сейчас в сводке: { $count }.
digest-btn-now = 📬 Показать сводку сейчас
digest-btn-hour = 🕘 Изменить время сводки
digest-ask-hour = В котором часу присылать сводку (по времени программы)?
digest-hour-saved = Время сводки сохранено.
digest-empty = Новостей для сводки пока нет.
pairs-confirm-all-ask = Подтвердить все предложенные пары ({ $pairs })? Сообщение о паре и первые шаги получат { $people } участников:
pairs-confirm-all-more = …и ещё пар: { $count }
pairs-btn-confirm-all-yes = ✅ Да, подтвердить и написать { $people }
pairs-btn-assign-all = ⚡ Назначить всех по подсказкам
pairs-assigned-all = Назначено по подсказкам: { $assigned }. Осталось без пары: { $left } — у подсказанных наставников нет мест или нужно ваше решение. Назначенные — пока предложения: подтвердите их, и участники получат сообщения.
prefs-about-grade = { $grade } класс
prefs-about-age = { $age } { $age ->
    [one] год
    [few] года
   *[many] лет
    }
prefs-about-mentee = хочет: { $list }
prefs-about-mentor = поможет: { $list }
prefs-open-ask = Открыть сбор предпочтений? Я напишу { $count } участникам — тем, кто был на общей встрече: { $names }.
prefs-btn-open-yes = ✅ Да, открыть и написать { $count }

# MAX: links of both messengers when the bot serves both
invite-link-in-max = в MAX: { $link }
invite-link-in-telegram = в Telegram: { $link }

## Year-end monitoring: the checklist's ticks with a note

checklist-figure-thanked = благодарностей отправлено: { $count }
checklist-tick-by = { $name_gender ->
        [female] отметила
        [male] отметил
       *[other] отметка:
    } { $name }, { $date }
checklist-tick-note = примечание: { $note }
checklist-btn-note = 📝 Примечание: { $item }
checklist-note-ask = Напишите примечание к пункту «{ $item }» — например, номер и дату приказа («приказ № 12 от 01.09.2026»). Пункт будет отмечен выполненным.
checklist-note-saved = Примечание сохранено, пункт отмечен ✅

## Year-end monitoring: the programme's tasks and expected results

program-ask-goals = Какие задачи у программы и каких результатов вы ждёте? Напишите коротко — это войдёт в итоговый отчёт. Можно пропустить и вписать позже.
program-field-goals = Задачи и результаты

## Year-end monitoring: the curator's note on a mentee

registry-btn-note = 📝 Заметка куратора
registry-card-note = 📝 Заметка куратора: { $note }
registry-note-ask = Напишите заметку о наставляемом { $name }: как его поддерживаете, пока нет пары, что говорят классный руководитель или психолог. Заметку видят только куратор и координатор. Отправьте «-», чтобы стереть её.
registry-note-saved = Заметка сохранена.
registry-note-too-long = Заметка слишком длинная — уложитесь, пожалуйста, в 1000 знаков.
audit-action-curator-note = Куратор записал заметку о наставляемом

## Year-end monitoring: the long-term mentor base invited to the next programme

invite-btn-base = 📨 Пригласить базу наставников ({ $count })
invite-base-sent = Приглашения отправлены: { $count }. Каждый заново даст согласие, когда перейдёт по ссылке.
next-year-invite = 👋 Начинается новая программа наставничества «{ $programme }». Вы в базе наставников — будем рады видеть вас снова! Чтобы присоединиться, перейдите по ссылке: { $link }
    Согласие на обработку данных мы спросим заново.
audit-action-long-term-base-invited = База наставников приглашена в новую программу
checklist-title-done = <b>Чек-лист программы «{ $programme }»</b>
    Все семь этапов пройдены ✅ Нажмите на номер этапа, чтобы открыть его.
