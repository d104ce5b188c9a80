## Reports (/report) and the Excel export (/export).

report-share = { $part } of { $base }, { $percent }%
report-share-empty = nobody yet
report-title =
    📊 <b>Report on «{ $programme }»</b>
    { $organisation }, as of { $date }
report-participants-title = <b>Participants</b>
report-participants-mentee = Mentees: { $active } with consent, consent pending — { $pending }, declined — { $declined }, withdrew consent — { $withdrawn }
report-participants-mentor = Mentors: { $active } with consent, consent pending — { $pending }, declined — { $declined }, withdrew consent — { $withdrawn }
report-consent = Consents collected: mentees — { $mentees }; mentors — { $mentors }
report-parent-pending = Waiting for parents' consent: { $count }
report-profiles = Profiles complete: mentees — { $mentees }; mentors — { $mentors }
report-mentors-registry = In the mentor registry: { $approved }; trained: { $trained }
report-pairs-title = <b>Pairs and groups</b>
report-pairs =
    Working: { $pairs } { $pairs ->
        [one] pair
       *[other] pairs
    } (groups among them — { $groups }); awaiting confirmation — { $proposed }
report-mentees-paired = Mentees in a pair: { $share }
report-mentees-unpaired = { $count } { $count ->
        [one] mentee has
       *[other] mentees have
    } no pair yet — open /pairs to find them mentors.
report-mentees-unpaired-none = Every mentee has a pair 👍
report-meetings-title = <b>Meetings in the last { $days } days</b>
report-meetings =
    Meetings: { $total }, { $average } per pair on average.
    No meeting — { $none }, one — { $one }, two — { $two }, three or more — { $more }
report-risk-title = <b>Pairs that need attention: { $count }</b>
report-risk-none = No warning signs — pairs meet and are happy.
report-risk-count-no-meeting = no meeting for 14 days — { $count }
report-risk-count-low-score = low score — { $count }
report-risk-count-help-wanted = asking for help — { $count }
report-risk-count-unreachable = unreachable in the bot — { $count }
report-risk-no-meeting = no meeting for 14 days
report-risk-low-score = a score of 2 or lower
report-risk-help-wanted = asking the curator for help
report-risk-unreachable = not receiving the bot's messages
report-risk-item = • #{ $pair } { $names }: { $reasons }
report-risk-more = …and { $count } more. The full list is in /export, sheet «Pairs and groups», column «Attention».
report-name-hidden = (no data)
report-feedback-title = <b>Feedback</b>
report-feedback-none = No feedback forms have been sent yet.
report-feedback-response = Forms answered: { $share }
report-feedback-last-rounds = The last { $count } rounds:
report-feedback-round = Round { $number }: answers { $response }; usefulness { $usefulness }, comfort { $comfort }, progress { $progress }
report-feedback-trend = Compared with the previous round: usefulness { $usefulness }, comfort { $comfort }, progress { $progress }
report-trend-up = rising ↑
report-trend-down = falling ↓
report-trend-flat = unchanged →
report-coverage-title = <b>Coverage against the model's targets</b> (target — at least { $target }%)
report-coverage-students = Students: { $value }
report-coverage-teachers = Teachers under 35: { $value }
report-coverage-reached = { $share } — target reached ✅
report-coverage-below = { $share } — still some way to the { $target }% target
report-coverage-no-data = no data on the total number (now in the programme: { $involved })
report-coverage-hint = To compute coverage, set the total numbers of students and young teachers in the programme settings (/program).
report-final-title = <b>Results</b>
report-final-survey = Final survey completed: { $share }
report-wants-to-mentor = Mentees who want to become mentors: { $share }
report-best-pair = 🏆 The programme's "Best pair": { $names }
report-footer = Detailed tables are in /export.
report-no-programme = You have no programme yet. Create one in /program and the report will appear here.
report-chart-caption = Response rate and average scores per round, pairs' meetings in 14 days
report-overview-title = 📊 <b>Summary of all organisations</b> as of { $date }
report-overview-empty = There are no programmes yet.
report-overview-organisation = <b>{ $name }</b>
report-overview-header = Programme         Cons. Cons% Pair NoPr. Risk Resp%
report-overview-total = Total
report-overview-legend = Cons. — participants with consent; Cons% — consent rate; Pairs — working pairs; NoPr — mentees without a pair; Risk — pairs that need attention; Resp% — feedback response rate. Details per programme are in /export.

chart-response = Response rate, %
chart-scores = Average scores (1–5)
chart-round = Round
chart-usefulness = usefulness
chart-comfort = comfort
chart-progress = progress
chart-meetings = Pairs' meetings in 14 days
chart-meetings-x = meetings of a pair
chart-meetings-y = pairs
chart-meetings-more = 3+

export-progress = Preparing the export… { $percent }%
export-ready = Done: the export of «{ $programme }» is attached.
export-ready-all = Done: the export of all organisations is attached.
export-failed = The export could not be built. Your data is fine — please try again a bit later.
export-file-name = nastavnik
export-sheet-summary = Summary
export-sheet-mentors = Mentor registry
export-sheet-mentees = Mentee base
export-sheet-pairs = Pairs and groups
export-sheet-meetings = Meetings
export-sheet-feedback = Feedback
export-sheet-final = Final surveys
export-sheet-checklist = Checklist
export-sheet-audit = Action log
export-timezone-note = Dates and times are in the programme's time zone ({ $timezone }).
export-timezone-note-all = Dates and times are in each programme's time zone.
export-consent-note = Only participants who consented to the processing of personal data are listed.
export-yes = yes
export-no = no
export-col-organisation = Organisation
export-col-programme = Programme
export-col-figure = Figure
export-col-value = Value
export-col-full-name = Full name
export-col-category = Category
export-col-workplace = Place of work / study
export-col-position = Position
export-col-education = Education
export-col-experience = Work experience
export-col-achievements = Achievements
export-col-competencies = Competencies
export-col-life-experience = Life experience
export-col-interests = Interests
export-col-hobbies = Hobbies
export-col-strengths = Strengths
export-col-motivation = Motivation
export-col-expectations = Expectations
export-col-readiness = Psychological readiness
export-col-preferred-age = Preferred age of mentees
export-col-time-resource = Time available, h/month
export-col-frequency = Meeting frequency
export-col-capacity = Mentees they can take
export-col-format = Format
export-col-times = Convenient times
export-col-contacts = Contacts
export-col-registry-status = Registry status
export-col-trained = Trained
export-col-long-term = In the long-term base
export-col-consent-date = Consent given
export-col-class = Class / group
export-col-subject = Subject, experience
export-col-age = Age
export-col-requests = Requests
export-col-subjects = Subjects and interests
export-col-goals = Goals
export-col-mentor = Mentor
export-col-wants-to-mentor = Wants to become a mentor
export-col-parent-consent = Parent's consent
export-col-pair = Pair #
export-col-kind = Pair / group
export-col-mentees = Mentees
export-col-status = Status
export-col-confirmed-at = Confirmed
export-col-directive = Assigned directively
export-col-explanation = Why together
export-col-meetings-count = Meetings held
export-col-last-meeting = Last meeting
export-col-attention = Attention
export-col-best-pair = Best pair
export-col-meeting-at = Date and time
export-col-topic = Topic
export-col-first = First meeting
export-col-round = Round
export-col-participant = Participant
export-col-role = Role
export-col-meeting-happened = Meeting took place
export-col-usefulness = Usefulness (1–5)
export-col-comfort = Comfort (1–5)
export-col-progress = Progress (1–5)
export-col-difficulty = Difficulties
export-col-wants-help = Wants help
export-col-answered-at = Answered
export-col-completed-at = Completed
export-col-stage = Stage
export-col-item = Item
export-col-done = Done
export-col-note = Note
export-col-marked-at = Marked
export-col-date = Date
export-col-actor = Who
export-col-action = Action
export-col-details = Details
export-kind-pair = pair
export-kind-group = group
export-role-mentee = mentee
export-role-mentor = mentor
export-pair-status-proposed = proposed
export-pair-status-confirmed = working
export-pair-status-rejected = rejected
export-pair-status-ended = ended
export-meeting-status-proposed = proposed
export-meeting-status-scheduled = scheduled
export-meeting-status-held = held
export-meeting-status-confirmed = confirmed
export-registry-candidate = candidate
export-registry-approved = in the registry
export-registry-declined = not selected
export-parent-consent-parent = parent confirmed in the bot
export-parent-consent-paper = paper consent
export-parent-consent-adult = not needed (18+)
export-q-expectations = Expectations met (1–10)
export-q-comfort = Comfort (1–10)
export-q-usefulness = Usefulness (1–10)
export-q-goals = Goals reached (1–10)
export-q-valuable = Most valuable
export-q-improve = What to improve
export-q-wants-to-mentor = Wants to become a mentor
export-figure-mentees-active = Mentees with consent
export-figure-mentors-active = Mentors with consent
export-figure-consent-mentees = Mentees' consents
export-figure-consent-mentors = Mentors' consents
export-figure-profiles-mentees = Mentees' profiles
export-figure-profiles-mentors = Mentors' profiles
export-figure-mentors-approved = In the mentor registry
export-figure-pairs = Working pairs and groups
export-figure-unpaired = Mentees without a pair
export-figure-meetings = Meetings in 14 days
export-figure-at-risk = Pairs that need attention
export-figure-response = Feedback response rate
export-figure-students = Students coverage
export-figure-teachers = Teachers under 35 coverage
export-figure-final = Final surveys
export-figure-wants = Want to become mentors
export-no-data = no data

## Year-end monitoring: a finished programme's cycle, the final survey, «Наставник года»

report-finished-note = The programme finished on { $date }: the figures below cover its whole cycle.
report-pairs-finished =
    Worked to the end of the programme: { $pairs } { $pairs ->
        [one] pair
       *[other] pairs
    } (groups among them — { $groups })
report-mentees-unpaired-finished = { $count } { $count ->
        [one] mentee
       *[other] mentees
    } stayed without a pair.
report-meetings-cycle-title = <b>Meetings over the whole programme</b>
report-final-average = { $question } — { $value } of { $max }
report-final-averages-mentee = Mentees ({ $count }): { $scores }
report-final-averages-mentor = Mentors ({ $count }): { $scores }
report-final-texts = <i>{ $question }</i>
report-final-text = • “{ $text }”
report-final-texts-more = …and { $count } more in /export, the «Final surveys» sheet.
report-mentor-of-year = 🌟 Mentor of the year: { $name }
export-q-goals-reached = Goals reached (1–10)
export-q-most-valuable = Most valuable
export-figure-meetings-total = Meetings over the whole programme
export-figure-mentor-of-year = Mentor of the year
export-figure-final-average-mentee = Mentees' final survey: { $question }, average
export-figure-final-average-mentor = Mentors' final survey: { $question }, average
