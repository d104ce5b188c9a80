## Option labels shared by questionnaires, matching and reports.

vocab-request-grades = успеваемость
vocab-request-adaptation = адаптация в коллективе
vocab-request-career = выбор профессии
vocab-request-project = проектная работа
vocab-request-olympiad = олимпиады и конкурсы
vocab-request-leadership = лидерство
vocab-request-digital = цифровые навыки
vocab-request-professional-growth = профессиональный рост
vocab-request-other = другое

vocab-interest-it = IT и программирование
vocab-interest-robotics = робототехника
vocab-interest-science = естественные науки
vocab-interest-math = математика
vocab-interest-languages = иностранные языки
vocab-interest-literature = литература
vocab-interest-history = история
vocab-interest-art = рисование и дизайн
vocab-interest-music = музыка
vocab-interest-sport = спорт
vocab-interest-volunteering = волонтёрство
vocab-interest-business = предпринимательство
vocab-interest-media = медиа и блогинг
vocab-interest-games = настольные и компьютерные игры
vocab-interest-travel = путешествия
vocab-interest-other = другое

vocab-format-in-person = очно
vocab-format-online = онлайн
vocab-format-mixed = смешанный: очно и онлайн

vocab-time-weekday-morning = будни, утро
vocab-time-weekday-afternoon = будни, день
vocab-time-weekday-evening = будни, вечер
vocab-time-weekend = выходные

vocab-mentee-category-school-student = школьник
vocab-mentee-category-college-student = студент колледжа
vocab-mentee-category-young-teacher = молодой педагог

vocab-mentor-category-student = обучающийся
vocab-mentor-category-teacher = педагог
vocab-mentor-category-graduate = выпускник
vocab-mentor-category-employer = специалист предприятия
vocab-mentor-category-parent = родитель
vocab-mentor-category-ngo = представитель НКО

vocab-mentee-age-10-13 = 10–13 лет
vocab-mentee-age-14-17 = 14–17 лет
vocab-mentee-age-18-25 = 18–25 лет
vocab-mentee-age-adult = взрослые
vocab-mentee-age-any = любой возраст

vocab-form-student-student = ученик – ученик
vocab-form-college-college = студент – студент
vocab-form-student-college = ученик – студент
vocab-form-employer-student = работодатель – ученик
vocab-form-employer-college = работодатель – студент
vocab-form-teacher-teacher = педагог – педагог
vocab-form-college-teacher = студент – педагог
