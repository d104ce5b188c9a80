## Matching: explanations of proposed pairs, reasons for unmatched mentees, input errors.

match-explain-mutual-first = взаимный первый выбор
match-explain-mutual = взаимный выбор (наставник — №{ $mentor_place } у наставляемого, наставляемый — №{ $mentee_place } у наставника)
match-explain-mentee-choice = выбор наставляемого (наставник — №{ $rank } в списке), у наставника — по анкете (совместимость { $percent }%)
match-explain-mentor-choice = выбор наставника (наставляемый — №{ $rank } в списке), у наставляемого — по анкете (совместимость { $percent }%)
match-explain-profiles = подобраны по анкетам (совместимость { $percent }%)
match-explain-interests = общие интересы: { $items }
match-explain-request = { $count ->
    [one] наставник поможет с запросом { $request }
   *[other] наставник поможет с запросами { $request }
}
match-explain-age = возраст наставляемого ({ $band }) подходит наставнику
match-explain-format = обоим удобно: { $format }
match-explain-times = удобное время: { $items }
match-explain-group-line = { $mentee }: { $text }

match-unmatched-empty = список предпочтений пуст
match-unmatched-empty-completed = список предпочтений пуст, а по анкете подходящих наставников не нашлось
match-unmatched-constraints = все выбранные наставники недоступны по правилам программы: { $details }
match-unmatched-not-reciprocated = никто из наставников в списке не ответил взаимным выбором
match-unmatched-full = все наставники, ответившие взаимным выбором, заняты: их места достались тем, кого они поставили выше

match-constraint-programme = другая программа
match-constraint-grade = наставник не старше по классу
match-constraint-grade-unknown = не указан класс
match-constraint-self = это тот же человек

match-error-prefix = ошибка:
match-error-json = файл не является корректным JSON: { $detail }
match-error-file = не удалось прочитать файл { $path }: { $detail }
match-error-top-type = ожидается JSON-объект с полями «mentees» и «mentors»
match-error-missing-field = не хватает поля «{ $field }» ({ $where })
match-error-unknown-field = неизвестное поле «{ $field }» ({ $where })
match-error-list = поле «{ $field }» должно быть списком
match-error-item-type = каждый элемент «{ $role }» должен быть объектом, а не { $value }
match-error-id = { $role }: id должен быть непустой строкой или целым числом, а не { $value }
match-error-duplicate-id = { $role }: id { $id } встречается дважды
match-error-field-type = поле «{ $field }» имеет неверный тип: { $value }
match-error-not-bool = поле «{ $field }» должно быть true или false
match-error-form = неизвестная форма наставничества «{ $form }»
match-error-completion-length = completion_length должен быть целым числом не меньше 0, а не { $value }
match-error-capacity = mentor { $id }: capacity должен быть целым числом не меньше 1, а не { $value }
match-error-preferences-type = { $role } { $id }: preferences должен быть списком id
match-error-unknown-preference = { $role } { $id }: в preferences неизвестный { $other } { $ref }
match-error-duplicate-preference = { $role } { $id }: { $ref } встречается в preferences дважды
match-error-codes = поле «{ $field }» должно быть списком кодов (строк), а не { $value }
match-error-grade = поле «{ $field }»: класс должен быть числом (например 9 или «9А»), а не { $value }
match-error-unknown-mentee = неизвестный наставляемый { $id }
match-error-usage = использование: python -m bot match INSTANCE.json [--locale ru|en] (или - для stdin)

## Who may be grouped: forms of mentoring, categories of mentees, preferred ages
match-explain-form = форма «{ $form }»
match-constraint-form = ни одна форма наставничества программы не подходит наставляемому по категории
match-constraint-group-category = в группе окажутся наставляемые разных категорий (школьник, студент колледжа, молодой педагог) — это разные формы наставничества
match-constraint-age = возраст наставляемого не входит в тот, что наставник указал в анкете
match-unmatched-ages = по анкете подошли бы наставники, но никто из них не просил наставляемых такого возраста
match-unmatched-ages-chosen = наставники из списка не ответили взаимным выбором и просили наставляемых другого возраста

## Объяснения пар без повторов
match-quoted = «{ $item }»
