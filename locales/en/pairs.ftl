## Pair work: introductions, meetings, the plan, feedback, alerts to the curator, completion.

pairs-intro-mentor =
    🤝 <b>{ $shape ->
        [group] You have a group!
       *[pair] You have a pair!
    }</b> Programme "{$programme}".

    { $shape ->
        [group] Your mentees:
       *[pair] Your mentee:
    }
    {$people}

    Curator: {$curator}

    <b>Next step.</b> Propose a time for the first, organisational meeting with the button below. Get to know each other, talk about goals and agree on the format, then fill in a short plan.
pairs-intro-mentee =
    🤝 <b>You have a mentor!</b> Programme "{$programme}".

    Your mentor:
    {$mentor}{$others}

    Curator: {$curator}

    <b>Next step.</b> Your mentor will soon propose a time for the first meeting; you will get a message with buttons. If you have questions before that, write to your mentor or the curator.
pairs-intro-contacts = Contacts: {$contacts}
pairs-intro-username = Telegram: @{$username}
pairs-intro-no-contacts = No contacts given; reach them through the curator.
pairs-intro-curator = {$name}
pairs-intro-curator-with-username = {$name} (@{$username})
pairs-intro-curator-noname = the programme's curator
pairs-intro-curator-unknown = your programme's curator
pairs-tips =
    <b>A few tips for mentors</b>
    • The first meeting is for getting to know each other: tell about yourself, ask about interests and expectations.
    • Set 1–3 clear goals together, with small steps towards them.
    • Meet at least every two weeks and log meetings in /meetings.
    • Listen more than you talk; praise effort, not only results.
    • If something goes wrong, write to the curator at once; that is normal.
pairs-materials-link = 📎 Materials for mentors: {$link}
pairs-materials-caption = 📎 Materials for mentors
pairs-btn-meetings = 📅 My meetings
pairs-btn-propose = 🗓 Propose a meeting
pairs-btn-materials = 📎 Materials
pairs-btn-log = ✍️ Log a meeting
pairs-btn-plan = 📝 Plan
pairs-btn-accept = ✅ Works for me
pairs-btn-accept-on = ✅ {$day} works
pairs-btn-other-time = 🔁 Another time
pairs-btn-confirm-held = ✅ Yes, we met
pairs-btn-confirm-held-on = ✅ We met on {$day}
pairs-btn-was-held = ✍️ The meeting on {$day} took place
pairs-btn-cancel-on = ✖️ Cancel {$day}
pairs-btn-no-topic = No topic
pairs-btn-fill = 📝 Fill in
pairs-btn-yes = Yes
pairs-btn-no = No

pairs-none = You do not have a pair yet. I will write as soon as the curator confirms the pairs.
pairs-overview-title = <b>📅 Meetings</b>
pairs-overview-mentor = 👥 Mentees: <b>{$partner}</b> · {$programme}
pairs-overview-mentee = 👤 Mentor: <b>{$partner}</b> · {$programme}
pairs-overview-format = Format: {$format}
pairs-overview-no-plan = ⚠️ The plan is not filled in yet.
pairs-overview-no-meetings = No meetings yet.
pairs-overview-meeting = {$icon} {$when} — {$status}{$topic}
pairs-status-proposed = waiting for an answer
pairs-status-scheduled = scheduled
pairs-status-held = held, waiting for confirmation
pairs-status-confirmed = took place
pairs-status-cancelled = cancelled

pairs-wd-0 = Mon
pairs-wd-1 = Tue
pairs-wd-2 = Wed
pairs-wd-3 = Thu
pairs-wd-4 = Fri
pairs-wd-5 = Sat
pairs-wd-6 = Sun
pairs-pick-day = Which day? ({$tz})
pairs-pick-hour = {$day}: at what time?
pairs-pick-minute = {$day}, {$hour} h: choose the minutes.
pairs-proposal-sent = Proposal sent: <b>{$when}</b>. I will tell you as soon as your mentee answers.
pairs-time-passed = This time has passed already. Please choose another one.
pairs-meeting-proposed = 🗓 {$mentor} proposes {$first ->
    [true] the first meeting
    *[other] a meeting
    }: <b>{$when}</b>. Does it work for you?
pairs-meeting-accepted = ✅ {$mentee} confirmed the meeting on <b>{$when}</b>. I will remind you both the day before and an hour before. After the meeting, please fill in the plan.
pairs-meeting-declined = 🔁 {$mentee} asks for another time instead of {$when}. Please propose a new one.
pairs-proposal-accepted = Great, the meeting is on <b>{$when}</b>. I will remind you the day before and an hour before.
pairs-proposal-declined = All right, I told your mentor another time is needed. They will propose a new one.
pairs-meeting-cancelled = The meeting on {$when} was cancelled by the mentor. They will propose a new time.
pairs-meeting-cancelled-short = The meeting on {$when} is cancelled.

pairs-log-day = When was the meeting?
pairs-log-format = {$day}: in which format?
pairs-log-topic = Write the topic of the meeting briefly, or press "No topic".
pairs-log-topic-text = Please write the topic as text, or press "No topic".
pairs-log-failed = The meeting could not be logged: the button is out of date. Open /meetings and try again.
pairs-logged = The meeting on {$when} is logged. Your mentee will confirm it with one button.
pairs-meeting-logged =
    ✍️ {$mentor} logged a meeting:
    <b>{$when}</b>, format: {$format}
    Topic: {$topic}

    Did it take place?
pairs-held-confirmed = Thank you! The meeting on {$when} is confirmed.
pairs-plan-shared =
    📝 <b>The plan</b> from your mentor {$mentor}

    <b>Goals:</b> {$goals}
    <b>Tasks:</b> {$tasks}
    <b>Format:</b> {$format}

pairs-remind-day = 🔔 A reminder of the meeting on <b>{$when}</b> ({$partner}).
pairs-remind-hour = ⏰ In an hour: the meeting on <b>{$when}</b> ({$partner}).

pairs-feedback-ask = 📝 A couple of minutes about your meetings with {$partner}? A short form helps the curator support your pair in time.
pairs-feedback-remind = 📝 A reminder about the short form on your meetings; it takes a couple of minutes.
pairs-feedback-already = You have answered this form already. Thank you!

pairs-alert-title = ⚠️ <b>An alert in "{$programme}"</b>
pairs-alert-no-meeting = 🕳 Pair {$pair}: no meetings for 14 days (last mark: {$details}). {$when}
pairs-alert-low-score = 📉 Pair {$pair}: a low score from {$person} ({$details}). {$when}
pairs-alert-help-wanted = 🆘 {$person} (pair {$pair}) asks for the curator's help. {$when}
pairs-alert-unreachable = 📵 {$person} does not receive the bot's messages (blocked the bot?). {$when}
pairs-score-usefulness = usefulness
pairs-score-comfort = comfort
pairs-score-progress = progress
pairs-btn-resolve = ✔️ Dealt with
pairs-btn-resolve-n = ✔️ Dealt with: {$n}
pairs-btn-alerts = ⚠️ All alerts
pairs-alert-resolved = Marked as dealt with.
pairs-digest-title = ⚠️ <b>Daily summary for "{$programme}"</b>: {$count} alert(s).
pairs-digest-more = …and {$count} more. All of them are in /alerts.
pairs-alerts-title =
    <b>Alerts</b> · {$programme}
    Delivery: {$mode}
pairs-alerts-none = No open alerts; all is calm.
pairs-mode-instant = at once
pairs-mode-digest = a daily summary
pairs-btn-mode-instant = 🔔 Send at once
pairs-btn-mode-digest = 🗞 Send a daily summary
pairs-mode-set-instant = Alerts will now come at once.
pairs-mode-set-digest = Alerts will now come as a daily summary.

pairs-fr-title =
    <b>Feedback</b> · {$programme}
    Forms go to pairs every {$cadence} days.
    Answered: {$answered} of {$requests} ({$rate}%).
pairs-fr-rounds = {""}
    <b>Latest rounds</b>
pairs-fr-round = Round {$number} of {$date}: {$answered} of {$requests}{$manual ->
    [true] {" "}(by hand)
    *[other] {""}
    }
pairs-fr-schedule = {""}
    <b>Next forms</b>
pairs-fr-pair = • {$mentor} — {$mentees}: {$date}
pairs-fr-more = …and {$count} more pairs
pairs-fr-no-pairs = No confirmed pairs yet.
pairs-btn-fr-all = 📨 Send the forms to everyone now
pairs-btn-fr-one = 👥 Send to one pair
pairs-btn-materials-set = 📎 Materials for mentors
pairs-btn-feedback = 📝 Feedback
pairs-btn-send = 📨 Send
pairs-fr-confirm-all = Send the feedback form to every pair of "{$programme}" now? The next scheduled form moves to a full period from today.
pairs-fr-pick = Which pair should get the form?
pairs-fr-sent = Round {$number} started: {$requests} form(s) sent ({$pairs} pair(s)).

pairs-materials-now =
    <b>Materials for mentors</b>
    Link: {$link}
    File: {$file}

    Send a link (starting with https://) or a file; I will show them to mentors when they meet their pair.
pairs-materials-bad = Please send a link starting with https://, or a file.
pairs-materials-saved = Saved. Mentors will see the materials in their introduction.
pairs-materials-cleared = The materials are removed.
pairs-btn-materials-clear = 🗑 Remove the materials
pairs-yes = yes
pairs-no = no

pairs-final-ask = 🎓 The programme "{$programme}" is coming to an end. Please answer a few final questions; it takes 3 minutes.
pairs-next-cycle-ask = Would you like to become a mentor yourself in the next cycle?
pairs-next-cycle-yes = Wonderful! I will tell the curator: you join the base of future mentors.
pairs-next-cycle-no = Thank you for your answer!
pairs-vote-ask = 🏆 "Mentor of the year": which fellow mentor do you vote for?
pairs-vote-done = Your vote for {$name} is counted. Thank you!
pairs-thanks-mentor = 💐 The programme "{$programme}" is finished. Thank you for your time, patience and care for your mentee: you did something really important!

pairs-finish-active =
    <b>Completing the programme</b> "{$programme}"
    Pairs: {$pairs}, participants: {$participants}.

    In the first step participants get the final survey, mentees are asked whether they want to become mentors, and mentors get the "Mentor of the year" vote.
pairs-finish-draft = { pairs-finish-active }
pairs-finish-finishing =
    <b>Completing</b> "{$programme}"
    Final survey: {$surveys} of {$participants} ({$rate}%).
    Mentors who voted: {$voters} of {$mentors}.
    Want to become mentors: {$wants}.
pairs-finish-finished =
    <b>The programme "{$programme}" is finished.</b>
    Final survey: {$surveys} of {$participants} ({$rate}%).
    Want to become mentors: {$wants}.
pairs-vote-results = {""}
    🏆 <b>"Mentor of the year"</b>
pairs-vote-line = {$n}. {$name}: {$votes} vote(s)
pairs-btn-finish-start = 🎓 Start completion
pairs-btn-finish-end = 🏁 Finish the programme
pairs-btn-refresh = 🔄 Refresh
pairs-fin1-confirm = Send the final survey and the vote to the participants of "{$programme}"? Scheduled feedback forms stop after that.
pairs-fin2-confirm = Finish the programme "{$programme}"? Pairs will be closed and mentors thanked. This cannot be undone.
pairs-btn-fin1-yes = ✅ Yes, send
pairs-btn-fin2-yes = ✅ Yes, finish
pairs-saved = Done.

pairs-btn-best-pair = 🏆 "Best pair"
pairs-best-title = 🏆 <b>"Best pair"</b> of the programme "{$programme}"
pairs-best-how = The choice is yours; the data only gives a hint. Pairs are ordered by points out of 100: meetings give up to 40 (the most active pair gets all 40), and the average score of both sides for usefulness, progress and comfort in the feedback forms and the final survey gives up to 60.
pairs-best-none = There is nobody to choose from yet: no pair has logged a meeting. When mentors log meetings in /meetings, the pairs will appear here.
pairs-best-line =
    {$n}. {$names}
    {$reason} · {$points} of 100
pairs-best-meetings = { $count ->
    [one] {$count} meeting
   *[other] {$count} meetings
  }
pairs-best-reason = {$meetings}, average score {$average} of 5
pairs-best-reason-no-scores = {$meetings}, no scores yet
pairs-best-pick = Tap a pair to award it. You can change the choice until the programme is finished.
pairs-best-readonly = The programme is finished; the choice is kept in the report and the export.
pairs-best-current = 🏆 "Best pair": {$names}
pairs-best-not-chosen = The "Best pair" is not chosen yet.
pairs-best-confirm =
    Award the "Best pair" of the programme "{$programme}" to
    {$names}
    {$reason}?

    The members will get a warm congratulation right away.
pairs-best-confirm-replace = The "Best pair" now is {$names}. Their congratulation has been sent and stays with them; the report and the export will show the new pair.
pairs-btn-best-yes = ✅ Yes, award
pairs-best-awarded = Done! The members of the pair have been congratulated.
pairs-best-and = {" and "}
pairs-best-congrats =
    🏆 Congratulations! At the end of the programme "{$programme}" your { $group ->
        [true] group
       *[false] pair
    }, {$names}, is the "Best pair"!

    Thank you for every meeting, for your attention and trust in each other. You showed the whole programme what real mentoring looks like. We are very proud of you! 💐

## Contacts and messages through the bot (docs/contacts.md)

contacts-via-bot = Contacts are shown only when their owner allowed it. You can write to each other through the bot — the «✉️ Write» button below.
relay-btn-to-mentor = ✉️ Write to my mentor
relay-btn-to-mentee = ✉️ Write to my mentee
relay-btn-to-mentees = ✉️ Write to my mentees
relay-btn-all = 👥 The whole group
relay-btn-reply = ↩️ Reply
relay-choose = Whom to write to? Choose one mentee or the whole group.
relay-prompt =
    ✉️ Write your message for: {$name}.
    One message, up to {$max} characters. We pass it on through the bot with your name, without your contacts.
relay-prompt-all =
    ✉️ Write your message for the whole group.
    One message, up to {$max} characters. Everyone gets it through the bot with your name, without your contacts.
relay-sent = ✅ Message passed on. The answer will come here, in the bot.
relay-too-long = The message is longer than {$max} characters. Please shorten it and send it again.
relay-too-many = Too many messages just now. Take a break and write again in an hour.
relay-not-text = Only text can be passed on here. Please write your message in words.
relay-failed = The message could not be passed on: this pair no longer works. Write to the curator if you need help.
relay-incoming =
    ✉️ A message from your { $role ->
        [mentor] mentor
       *[mentee] mentee
    } <b>{$name}</b> (programme «{$programme}»):

    {$text}
relay-btn-chat = 💬 Pair's messages
relay-chat-title = 💬 <b>The pair's messages through the bot</b>
relay-chat-line = <i>{$when}</i> · {$sender} → {$recipient}:
    {$text}
relay-chat-empty = Nobody in this pair has written through the bot yet.
relay-chat-adults = Only adults are in this pair: their messages stay private. The curator sees a conversation only when a child takes part.


## Mass sends pressed twice (one round per period, one message per person)

pairs-fr-already = The survey is already going out: this period's forms have been sent, and nobody will get them twice.

## Honest meetings: the time the mentor entered, «Встречи не было»
pairs-log-hour = {$day}: what time did the meeting start? In the programme's time zone.
pairs-log-minute = {$day}, {$hour} h — choose the minutes.
pairs-btn-not-held = ❌ It did not take place
pairs-btn-not-held-on = ❌ No meeting on {$day}
pairs-not-held-sent = Thank you for telling us. The meeting on {$when} is not counted. The curator will hear of it and help arrange a new one.
pairs-status-disputed = the mentee says it did not take place
pairs-alert-missed-meeting = ❓ {$person} (pair {$pair}) says the meeting on {$details} did not take place, though the mentor logged it. {$when}

## Year-end monitoring: «Наставник года»

pairs-mentor-of-year = 🌟 Congratulations! The mentors of «{ $programme }» chose you as the Mentor of the year. Thank you for your work and care!
pairs-mentor-continue-ask = Will you mentor next year too? If so, the curator will invite you to the new programme (we will ask for consent again).
pairs-mentor-continue-yes = Thank you! You are in the mentor base for next year: the curator will invite you when the new programme starts.
pairs-mentor-continue-no = Thank you for the answer and for this year!

## Names in their cases, gender, pair or group
pairs-intro-group-others =
    Also in your group:
    {$people}

## A child under 14 (docs/texts.md): English has no «ты»/«вы», the same text
pairs-intro-mentee-child = { pairs-intro-mentee }
pairs-intro-group-others-child = { pairs-intro-group-others }
pairs-intro-no-contacts-child = { pairs-intro-no-contacts }
pairs-none-child = { pairs-none }
pairs-meeting-proposed-child = { pairs-meeting-proposed }
pairs-proposal-accepted-child = { pairs-proposal-accepted }
pairs-time-passed-child = { pairs-time-passed }
pairs-feedback-ask-child = { pairs-feedback-ask }
pairs-feedback-remind-child = { pairs-feedback-remind }
pairs-feedback-already-child = { pairs-feedback-already }
pairs-final-ask-child = { pairs-final-ask }
pairs-next-cycle-ask-child = { pairs-next-cycle-ask }
pairs-next-cycle-yes-child = { pairs-next-cycle-yes }
pairs-not-held-sent-child = { pairs-not-held-sent }
pairs-best-congrats-child = { pairs-best-congrats }
relay-prompt-child = { relay-prompt }
relay-too-long-child = { relay-too-long }
relay-too-many-child = { relay-too-many }
relay-not-text-child = { relay-not-text }
relay-failed-child = { relay-failed }
pairs-intro-curator-unknown-child = { pairs-intro-curator-unknown }
