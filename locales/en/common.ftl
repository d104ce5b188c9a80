## Common texts: greeting, help, settings, errors.

start-no-invitation =
    Hello! I am <b>Nastavnik</b>, the assistant of your school's mentorship programme.

    Through me students and teachers meet their mentors, fill in questionnaires, arrange meetings and share feedback, and the curator sees how the programme is going.

    To join, you need an <b>invitation link</b> from the programme's curator at your school or college. Ask your class teacher or the curator for it and open it — I will guide you from there.

    Already taking part? See /help.
start-staff =
    Hello! You are a {$role} in <b>Nastavnik</b>.

    The curator's commands are in the menu and in /help.
role-curator = curator
role-coordinator = coordinator

help-title = <b>What I can do</b>
help-participant =
    /start — start or continue where you left off
    /profile — your questionnaire, status and pair
    /meetings — meetings with your mentor or mentee
    /settings — language and reminders
    /forget_me — withdraw consent and delete your data
    /children — for parents: your consent for your child, withdraw it
    /help — this help

    If something is unclear, write to the programme's curator.
help-curator =
    <b>For the curator</b>
    /program — programmes and their settings
    /invite — invitation links and QR codes
    /mentors, /mentees — participant lists
    /meeting — the group meeting
    /preferences — the preference round
    /pairs — pairs and groups
    /alerts — pairs that need attention
    /digest — the daily digest of consents and registrations
    /materials — materials for mentors
    /checklist — the seven-stage checklist
    /feedback_round — feedback
    /report, /export — report and Excel
    /dashboard — the web dashboard in a browser
    /documents — orders, pair programmes and reports in Word
    /broadcast — announcements
    /group — mentors' chat
    /finish — completing the programme

settings-title =
    <b>Settings</b>

    Language: {$language}
    Reminders: {$reminders}
settings-language-ru = русский
settings-language-en = English
settings-reminders-on = on
settings-reminders-off = off
settings-btn-language = 🌐 Язык: русский
settings-btn-reminders-off = 🔕 Turn reminders off
settings-btn-reminders-on = 🔔 Turn reminders on
settings-saved = Saved.
settings-reminders-note = Forms the curator sends by hand always arrive.

unknown-command = I don't know this command. See /help for the list.
unknown-text = I'm not sure what to do with that. Have a look at /help.
error-generic = Oops, something went wrong. Your answers are saved — please try again a little later. If it happens again, write to the curator.
flood-slow-down = Please slow down a little: I can't read that fast. Wait a couple of seconds.
button-stale = This button is out of date. Open the latest message or type /start.
button-back = ⬅️ Back
button-cancel = Cancel
button-home = Start over

cmd-start = Start
cmd-help = Help
cmd-profile = My profile and pair
cmd-settings = Settings
cmd-forget-me = Delete my data
cmd-program = Programmes
cmd-invite = Invitations
cmd-mentors = Mentors
cmd-mentees = Mentees
cmd-meeting = Group meeting
cmd-preferences = Preference round
cmd-pairs = Pairs
cmd-checklist = Checklist
cmd-feedback-round = Feedback
cmd-report = Report
cmd-export = Excel export
cmd-broadcast = Announcement
cmd-finish = Completion
cmd-group = Mentors' chat
cmd-meetings = My meetings
cmd-alerts = Pairs at risk
cmd-materials = Materials for mentors

## /children: a parent's consent for a child

cmd-children = Consent for my child (parents)

## Typed text with control characters (any message).
input-error-controls = The message contains special characters that cannot be saved. Please retype it as plain text.

## School paperwork as Word files (/documents).
cmd-documents = Word documents

## The time zone in words
zone-moscow = Moscow time
zone-city = {$city} time, {$offset}
zone-offset = {$offset} time
zone-city-kaliningrad = Kaliningrad
zone-city-samara = Samara
zone-city-yekaterinburg = Yekaterinburg
zone-city-omsk = Omsk
zone-city-novosibirsk = Novosibirsk
zone-city-krasnoyarsk = Krasnoyarsk
zone-city-irkutsk = Irkutsk
zone-city-yakutsk = Yakutsk
zone-city-vladivostok = Vladivostok
zone-city-magadan = Magadan
zone-city-kamchatka = Petropavlovsk-Kamchatsky

## A child under 14 (docs/texts.md): English has no «ты»/«вы», the same text
help-participant-child = { help-participant }
unknown-command-child = { unknown-command }
unknown-text-child = { unknown-text }
error-generic-child = { error-generic }
flood-slow-down-child = { flood-slow-down }
button-stale-child = { button-stale }
input-error-controls-child = { input-error-controls }
