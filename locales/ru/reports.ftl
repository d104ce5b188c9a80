## Reports (/report) and the Excel export (/export).

report-share = { $part } из { $base }, { $percent }%
report-share-empty = пока никого
report-title =
    📊 <b>Отчёт по программе «{ $programme }»</b>
    { $organisation }, на { $date }
report-participants-title = <b>Участники</b>
report-participants-mentee = Наставляемые: { $active } с согласием, ждём согласия — { $pending }, отказались — { $declined }, отозвали согласие — { $withdrawn }
report-participants-mentor = Наставники: { $active } с согласием, ждём согласия — { $pending }, отказались — { $declined }, отозвали согласие — { $withdrawn }
report-consent = Согласия собраны: наставляемые — { $mentees }; наставники — { $mentors }
report-parent-pending = Ждём согласия родителей: { $count }
report-profiles = Анкеты заполнены: наставляемые — { $mentees }; наставники — { $mentors }
report-mentors-registry = В реестре наставников: { $approved }; прошли обучение: { $trained }
report-pairs-title = <b>Пары и группы</b>
report-pairs =
    Работают: { $pairs } { $pairs ->
        [one] пара
        [few] пары
       *[other] пар
    } (из них групп — { $groups }); ждут подтверждения — { $proposed }
report-mentees-paired = Наставляемые в паре: { $share }
report-mentees-unpaired = Без пары пока { $count } { $count ->
        [one] наставляемый
       *[other] наставляемых
    } — загляните в /pairs, чтобы подобрать им наставников.
report-mentees-unpaired-none = Наставляемых без пары нет 👍
report-meetings-title = <b>Встречи за последние { $days } дней</b>
report-meetings =
    Всего встреч: { $total }, в среднем { $average } на пару.
    Ни одной встречи — { $none }, одна — { $one }, две — { $two }, три и больше — { $more }
report-risk-title = <b>Пары, которым нужно внимание: { $count }</b>
report-risk-none = Тревожных сигналов нет — пары встречаются и довольны.
report-risk-count-no-meeting = без встреч 14 дней — { $count }
report-risk-count-low-score = низкая оценка — { $count }
report-risk-count-help-wanted = просят помощи — { $count }
report-risk-count-unreachable = недоступны в боте — { $count }
report-risk-no-meeting = нет встреч 14 дней
report-risk-low-score = оценка 2 и ниже
report-risk-help-wanted = просят помощи куратора
report-risk-unreachable = не получают сообщения бота
report-risk-item = • №{ $pair } { $names }: { $reasons }
report-risk-more = …и ещё { $count }. Полный список — в /export, лист «Пары и группы», столбец «Внимание».
report-name-hidden = (нет данных)
report-feedback-title = <b>Обратная связь</b>
report-feedback-none = Анкет обратной связи ещё не было.
report-feedback-response = Ответили на анкеты: { $share }
report-feedback-last-rounds = Последние { $count } раундов:
report-feedback-round = Раунд { $number }: ответы { $response }; польза { $usefulness }, комфорт { $comfort }, прогресс { $progress }
report-feedback-trend = Динамика к прошлому раунду: польза { $usefulness }, комфорт { $comfort }, прогресс { $progress }
report-trend-up = растёт ↑
report-trend-down = снижается ↓
report-trend-flat = без изменений →
report-coverage-title = <b>Охват по целевой модели</b> (цель — не меньше { $target }%)
report-coverage-students = Обучающиеся: { $value }
report-coverage-teachers = Педагоги до 35 лет: { $value }
report-coverage-reached = { $share } — цель достигнута ✅
report-coverage-below = { $share } — до цели { $target }% ещё есть куда расти
report-coverage-no-data = нет данных об общем числе (в программе сейчас { $involved })
report-coverage-hint = Чтобы посчитать охват, укажите в настройках программы (/program), сколько всего обучающихся и молодых педагогов в организации.
report-final-title = <b>Итоги</b>
report-final-survey = Итоговую анкету заполнили: { $share }
report-wants-to-mentor = Наставляемые, которые хотят стать наставниками: { $share }
report-best-pair = 🏆 «Лучшая пара» программы: { $names }
report-footer = Подробные таблицы — в /export.
report-no-programme = У вас пока нет программы. Создайте её в /program — и здесь появится отчёт.
report-chart-caption = Отклик и средние оценки по раундам, встречи пар за 14 дней
report-overview-title = 📊 <b>Сводка по всем организациям</b> на { $date }
report-overview-empty = Программ пока нет.
report-overview-organisation = <b>{ $name }</b>
report-overview-header = Программа         Согл. Согл% Пары БезП. Риск Откл%
report-overview-total = Итого
report-overview-legend = Согл. — участники с согласием; Согл% — доля согласий; Пары — работающие пары; БезП. — наставляемые без пары; Риск — пары, которым нужно внимание; Откл% — отклик на анкеты. Подробности по каждой программе — в /export.

chart-response = Отклик, %
chart-scores = Средние оценки (1–5)
chart-round = Раунд
chart-usefulness = польза
chart-comfort = комфорт
chart-progress = прогресс
chart-meetings = Встречи пар за 14 дней
chart-meetings-x = встреч у пары
chart-meetings-y = пар
chart-meetings-more = 3+

export-progress = Готовлю выгрузку… { $percent }%
export-ready = Готово: выгрузка «{ $programme }» во вложении.
export-ready-all = Готово: выгрузка по всем организациям во вложении.
export-failed = Не получилось собрать выгрузку. Данные в порядке — попробуйте ещё раз чуть позже.
export-file-name = nastavnik
export-sheet-summary = Сводка
export-sheet-mentors = Реестр наставников
export-sheet-mentees = База наставляемых
export-sheet-pairs = Пары и группы
export-sheet-meetings = Встречи
export-sheet-feedback = Обратная связь
export-sheet-final = Итоговые анкеты
export-sheet-checklist = Чек-лист
export-sheet-audit = Журнал действий
export-timezone-note = Даты и время — по часовому поясу программы ({ $timezone }).
export-timezone-note-all = Даты и время — по часовому поясу каждой программы.
export-consent-note = В таблицах только участники, давшие согласие на обработку персональных данных.
export-yes = да
export-no = нет
export-col-organisation = Организация
export-col-programme = Программа
export-col-figure = Показатель
export-col-value = Значение
export-col-full-name = ФИО
export-col-category = Категория
export-col-workplace = Место работы / учёбы
export-col-position = Должность
export-col-education = Образование
export-col-experience = Опыт работы
export-col-achievements = Достижения
export-col-competencies = Компетенции
export-col-life-experience = Жизненный опыт
export-col-interests = Интересы
export-col-hobbies = Хобби и увлечения
export-col-strengths = Сильные стороны
export-col-motivation = Мотивация
export-col-expectations = Ожидания
export-col-readiness = Психологическая готовность
export-col-preferred-age = Предпочтительный возраст наставляемых
export-col-time-resource = Ресурс времени, ч/мес
export-col-frequency = Частота встреч
export-col-capacity = Сколько наставляемых может взять
export-col-format = Формат
export-col-times = Удобное время
export-col-contacts = Контакты
export-col-registry-status = Статус в реестре
export-col-trained = Обучение пройдено
export-col-long-term = В долгосрочной базе
export-col-consent-date = Согласие получено
export-col-class = Класс / группа
export-col-subject = Предмет, стаж
export-col-age = Возраст
export-col-requests = Запросы
export-col-subjects = Предметы и интересы
export-col-goals = Цели
export-col-mentor = Наставник
export-col-wants-to-mentor = Хочет стать наставником
export-col-parent-consent = Согласие родителя
export-col-pair = Пара №
export-col-kind = Пара / группа
export-col-mentees = Наставляемые
export-col-status = Статус
export-col-confirmed-at = Подтверждена
export-col-directive = Назначена директивно
export-col-explanation = Почему вместе
export-col-meetings-count = Встреч всего
export-col-last-meeting = Последняя встреча
export-col-attention = Внимание
export-col-best-pair = Лучшая пара
export-col-meeting-at = Дата и время
export-col-topic = Тема
export-col-first = Первая встреча
export-col-round = Раунд
export-col-participant = Участник
export-col-role = Роль
export-col-meeting-happened = Встреча была
export-col-usefulness = Польза (1–5)
export-col-comfort = Комфорт (1–5)
export-col-progress = Прогресс (1–5)
export-col-difficulty = Трудности
export-col-wants-help = Нужна помощь
export-col-answered-at = Дата ответа
export-col-completed-at = Заполнена
export-col-stage = Этап
export-col-item = Пункт
export-col-done = Выполнено
export-col-note = Примечание
export-col-marked-at = Отмечено
export-col-date = Дата
export-col-actor = Кто
export-col-action = Действие
export-col-details = Подробности
export-kind-pair = пара
export-kind-group = группа
export-role-mentee = наставляемый
export-role-mentor = наставник
export-pair-status-proposed = предложена
export-pair-status-confirmed = работает
export-pair-status-rejected = отклонена
export-pair-status-ended = завершена
export-meeting-status-proposed = предложена
export-meeting-status-scheduled = назначена
export-meeting-status-held = проведена
export-meeting-status-confirmed = подтверждена
export-registry-candidate = кандидат
export-registry-approved = в реестре
export-registry-declined = не прошёл отбор
export-parent-consent-parent = родитель подтвердил в боте
export-parent-consent-paper = бумажное согласие
export-parent-consent-adult = не нужно (18+)
export-q-expectations = Оправдались ожидания (1–10)
export-q-comfort = Комфорт (1–10)
export-q-usefulness = Польза (1–10)
export-q-goals = Цели достигнуты (1–10)
export-q-valuable = Самое ценное
export-q-improve = Что улучшить
export-q-wants-to-mentor = Хочет стать наставником
export-figure-mentees-active = Наставляемые с согласием
export-figure-mentors-active = Наставники с согласием
export-figure-consent-mentees = Согласия наставляемых
export-figure-consent-mentors = Согласия наставников
export-figure-profiles-mentees = Анкеты наставляемых
export-figure-profiles-mentors = Анкеты наставников
export-figure-mentors-approved = В реестре наставников
export-figure-pairs = Работающие пары и группы
export-figure-unpaired = Наставляемые без пары
export-figure-meetings = Встреч за 14 дней
export-figure-at-risk = Пары, которым нужно внимание
export-figure-response = Отклик на анкеты обратной связи
export-figure-students = Охват обучающихся
export-figure-teachers = Охват педагогов до 35 лет
export-figure-final = Итоговые анкеты
export-figure-wants = Хотят стать наставниками
export-no-data = нет данных

## Year-end monitoring: a finished programme's cycle, the final survey, «Наставник года»

report-finished-note = Программа завершена { $date } — ниже цифры за весь её цикл.
report-pairs-finished =
    Работали до конца программы: { $pairs } { $pairs ->
        [one] пара
        [few] пары
       *[other] пар
    } (из них групп — { $groups })
report-mentees-unpaired-finished = Без пары так и { $count ->
        [one] остался { $count } наставляемый
       *[other] остались { $count } наставляемых
    }.
report-meetings-cycle-title = <b>Встречи за всю программу</b>
report-final-average = { $question } — { $value } из { $max }
report-final-averages-mentee = Наставляемые ({ $count }): { $scores }
report-final-averages-mentor = Наставники ({ $count }): { $scores }
report-final-texts = <i>{ $question }</i>
report-final-text = • «{ $text }»
report-final-texts-more = …и ещё { $count } — в /export, лист «Итоговые анкеты».
report-mentor-of-year = 🌟 «Наставник года»: { $name }
export-q-goals-reached = Цели достигнуты (1–10)
export-q-most-valuable = Самое ценное
export-figure-meetings-total = Встреч за всю программу
export-figure-mentor-of-year = «Наставник года»
export-figure-final-average-mentee = Итоговая анкета наставляемых: { $question }, среднее
export-figure-final-average-mentor = Итоговая анкета наставников: { $question }, среднее
