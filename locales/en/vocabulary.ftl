## Option labels shared by questionnaires, matching and reports.

vocab-request-grades = grades
vocab-request-adaptation = fitting in
vocab-request-career = career choice
vocab-request-project = a project
vocab-request-olympiad = olympiads and contests
vocab-request-leadership = leadership
vocab-request-digital = digital skills
vocab-request-professional-growth = professional growth
vocab-request-other = other

vocab-interest-it = IT and programming
vocab-interest-robotics = robotics
vocab-interest-science = natural sciences
vocab-interest-math = mathematics
vocab-interest-languages = foreign languages
vocab-interest-literature = literature
vocab-interest-history = history
vocab-interest-art = drawing and design
vocab-interest-music = music
vocab-interest-sport = sport
vocab-interest-volunteering = volunteering
vocab-interest-business = entrepreneurship
vocab-interest-media = media and blogging
vocab-interest-games = board and video games
vocab-interest-travel = travel
vocab-interest-other = other

vocab-format-in-person = in person
vocab-format-online = online
vocab-format-mixed = mixed

vocab-time-weekday-morning = weekday mornings
vocab-time-weekday-afternoon = weekday afternoons
vocab-time-weekday-evening = weekday evenings
vocab-time-weekend = weekends

vocab-mentee-category-school-student = school student
vocab-mentee-category-college-student = college student
vocab-mentee-category-young-teacher = young teacher

vocab-mentor-category-student = student
vocab-mentor-category-teacher = teacher
vocab-mentor-category-graduate = graduate
vocab-mentor-category-employer = employer's specialist
vocab-mentor-category-parent = parent
vocab-mentor-category-ngo = NGO member

vocab-mentee-age-10-13 = 10–13 years
vocab-mentee-age-14-17 = 14–17 years
vocab-mentee-age-18-25 = 18–25 years
vocab-mentee-age-adult = adults
vocab-mentee-age-any = any age

vocab-form-student-student = student – student
vocab-form-college-college = college student – college student
vocab-form-student-college = school student – college student
vocab-form-employer-student = employer – school student
vocab-form-employer-college = employer – college student
vocab-form-teacher-teacher = teacher – teacher
vocab-form-college-teacher = college student – teacher
