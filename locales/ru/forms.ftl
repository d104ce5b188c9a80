## The questionnaire engine: progress, buttons, summary and answer checks.

forms-progress = Вопрос {$number} из {$total}
forms-btn-back = ⬅️ Назад
forms-btn-skip = Пропустить ➡️
forms-btn-done = ✅ Готово
forms-btn-other = ✏️ Другое
forms-btn-confirm = ✅ Подтвердить
forms-btn-edit = ✏️ {$number}
forms-btn-open = 📝 Заполнить анкету
forms-multi-hint = Отметьте подходящие варианты и нажмите «Готово».
forms-multi-selected = Выбрано: {$selected}
forms-current-answer = Сейчас: {$answer}
forms-other-prompt = Напишите свой вариант одним сообщением.
forms-type-hint-text = Напишите ответ одним сообщением.
forms-type-hint-number = Напишите число.
forms-type-hint-date = Напишите дату в формате ДД.ММ.ГГГГ, например 15.09.2026.
forms-review-title = <b>{$title}</b>: проверьте ответы
forms-review-footer = Если всё верно, нажмите «Подтвердить». Чтобы исправить ответ, нажмите на его номер.
forms-answer-skipped = — (пропущено)
forms-completed = Готово, ответы сохранены. Спасибо!
forms-saved = Ответ сохранён.
forms-stale = Эта кнопка относится к уже пройденному шагу. Вот где вы сейчас:

forms-error-text-empty = Похоже, сообщение пустое. Напишите, пожалуйста, ответ текстом.
forms-error-text-short = Слишком коротко: нужно хотя бы {$min} { $min ->
    [one] символ
    [few] символа
   *[other] символов
  }.
forms-error-text-long = Слишком длинно: у вас {$length} символов, а можно не больше {$max}. Сократите, пожалуйста.
forms-error-number = Введите число цифрами, например 12.
forms-error-number-range = Введите число от {$min} до {$max}.
forms-error-number-min = Введите число не меньше {$min}.
forms-error-number-max = Введите число не больше {$max}.
forms-error-date = Не получилось прочитать дату. Напишите её так: ДД.ММ.ГГГГ, например 15.09.2026.
forms-error-date-min = Дата должна быть не раньше {$min}.
forms-error-date-max = Дата должна быть не позже {$max}.
forms-error-multi-min = Выберите хотя бы { $min ->
    [one] один вариант
    [few] {$min} варианта
   *[other] {$min} вариантов
  }.
forms-error-multi-max = Можно выбрать не больше {$max}. Снимите отметку с лишнего варианта.
forms-error-use-buttons = Для этого вопроса выберите вариант кнопкой под сообщением.
forms-error-required = Этот вопрос обязательный — без ответа на него дальше не получится.
forms-error-age-locked = Возраст после согласия меняет куратор: напишите ему, пожалуйста. Остальные ответы сохранены.
forms-error-keep-going = Остальные ответы сохранены.

## Retention and consent before the age
forms-error-age-adult-consent = Вы отметили в согласии, что вам уже есть 18, а возраст указали меньше. Для участников младше 18 нужно ещё согласие родителя — напишите, пожалуйста, куратору, он поможет. Если ошиблись в цифрах, введите возраст ещё раз.

## Checks of typed text: control characters, names.
forms-error-text-controls = В сообщении есть служебные символы, которые нельзя сохранить. Напишите, пожалуйста, ответ обычным текстом — можно просто набрать его заново.
forms-error-name-letters = Не вижу в ответе имени: нужно хотя бы две буквы. Напишите, пожалуйста, фамилию и имя обычными буквами.

## Для ребёнка младше 14 лет (docs/texts.md): «ты», коротко и просто
forms-multi-hint-child = Отметь подходящие и нажми «Готово».
forms-other-prompt-child = Напиши свой вариант одним сообщением.
forms-type-hint-text-child = Напиши ответ одним сообщением.
forms-type-hint-number-child = Напиши число.
forms-type-hint-date-child = Напиши дату так: ДД.ММ.ГГГГ, например 15.09.2026.
forms-review-title-child = <b>{$title}</b>: проверь ответы
forms-review-footer-child = Если всё верно, нажми «Подтвердить». Чтобы исправить ответ, нажми на его номер.
forms-stale-child = Эта кнопка от прошлого шага. Вот где ты сейчас:
forms-error-text-empty-child = Сообщение пустое. Напиши ответ словами.
forms-error-text-long-child = Слишком длинно: {$length} символов, а можно до {$max}. Сократи, пожалуйста.
forms-error-number-child = Напиши число цифрами, например 12.
forms-error-number-range-child = Напиши число от {$min} до {$max}.
forms-error-number-min-child = Напиши число не меньше {$min}.
forms-error-number-max-child = Напиши число не больше {$max}.
forms-error-date-child = Не получилось прочитать дату. Напиши её так: ДД.ММ.ГГГГ, например 15.09.2026.
forms-error-multi-min-child = Выбери хотя бы { $min ->
    [one] один вариант
    [few] {$min} варианта
   *[other] {$min} вариантов
  }.
forms-error-multi-max-child = Можно выбрать не больше {$max}. Сними отметку с лишнего.
forms-error-use-buttons-child = Здесь ответ выбирают кнопкой под сообщением.
forms-error-required-child = На этот вопрос нужно ответить, иначе дальше не получится.
forms-error-age-locked-child = Возраст теперь может поменять только куратор — напиши ему. Остальные ответы сохранены.
forms-error-text-controls-child = В сообщении есть странные символы, их не получится сохранить. Набери ответ заново обычным текстом.
