## The curator console: programmes, invitations, registries, meeting, preferences, pairs, checklist, broadcast.

curator-denied = This is not your programme: you have no curator rights here.
curator-no-programme = You have no programme yet. Create the first one — it takes a couple of minutes.

## Staff invitations

staff-join-curator = Done! You are now a curator of “{ $place }”. The curator commands are in the menu; start with /program.
staff-join-co_curator = Done! You are now a co-curator of the programme “{ $place }”. The curator commands are in the menu; start with /checklist.
staff-join-problem-unknown = I do not know this invitation link. Ask the coordinator for a new one.
staff-join-problem-revoked = This link has been revoked. Ask whoever sent it for a new one.
staff-join-problem-expired = This link has expired. Ask whoever sent it for a new one.
staff-join-problem-used_up = A curator has already joined with this link. If it was not you, ask for a new link.
staff-join-problem-already = You are already on this programme's team — all is well. Commands are in /help.

## /program

program-btn-new = ➕ New programme
program-btn-list = 📋 All programmes
program-btn-edit = ✏️ Edit
program-btn-choose = 📌 Make current
program-btn-next = Next ➡️
program-btn-skip = Skip
program-btn-save = ✅ Save the programme
program-btn-new-organisation = ➕ New organisation
program-card-title = <b>Programme</b>
program-list-title = <b>Your programmes</b> ({ $count }). The current one has a dot — choose a programme to open it.
program-edit-title = What to change in “{ $name }”?
program-step = <i>Step { $number } of { $total }</i>
program-confirm = Please check that all is right:
program-created = The programme is created and is now current. Next: /invite to invite participants.
program-saved = Saved.
program-cancelled = All right, nothing saved. Come back with /program.
program-individual = Individual (one mentor, one mentee)
program-group = Group (a mentor with several mentees)
program-days = { $days } days
program-quiet-none = no quiet hours
program-summary =
    Name: <b>{ $name }</b>
    Organisation: { $organisation }
    Organisation's address: { $address }
    Forms: { $forms }
    Format: { $kind }
    Tasks and expected results: { $goals }
    Time zone: { $timezone }
    Dates: { $starts } — { $ends }
    Feedback: every { $cadence } days
    Quiet hours: { $quiet }
    Data operator: { $operator }
    Operator details: { $details }
    Students in the organisation: { $students }
    Teachers under 35: { $teachers }
program-ask-name = What is the programme called? For example: “Mentoring 2026/27”.
program-ask-organisation = Which organisation runs the programme?
program-ask-new-organisation = Type the name of the new organisation, e.g. “School No. 5”.
program-ask-forms = Which forms of mentoring will the programme have? Tick one or more and press “Next”.
program-ask-is-group = Individual or group mentoring?
program-ask-timezone = Which time zone is the school in? Meetings and reminders follow it.
program-ask-starts-on = When does the programme start? Type the date as DD.MM.YYYY, e.g. 01.09.2026.
program-ask-ends-on = When does the programme end? Date as DD.MM.YYYY, e.g. 31.05.2027.
program-ask-feedback-cadence-days = How often to ask participants for feedback? Usually every 14 days.
program-ask-quiet = When should participants not be disturbed? Messages wait until morning.
program-ask-operator-name = Who is the personal data operator? Usually the school itself — press its name. If it is another body, type its full name.
program-ask-operator-details = The operator's address and contacts for questions about personal data: the phone or e-mail of the person in charge (a tax number too, if you like). Participants and parents read this in the consent.
program-ask-students-total = How many students does the organisation have? It is used for the coverage figure (the target is at least 70%).
program-ask-young-teachers-total = How many teachers under 35 does the organisation have?
program-field-name = Name
program-field-forms = Forms
program-field-is-group = Individual/group
program-field-timezone = Time zone
program-field-starts-on = Start
program-field-ends-on = End
program-field-feedback-cadence-days = Feedback
program-field-quiet = Quiet hours
program-field-operator-name = Operator
program-field-operator-details = Details
program-field-students-total = Students
program-field-young-teachers-total = Teachers under 35
program-error-empty = An answer is needed here — please type it again.
program-error-too-long = Too long. Please keep it within 200 characters.
program-error-date = I could not read the date. Type it like this: 01.09.2026.
program-error-dates-order = The programme must end after it starts. Please check the dates.
program-error-number = A whole number is needed, e.g. 640.
program-error-cadence = A number of days from 1 to 90 is needed.
program-error-forms = Tick at least one form of mentoring.
program-error-use-buttons = Please choose an answer with the buttons below the message.

tz-kaliningrad = Kaliningrad (UTC+2)
tz-moscow = Moscow (UTC+3)
tz-samara = Samara (UTC+4)
tz-yekaterinburg = Yekaterinburg (UTC+5)
tz-omsk = Omsk (UTC+6)
tz-novosibirsk = Novosibirsk, Krasnoyarsk (UTC+7)
tz-irkutsk = Irkutsk (UTC+8)
tz-yakutsk = Yakutsk (UTC+9)
tz-vladivostok = Vladivostok (UTC+10)
tz-magadan = Magadan (UTC+11)
tz-kamchatka = Kamchatka (UTC+12)

## /invite

invite-title = <b>Invitations to “{ $programme }”</b>
invite-line-mentee = 🎒 For mentees (used { $uses } times):
    { $link }
invite-line-mentor = 🧭 For mentors (used { $uses } times):
    { $link }
invite-line-co-curator = 🤝 For a co-curator — single use, valid for 14 days:
    { $link }
invite-hint = Forward the link to a class chat or print the QR code on a poster. If a link got to the wrong place, issue a new one: the old one stops working.
invite-role-mentee = mentees
invite-role-mentor = mentors
invite-role-co-curator = co-curator
invite-btn-qr = QR: { $role }
invite-btn-regen = 🔄 New link
invite-btn-curator = 👤 Link for an organisation curator
invite-regenerated = The old link is revoked; here is the new one.
invite-qr-caption = QR code for “{ $role }”, programme “{ $programme }”.
    { $link }
invite-curator-link = A single-use link for a new curator of the organisation (valid for 14 days):
    { $link }

## /mentors, /mentees

registry-title-mentor = <b>Mentors</b> · { $programme }
    Shown: { $filter } — { $count }
registry-title-mentee = <b>Mentees</b> · { $programme }
    Shown: { $filter } — { $count }
registry-legend = ⏳ no consent yet · 📝 profile not filled · 🆕 awaiting decision · ✅ in the registry/active · ⛔ declined
registry-empty = Nobody here yet.
registry-search-for = Search: “{ $query }”
registry-search-ask = Type a first or last name (or part of it) — I will find them.
registry-btn-search = 🔍 Search by name
registry-filter-all = all
registry-filter-no-consent = no consent
registry-filter-no-profile = no profile
registry-filter-candidate = awaiting
registry-filter-approved = in registry
registry-filter-declined = declined
registry-filter-untrained = not trained
registry-filter-parent-pending = awaiting parents
registry-filter-active = active
registry-card-mentor =
    <b>{ $name }</b> — mentor
    Status: { $status }
    Profile complete: { $profile }
    Registry: { $registry }
    Training done: { $trained }
    Can take mentees: { $capacity }
registry-card-mentee =
    <b>{ $name }</b> — mentee
    Status: { $status }
    Age: { $age }
    Profile complete: { $profile }
registry-card-reason = Reason for declining: { $reason }
registry-card-answers = <b>Profile:</b>
registry-card-no-answers = <i>No profile answers yet.</i>
registry-status-consent-pending = awaiting consent
registry-status-parent-pending = awaiting a parent's consent
registry-status-active = active
registry-status-declined-consent = declined data processing
registry-status-withdrawn = left the programme
registry-registry-candidate = awaiting decision
registry-registry-approved = in the registry
registry-registry-declined = declined
registry-yes = yes
registry-no = no
registry-btn-approve = ✅ Approve into the registry
registry-btn-decline = ⛔ Decline
registry-btn-trained = 🎓 Training done
registry-btn-untrained = ↩️ Remove the training mark
registry-btn-capacity = 👥 Places: { $capacity }
registry-btn-remind = 🔔 Remind about the profile
registry-btn-paper = 📄 Parent's paper consent received
registry-btn-back-list = ⬅️ Back to the list
registry-capacity-ask = How many mentees can { $name } take?
registry-decline-ask = Type the reason for declining { $name } — the mentor will see it. Please be kind: this person wanted to help.
registry-done-approve = The mentor is in the registry; I have told them.
registry-done-decline = Declined; the mentor will get a message with the reason.
registry-done-trained = Training marked as done.
registry-done-untrained = Training mark removed.
registry-done-remind = Reminder sent.
registry-done-paper = Paper consent recorded.
registry-done-setcap = Number of places saved.
registry-reminded-already = A reminder was already sent today — the next one can go tomorrow.
registry-error-no-consent = Consent to data processing is needed first.
registry-error-not-approved = Approve the mentor into the registry first.
registry-error-capacity = From 1 to 10 places.
registry-error-profile-done = The profile is already complete — no reminder needed.
registry-error-not-minor = The participant is an adult: no parent's consent is needed.
registry-error-consent-done = The parent's consent is already there.
registry-error-reason-empty = Please type a reason — without one a refusal feels hurtful.
registry-error-reason-long = Too long: up to 500 characters, please.
registry-notify-approved = Good news: you are in the mentors' registry of “{ $programme }”. Thank you for being ready to help! The curator will tell you the next steps.
registry-notify-declined =
    Thank you for your interest in “{ $programme }”. Unfortunately, this time the curator did not include you in the mentors' registry.
    Reason: { $reason }
    If you have questions, write to the curator.
registry-notify-finish-profile = A reminder: your profile in “{ $programme }” is not finished yet. It takes a few minutes — press /start and I will continue where you stopped.

## /meeting

meeting-none = The group meeting of “{ $programme }” is not scheduled yet. There mentors and mentees meet, and afterwards they choose whom they want to work with.
meeting-current =
    <b>Group meeting</b> · { $programme }
    When: { $date } at { $time }
    Where: { $place }
    Came: { $came } of { $total } (attendance recorded: { $recorded })
meeting-btn-new = 📅 Schedule a meeting
meeting-btn-attendance = ✅ Record who came
meeting-btn-send = 📣 Send the invitation
meeting-btn-done = Done
meeting-ask-day = Choose the day ({ $timezone }):
meeting-ask-time = { $date }. What time does the meeting start?
meeting-ask-place = { $date } at { $time }. Where is the meeting? Type the place (a room, the hall) or a link to an online meeting.
meeting-preview =
    Check the invitation:
    📅 { $date } at { $time }
    📍 { $place }
    All participants with consent and the approved mentors get it. A reminder comes in the morning of the day.
meeting-announced = The invitation is sent to { $count } participants. I will remind them in the morning of the day.
meeting-attendance = Mark who came to the meeting ({ $came } of { $total } came). Everyone invited is ticked to begin with: untick those who were not there by pressing their names.
meeting-attendance-saved = Attendance saved. Preferences will be collected from those who came.
meeting-error-place = Please type where the meeting will be.
meeting-error-place-long = Too long: up to 500 characters, please.
meeting-error-past = That time has passed — please choose another.
meeting-notify-announce =
    You are invited to the group meeting of “{ $programme }”!
    📅 { $date } at { $time }
    📍 { $place }
    You will meet the mentors and mentees, and afterwards choose whom you would like to work with.
meeting-notify-remind =
    A reminder: the group meeting of “{ $programme }” is today.
    🕒 { $time }
    📍 { $place }
role-short-mentee = mentee
role-short-mentor = mentor

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
weekday-0 = Mo
weekday-1 = Tu
weekday-2 = We
weekday-3 = Th
weekday-4 = Fr
weekday-5 = Sa
weekday-6 = Su

## /preferences

prefs-title =
    <b>Preferences</b> · { $programme }
    { $state }
    Mentees answered: { $mentees_done } of { $mentees_total }
    Mentors answered: { $mentors_done } of { $mentors_total }
prefs-state-none = The round is not open yet.
prefs-state-open = The round is open.
prefs-state-closed = The round is closed — you can form pairs (/pairs).
prefs-btn-open = 📨 Open the round
prefs-btn-close = 🔒 Close the round
prefs-btn-refresh = 🔄 Refresh
prefs-btn-pairs = 🤝 To pairs
prefs-opened = The round is open: { $count } participants got the form.
prefs-closed = The round is closed. Now you can form pairs in /pairs.
prefs-error-already-open = The round is already open.
prefs-error-not-open = The round is not open now.
prefs-error-nobody = Nobody to ask yet: both mentees with consent and approved mentors are needed (and, if attendance was recorded, those who came to the meeting).
prefs-notify-open-mentee =
    After the group meeting of “{ $programme }” it is time to choose a mentor.
    <b>Which of the mentors would you like to work with? Who can help you reach your goals?</b>
    Choose up to { $limit } people in order: first the one you want most.
prefs-notify-open-mentor =
    After the group meeting of “{ $programme }” it is time to choose mentees.
    <b>Which of the mentees would you like to work with? Whom can you help with the goals they chose?</b>
    Choose up to { $limit } people in order: first the one you want most.
prefs-btn-start = Choose
prefs-picker-head-mentee =
    <b>Which of the mentors would you like to work with? Who can help you reach your goals?</b>
    Programme “{ $programme }”, up to { $limit } choices.
prefs-picker-head-mentor =
    <b>Which of the mentees would you like to work with? Whom can you help with the goals they chose?</b>
    Programme “{ $programme }”, up to { $limit } choices.
prefs-picker-chosen = Your choice:
prefs-picker-nobody = Nobody chosen yet.
prefs-picker-next = Who goes to place { $place }?
prefs-picker-full = The list is full. Press “Done” or undo the last choice.
prefs-picker-done = Thank you, your choice is saved! The curator will use it when forming pairs.
prefs-picker-closed = The round is closed; the choice can no longer be changed.
prefs-btn-undo = ↩️ Undo the last
prefs-btn-done = ✅ Done
prefs-btn-edit = ✏️ Change my choice
prefs-error-closed = The preference round is already closed.
prefs-error-done = You have pressed “Done”. To change the choice, press “Change my choice”.
prefs-error-already-picked = This person is already on your list.
prefs-error-limit = The list is full. Undo the last choice to change it.

## /pairs

pairs-title =
    <b>Pairs and groups</b> · { $programme }
    Proposed: { $proposed }
    Confirmed: { $confirmed }
    Mentees without a pair: { $unmatched }
pairs-btn-run = ⚙️ Match pairs
pairs-btn-proposed = 📝 Proposals ({ $count })
pairs-btn-confirm-all = ✅ Confirm all proposals
pairs-btn-confirmed = 🤝 Confirmed ({ $count })
pairs-btn-lonely = 🙋 Without a pair ({ $count })
pairs-btn-confirm = ✅ Confirm
pairs-btn-reject = ✖️ Reject
pairs-btn-unpair = 💔 Unpair
pairs-btn-move = ↪️ Move: { $name }
pairs-btn-assign = 📌 Assign: { $name }
pairs-ran = Matching done: { $proposed } proposals, { $unmatched } without a pair. Review and confirm them.
pairs-confirmed-n = Pairs and groups confirmed: { $count }. The participants will get their introductions and first steps.
pairs-list-proposed = <b>Proposed pairs</b>
pairs-list-confirmed = <b>Confirmed pairs</b>
pairs-card = <b>Pair</b> ({ $status })
pairs-status-proposed = proposed
pairs-status-confirmed = confirmed
pairs-directive = <i>Assigned by the curator.</i>
pairs-done-confirm = The pair is confirmed.
pairs-done-reject = The proposal is rejected.
pairs-done-unpair = The pair is ended.
pairs-done-move = The mentee is moved. Confirm the new pair.
pairs-done-assign = The mentee is assigned. Confirm the pair.
pairs-move-ask = Move to which mentor? Free places in brackets.
pairs-assign-ask = Assign which mentor? Free places in brackets.
pairs-no-room = No mentor has a free place. Raise a mentor's places in their card (/mentors) or approve new mentors.
pairs-lonely-title = <b>Without a pair: { $count }</b>
pairs-lonely-reason = Why: { $reason }
pairs-lonely-suggest = Could go to: { $names }
pairs-error-no-mentees = No mentees need a pair.
pairs-error-no-mentors = No approved mentors with free places.
pairs-error-nothing-to-confirm = Nothing to confirm: there are no proposals.
pairs-error-not-proposed = This pair is no longer a proposal.
pairs-error-not-confirmed = Only a confirmed pair can be ended.
pairs-error-not-live = This pair has ended.
pairs-error-mentor-full = This mentor has no free places.
pairs-error-same-mentor = The mentee is already with this mentor.
pairs-error-already-paired = The mentee already has a pair.

## /checklist

checklist-title = <b>Checklist of “{ $programme }”</b>
    Current stage: { $stage }. Press a stage number to open it.
checklist-stage-head = <b>Stage { $number }. { $title }</b> — { $done } of { $total }
checklist-manual = (ticked by the curator)
checklist-btn-tick = ☑️ Tick: { $item }
checklist-btn-untick = ↩️ Untick: { $item }
checklist-btn-all = All stages
checklist-stage-1 = Preparing to launch the programme
checklist-stage-2 = Forming the mentee base
checklist-stage-3 = Forming the mentor base
checklist-stage-4 = Selecting and training mentors
checklist-stage-5 = Forming pairs and groups
checklist-stage-6 = Organising the work of pairs and groups
checklist-stage-7 = Completing the mentoring
checklist-item-documents = Normative documents of the programme
checklist-item-team = Team and curator appointed
checklist-item-settings = Forms, tasks and dates defined
checklist-item-roadmap = Implementation roadmap
checklist-item-informing = Staff and students informed
checklist-item-inform-parents = Parents, teachers and students informed
checklist-item-mentee-profiles = Data about mentees collected
checklist-item-mentee-consents = Consents collected (incl. parents of minors)
checklist-item-mentee-requests = Mentees' requests collected
checklist-item-mentor-profiles = Data about potential mentors collected
checklist-item-mentor-consents = Mentors' consents collected
checklist-item-partners = Motivating mentors, working with partners
checklist-item-criteria = Mentor selection criteria
checklist-item-selection = Mentors selected (registry)
checklist-item-training = Mentors trained
checklist-item-group-meeting = Group meeting held
checklist-item-preferences = Preference forms collected
checklist-item-pairs = Pairs and groups formed and confirmed
checklist-item-unmatched = Mentees without a pair supported
checklist-item-format = Interaction format chosen per pair
checklist-item-plans = Goals and an individual plan set
checklist-item-materials = Methodological materials given to mentors
checklist-item-meetings = Meetings at least every two weeks
checklist-item-feedback = Feedback collected
checklist-item-rewards-system = A reward system for mentors
checklist-item-final-survey = Final reflection and surveys
checklist-item-results = Monitoring results summed up
checklist-item-mentors-rewarded = Mentors rewarded
checklist-item-closing-event = Closing event
checklist-item-long-term-base = Long-term mentor base
checklist-figure-of = { $done } of { $total }
checklist-figure-percent = { $done } of { $total } ({ $percent }%)
checklist-figure-curators = curators: { $count }
checklist-figure-approved = { $approved } in the registry, { $waiting } awaiting
checklist-figure-pairs = { $confirmed } confirmed, { $proposed } awaiting
checklist-figure-unmatched = without a pair: { $count }
checklist-figure-count = { $count }
checklist-figure-announced = scheduled, not held yet

## /broadcast

broadcast-ask-audience = Whom to send the message to?
broadcast-audience-all = 👥 All participants
broadcast-audience-mentors = 🧭 Mentors
broadcast-audience-mentees = 🎒 Mentees
broadcast-ask-text = Recipients: { $audience } ({ $count }). Type the message — I will show how it looks and ask for confirmation.
broadcast-preview = This is what recipients will see ({ $audience }, { $count }{ $chat }):
broadcast-and-chat = , and the mentors' chat
broadcast-message =
    📣 <b>A message from the curator of “{ $programme }”</b>

    { $text }
broadcast-btn-send = 📨 Send
broadcast-sent = Sending to { $count } recipients. Messages go out gradually, respecting quiet hours.
broadcast-cancelled = Broadcast cancelled.
broadcast-error-audience = Choose the recipients with a button.
broadcast-error-empty = The message is empty — please type the text.
broadcast-error-long = Too long: up to 3500 characters, please.

## The organisation's details in /program (they go into the consent text)

program-ask-org-name = The full name of the school as in its charter, e.g. «Municipal budget school No. 5 of Bratsk». Participants and parents read it in the consent.
program-ask-org-address = The organisation's address, e.g. «665700, Bratsk, Shkolnaya st., 1».
program-current-value = Now: <b>{ $value }</b>
program-btn-keep = ✅ Keep it
program-field-org-name = Organisation
program-field-org-address = Organisation's address
program-btn-fill-details = ✏️ Fill in the organisation's details
program-details-missing = ⚠️ The consent text lacks details (the organisation's name and address, the operator and their contacts). No invitations until they are set.
invite-details-missing = Before inviting participants to «{ $programme }», please fill in: { $fields }. Participants and parents read these in the consent to the processing of personal data.

## Security: buttons of another programme
curator-button-other-programme = This button belongs to a screen of another programme, and a different one is chosen now. Nothing was changed. Open the screen again or choose the programme you need: /program.

## Retention: what was removed
retention-curator-title = 🗑 Programme «{$programme}»: data removed at the end of its retention term, as the consent text promises.
retention-curator-declined = • declined consent ({$term} ago or earlier): {$count}
retention-curator-parent-declined = • a parent declined consent ({$term} ago or earlier): {$count}
retention-curator-unanswered = • did not answer the consent (or the parent did not) within {$term}: {$count}
retention-curator-expired = • participants of a programme that ended {$term} ago or earlier: {$count}
retention-curator-footer = Names and profiles are deleted; the reports keep anonymous numbers only.


## Mass sends pressed twice (one announcement, one message per person)

meeting-error-already = This meeting has been announced already: the invitations are going out, and nobody will get them twice.
broadcast-already = This announcement is already going out: everyone will get it once.

## Who may be grouped: the curator's override in /pairs
pairs-form = Form of mentoring: { $form }
pairs-warned-mentor = ⚠️ { $label }
pairs-override-warning = ⚠️ <b>This placement breaks the matching rules:</b>
    { $rules }

    The rules protect children and the meaning of the form of mentoring. Assign anyway? The decision goes to the log.
pairs-btn-override = ⚠️ Assign anyway

## The curator at scale: search, bulk marks, who has not answered, digests

meeting-attendance-search = 🔍 To find someone, type a name or a class (e.g. “8b”); several at once, separated by commas.
meeting-attendance-found = Found for “{ $query }”: { $count }.
meeting-btn-none-found = ▫️ Found ones did not come ({ $count })
meeting-btn-all-found = ✅ Found ones came ({ $count })
meeting-btn-all-came = ✅ Everyone who signed up came
meeting-btn-clear = ✖️ Clear the search
registry-select-head = ☑️ Tick mentors (selected: { $count }) and decide for all of them at once.
registry-btn-select = ☑️ Select several
registry-btn-pick-all = ☑️ Select all ({ $count })
registry-btn-approve-selected = ✅ Approve the selected ({ $count })
registry-btn-trained-selected = 🎓 Training completed ({ $count })
registry-btn-select-done = ⬅️ Finish selecting
registry-confirm-approve = Add { $count } mentors to the registry? Each of them will get a message from me about it: { $names }.
registry-and-more = And { $count } more.
registry-btn-confirm-approve = ✅ Confirm: approve { $count }
registry-bulk-approved = Added to the registry: { $count }. I told each of them.
registry-bulk-trained = Training marked: { $count }.
registry-bulk-nobody = None of the selected mentors can be added to the registry.
silent-btn-round = 🙊 Not answered in round { $number }: { $count }
silent-btn-final = 🙊 Not answered the final survey: { $count }
silent-title-feedback = <b>Round { $number }: who has not answered the form yet</b>
silent-title-final = <b>Final survey · { $programme }: who has not answered yet</b>
silent-count = { $count } of { $asked } have not answered:
silent-more = …and { $count } more
silent-remind-rules = Everyone on the list will get a reminder; I keep the programme's quiet hours, and nobody gets more than one reminder a day.
silent-btn-remind = 🔔 Remind them ({ $count })
silent-reminded = Reminders queued: { $queued }. Not sent today: { $skipped } (reminded already, reminders off, or the day is taken).
silent-final-remind = A reminder about the final survey of “{ $programme }”: it takes a few minutes and helps make next year better.
cmd-digest = Daily digest
digest-title = 🗞 <b>Daily digest</b> · { $programme }: { $count } events
digest-more = and { $count } more
digest-unnamed = a participant
digest-line-parent-wait = ⏳ Waiting for a parent's consent ({ $count }): { $names }. If a parent brings a paper consent, mark it in the participants' list.
digest-line-parent-agreed = ✅ A parent gave consent ({ $count }): { $names }.
digest-line-parent-declined = ⛔ A parent did not give consent ({ $count }): { $names }.
digest-line-withdrew = ↩️ Parents withdrew consent and the child left the programme: { $count }.
digest-screen =
    🗞 <b>Daily digest</b> · { $programme }
    Consents, registrations and other routine news come in one message a day, at { $hour } programme time. Urgent things (a call for help, a child's concern, a participant who blocked the bot) come at once.
    In the digest now: { $count }.
digest-btn-now = 📬 Show the digest now
digest-btn-hour = 🕘 Change the digest time
digest-ask-hour = At what hour should the digest come (programme time)?
digest-hour-saved = The digest time is saved.
digest-empty = Nothing for the digest yet.
pairs-confirm-all-ask = Confirm all the proposed pairs ({ $pairs })? { $people } participants will get a message about their pair and the first steps:
pairs-confirm-all-more = …and { $count } more pairs
pairs-btn-confirm-all-yes = ✅ Yes, confirm and message { $people }
pairs-btn-assign-all = ⚡ Assign everyone as suggested
pairs-assigned-all = Assigned as suggested: { $assigned }. Still without a pair: { $left } — the suggested mentors have no room or your decision is needed. The assignments are proposals for now: confirm them and the participants get their messages.
prefs-about-grade = grade { $grade }
prefs-about-age = { $age ->
    [one] { $age } year old
   *[other] { $age } years old
    }
prefs-about-mentee = wants: { $list }
prefs-about-mentor = can help with: { $list }
prefs-open-ask = Open the preference round? I will write to { $count } participants — those who came to the group meeting: { $names }.
prefs-btn-open-yes = ✅ Yes, open and write to { $count }

# MAX: links of both messengers when the bot serves both
invite-link-in-max = in MAX: { $link }
invite-link-in-telegram = in Telegram: { $link }

## Year-end monitoring: the checklist's ticks with a note

checklist-figure-thanked = thanks sent: { $count }
checklist-tick-by = ticked by { $name }, { $date }
checklist-tick-note = note: { $note }
checklist-btn-note = 📝 Note: { $item }
checklist-note-ask = Write a note for «{ $item }», e.g. the order's number and date. The item will be ticked as done.
checklist-note-saved = The note is saved and the item is ticked ✅

## Year-end monitoring: the programme's tasks and expected results

program-ask-goals = What are the programme's tasks and the results you expect? Write briefly: it goes into the final report. You may skip it and add it later.
program-field-goals = Tasks and results

## Year-end monitoring: the curator's note on a mentee

registry-btn-note = 📝 Curator's note
registry-card-note = 📝 Curator's note: { $note }
registry-note-ask = Write a note about { $name }: how you support them while they have no pair, what the class teacher or the psychologist says. Only the curator and the coordinator see it. Send «-» to erase it.
registry-note-saved = The note is saved.
registry-note-too-long = The note is too long: please keep it under 1000 characters.
audit-action-curator-note = The curator wrote a note about a mentee

## Year-end monitoring: the long-term mentor base invited to the next programme

invite-btn-base = 📨 Invite the mentor base ({ $count })
invite-base-sent = Invitations sent: { $count }. Each person gives consent again when they follow the link.
next-year-invite = 👋 A new mentoring programme «{ $programme }» is starting. You are in the mentor base, and we would be glad to see you again! To join, follow the link: { $link }
    We will ask for your consent to data processing again.
audit-action-long-term-base-invited = The mentor base was invited to a new programme
checklist-title-done = <b>Checklist of «{ $programme }»</b>
    All seven stages are done ✅ Press a stage's number to open it.
