## Обращения: просьбы о помощи и «Мне некомфортно» — слова человека, ответ куратора, закрытие.

cases-someone = участник
cases-minor-mark = 🔴
cases-line-help = 🆘 {$person} (пара {$pair}) просит помощи куратора. {$when}
cases-line-concern = 😟 {$person} (пара {$pair}) сообщает: «Мне некомфортно». {$when}
cases-line-missed-meeting = 🕳 {$person} (пара {$pair}): встречи не было. {$when}
cases-words = Своими словами: «<i>{$words}</i>»
cases-no-words = Своих слов к сигналу пока нет.
cases-answered = Вы ответили: { $count ->
    [one] {$count} раз
    [few] {$count} раза
   *[other] {$count} раз
}
cases-stage-1 = ⏰ Открыто больше 48 часов.
cases-stage-2 = ⏰ Открыто больше 72 часов — координатор в курсе.
cases-closed-line = ✅ Закрыто {$when}. Заметка: {$note}
cases-curator-noname = куратор программы
cases-alert-title = 🆘 <b>Обращение по программе «{$programme}»</b>
cases-coordinator-title =
    ⏰ <b>Обращение по программе «{$programme}» ждёт ответа больше трёх суток</b>
    Куратор: {$curator}
cases-pair-paused = ⏸ Напоминания, анкеты и предложения встреч этой пары остановлены, пока вы не решите: возобновить работу пары или завершить её (перевести наставляемого к другому наставнику можно в /pairs).
cases-btn-answer = ✉️ Ответить
cases-btn-close = ✅ Закрыть
cases-btn-resume = ▶️ Возобновить пару и закрыть
cases-btn-end-pair = ⛔ Завершить пару
cases-btn-answer-n = ✉️ Ответить: {$n}
cases-btn-close-n = ✅ Закрыть: {$n}
cases-btn-reply = ✉️ Ответить куратору
cases-opened =
    Ваша просьба передана куратору — {$curator}.
    Куратор свяжется с вами в течение двух рабочих дней; ответ придёт сюда, в этот чат.
cases-opened-concern =
    Спасибо, что сказали. Это увидит только куратор — {$curator}.
    Куратор свяжется с вами в течение двух рабочих дней; ответ придёт сюда, в этот чат. Пока куратор не разберётся, бот не будет присылать напоминания и анкеты вашей пары.
cases-ask-words = Опишите коротко, что случилось, — просто напишите ответным сообщением.
cases-words-thanks = Спасибо, куратор получит ваши слова.
cases-answer-to-person =
    ✉️ <b>Ответ куратора — {$curator}</b>

    {$text}
cases-closed-to-person = ✅ Куратор закрыл ваше обращение. Если что-то снова не так — нажмите /help, там есть кнопка «😟 Мне некомфортно».
cases-note-pair-ended = пара завершена
cases-answer-prompt = Напишите ответ для {$person_gen} — он придёт от вашего имени через бота.
cases-answer-sent = Ответ отправлен.
cases-close-prompt = Напишите коротко, чем закончилось (заметка для отчёта), или закройте без заметки.
cases-btn-close-no-note = Закрыть без заметки
cases-closed = ✅ Обращение закрыто.
cases-end-confirm = Завершить пару {$pair}? Пара перестанет работать, обращение закроется.
cases-btn-end-yes = ⛔ Да, завершить пару
cases-pair-ended = Пара завершена, обращение закрыто. Наставляемого можно подобрать заново в /pairs.
cases-reply-prompt = Напишите, что ответить куратору.
cases-reply-sent = Куратор получит ваш ответ.
cases-btn-concern = 😟 Мне некомфортно
cases-concern-prompt =
    Если в вашей паре что-то не так, расскажите куратору — это увидит только он.
    Напишите коротко, что случилось, или отправьте без подробностей.
cases-btn-concern-no-words = Отправить без подробностей
cases-concern-cancelled = Хорошо, ничего не отправлено.
cases-concern-none = Сообщить куратору можно, когда вы участвуете в программе.
cases-list-title = <b>Обращения</b> — открыто: {$open}, закрыто: {$closed}
cases-list-closed = <b>Закрытые недавно</b>
cases-help-hint = Если в вашей паре что-то не так — нажмите «😟 Мне некомфортно»: это увидит только куратор.
report-cases-title = <b>Обращения к куратору</b>
report-cases-counts = Открыто: {$open}, закрыто: {$closed}.
report-cases-none = Обращений к куратору не было.
report-risk-none-cases-open = Пар в зоне риска по встречам и оценкам нет, но открыты обращения — { $count } (ниже).

## Обращения в выгрузке
export-sheet-cases = Обращения
export-col-case-opened = Открыто
export-col-case-kind = Вид
export-col-case-minor = Несовершеннолетний
export-col-case-status = Статус
export-col-case-answers = Ответов куратора
export-col-case-curator-again = Напомнили куратору
export-col-case-coordinator = Сообщили координатору
export-col-case-closed = Закрыто
export-col-case-closed-by = Кто закрыл
export-col-case-note = Заметка при закрытии
export-case-help = просьба о помощи
export-case-concern = «Мне некомфортно»
export-case-missed-meeting = встречи не было
export-case-open = открыто
export-case-closed = закрыто
report-overview-cases = <b>Открытые обращения к кураторам: { $count }</b>
report-overview-cases-line = • { $programme }: { $count }
cases-opened-missed-meeting =
    Спасибо, что сказали. Куратор — {$curator} — узнает, что встречи не было, и поможет договориться.
    Ответ придёт сюда, в этот чат, в течение двух рабочих дней.
cases-finish-open = 🆘 Открытых обращений: { $count } — загляните в /alerts, прежде чем завершать.
cases-missed-meeting-words = встреча { $when }, которую записал наставник

## Для ребёнка младше 14 лет (docs/texts.md): «ты», коротко и просто
cases-opened-child =
    Твоя просьба передана куратору — {$curator}.
    Куратор ответит в течение двух рабочих дней, прямо сюда, в этот чат.
cases-opened-concern-child =
    Спасибо за доверие. Это увидит только куратор — {$curator}.
    Куратор ответит в течение двух рабочих дней, прямо сюда, в этот чат. Пока куратор разбирается, бот не будет присылать напоминания и вопросы о встречах.
cases-ask-words-child = Напиши коротко, что случилось, — просто ответным сообщением.
cases-words-thanks-child = Спасибо, куратор прочитает твои слова.
cases-closed-to-person-child = ✅ Куратор закрыл твоё обращение. Если снова что-то не так — нажми /help, там есть кнопка «😟 Мне некомфортно».
cases-reply-prompt-child = Напиши, что ответить куратору.
cases-reply-sent-child = Куратор получит твой ответ.
cases-concern-prompt-child =
    Если что-то не так, расскажи куратору — это увидит только он.
    Напиши коротко, что случилось, или отправь без подробностей.
cases-concern-none-child = Сообщить куратору можно, когда ты участвуешь в программе.
cases-help-hint-child = Если что-то не так — нажми «😟 Мне некомфортно»: это увидит только куратор.
cases-opened-missed-meeting-child =
    Спасибо за ответ. Куратор — {$curator} — узнает, что встречи не было, и поможет договориться.
    Ответ придёт сюда, в этот чат, в течение двух рабочих дней.
