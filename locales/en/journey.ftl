## The participant's journey: invitation, about, consent, parent, profile, forget_me.

journey-role-mentee = mentee
journey-role-mentor = mentor
journey-invite-unknown = I could not recognise this link. Perhaps it was not copied in full. Please ask the curator for a new invitation link and open it again.
journey-invite-revoked = This invitation link no longer works: the curator has revoked it. Please ask the programme's curator for a new one.
journey-invite-expired = This invitation link has expired. Ask the curator for a new one and I will help you join right away.
journey-invite-used-up = The maximum number of people have already joined with this link. Please ask the curator for a new one.
journey-invite-closed = The programme «{$programme}» has finished; it is no longer possible to join. Thank you for your interest!
journey-invite-other-role =
    You already take part in «{$programme}» as a <b>{$role}</b>, and this link is for the role «{$new_role}».

    If you would like to take that role too, please write to the programme's curator. Your profile and answers are still there: /profile.
journey-invite-staff = This invitation is for staff. The curator will connect you shortly; if nothing happens, please write to them.
journey-welcome-back = Welcome back! Let us continue where you stopped.

journey-about =
    <b>Welcome to «{$programme}»!</b>

    You are joining as a <b>{$role}</b>.
    {$goals}
    <b>Forms of mentoring:</b> {$forms}
    <b>Meetings:</b> mentor and mentee meet at least once every {$days} days; after meetings the bot briefly asks how it went.
    <b>Curator:</b> {$curator}

    First a few questions about you, then consent to the processing of personal data and the profile. Answers are saved at once — you can stop and come back later with /start.
journey-about-goals = <b>Goals:</b> { $goals }
journey-about-no-goals = The programme helps every participant find a mentor or a mentee and reach their goals together.
journey-curator-unknown = the curator of your school or college

journey-programme-prefix = <b>«{$programme}»</b>

journey-consent =
    <b>Consent to the processing of personal data</b>

    Operator: {$operator}
    {$operator_details}
    Purpose: running the mentoring programme «{$programme}» (matching, meetings, feedback, reports for the school).
    Data: full name, age, participant category, grade or group, workplace and position (mentors), profile answers (requests, interests, competencies, convenient times and format), the contacts you give, feedback on meetings.
    Term: until the programme ends and {$keep_term} after, then the data is deleted. Before consent I keep only your name; if consent is not given or you do not answer, it is deleted too after {$pending_term}.
    Withdrawal: at any time with /forget_me — the data is deleted at once. Declining has no consequences other than not taking part through the bot.
journey-consent-minor-note = You are under 18, so after your agreement we also need the consent of your parent (legal guardian). I will give you a link to forward to them.
journey-btn-agree = ✅ I agree
journey-btn-decline = I do not agree
journey-consent-declined =
    All right. Without consent I keep nothing about you except your name, and you are not visible to other participants. After {$pending_term} I will delete the name too.

    If you change your mind, open the invitation link again or press /start.
journey-consent-agreed = Thank you! Your consent is saved. Now the profile.
journey-parent-needed =
    Thank you! Now we need the consent of your parent (legal guardian).

    Forward the link to them — they open it in their messenger and confirm:
    {$link}

    If paper is easier, give a signed consent to the curator. As soon as consent is received I will write to you and we will continue.
journey-parent-waiting =
    Waiting for your parent's consent. The link for them:
    {$link}
journey-parent-agreed = Your parent has agreed to your taking part in «{$programme}». Let us continue the profile — press /start.
journey-parent-declined = Your parent did not agree to your taking part in «{$programme}». If this is a mistake, talk to your parent or the curator.

journey-parent-link-invalid = This link has already been used or no longer works. If needed, ask your child for a new one or write to the programme's curator.
journey-parent-self = This link is for your parent — they give consent themselves, from their own account.
journey-parent-thanks-agreed = Thank you! Your consent is saved. We have told your child and the programme's curator. When your child has a mentor, I will tell you who it is. You can withdraw the consent at any time with /children.
journey-parent-thanks-declined = Understood, thank you. We have told your child and the curator; the child's data will not be used in the programme.

journey-curator-parent-wait = «{$programme}»: mentee {$name} is waiting for a parent's consent. If the parent brings a paper consent, mark it in the participant list.
journey-curator-parent-agreed = «{$programme}»: the parent of {$name} has given consent.
journey-curator-parent-declined = «{$programme}»: the parent of {$name} did not give consent.
journey-someone-left = «{$programme}»: a participant has withdrawn consent and left the programme. If this concerns your pair, the curator will help with the next steps.

journey-profile-done = Your profile is complete and confirmed. You can view or change it in /profile.
journey-declined-again = You have not given consent to data processing yet. Please read the text again — the decision is yours.

journey-profile-none = You do not take part in any programme yet. To join, open an invitation link from the curator.
journey-profile-title = <b>{$programme}</b> — {$role}
journey-profile-status = Status: {$status}
journey-profile-registry = Mentor registry: {$registry}
journey-profile-pair = Pair: {$pair}
journey-profile-no-pair = not formed yet
journey-profile-answers-hint = To change an answer, press its number.
journey-status-consent-pending = waiting for your consent to data processing
journey-status-parent-pending = waiting for a parent's consent
journey-status-active = consent received
journey-status-declined-consent = consent not given
journey-registry-candidate = profile under the curator's review
journey-registry-approved = in the registry
journey-registry-declined = not included
journey-btn-continue = ▶️ Continue the profile

journey-forget-ask =
    <b>Delete my data</b>

    If you confirm, I will delete your name, answers, contacts and consents at once and take you out of pairs and programmes. The curator and your partner will get a neutral note that a participant left. This cannot be undone.
journey-forget-btn-yes = Yes, delete everything
journey-forget-btn-no = No, keep it
journey-forget-done = Done: your data is deleted and your consent withdrawn. Thank you for being with us! To come back you will need a new invitation link.
journey-forget-kept = All right, nothing is deleted.

## A parent's consent: only the one who opened the link decides

journey-parent-not-yours = This button works only for the parent who opened the link from their child. If you are the parent, please open the link from your child's message again.

## A parent's consent: who the parent is, what the programme means, the mentor, /children

parent-hello =
    Hello! <b>{$child}</b> would like to take part in the mentoring programme «{$programme}» — {$organisation}.

    Your child is under 18, so the consent of a parent or another legal guardian is needed. First, please introduce yourself: type your full name.
parent-name-invalid = I could not read the name. Please type your full name in letters, e.g. Maria Petrovna Ivanova.
parent-ask-relation = Thank you, {$name}! Who are you to the child?
parent-rel-mother = mother
parent-rel-father = father
parent-rel-guardian = guardian
parent-rel-other = other
parent-curator-with-username = {$name} (@{$username})
parent-explain =
    <b>What taking part means for your child</b>

    The programme «{$programme}» is run by {$organisation} ({$address}). The programme's curator is {$curator}.

    • <b>A mentor.</b> Your child gets a mentor: an older pupil, a student or an adult — a teacher, a graduate, a professional. The curator checks every mentor before they join the programme.
    • <b>Meetings.</b> The mentor and your child meet about once every {$days} days — at school or online. After meetings the bot briefly asks your child how it went.
    • <b>Who sees what.</b> Only the mentor sees your child's contacts, and only those your child chooses to give. The curator sees the profile answers and the feedback on meetings. Other participants do not see them.
    • <b>You can change your mind at any time</b> — with /children here in the bot, or through the curator. Your child then leaves the programme and their data is deleted.

    Personal data operator: {$operator}; {$operator_details}.

    {$name}, do you agree to your child taking part in the programme and to the processing of their personal data for it?
parent-btn-full-text = 📄 Full text of the consent
parent-consent-full =
    <b>Consent of a parent (legal guardian) to the processing of a minor's personal data</b>

    I, {$name} ({$relation}), as the legal guardian of {$child}, give the operator — {$operator}, {$operator_details} — my consent to the processing of the child's personal data.
    Purpose: the child's taking part in the mentoring programme «{$programme}» of {$organisation} — finding a mentor, meetings, feedback, reports for the school.
    Data: full name, age, grade, profile answers (requests, interests, convenient times and format of meetings), the contacts the child gives, feedback on meetings.
    Who sees it: the contacts the child chooses to show — only their mentor; the profile and feedback — the programme's curator.
    Term: until the programme ends and one year after, then the data is deleted.
    Withdrawal: at any time with /children in this bot or by a request to the curator — the child leaves the programme and the data is deleted at once.
parent-paired =
    Your child, <b>{$child}</b>, now has a mentor in «{$programme}»: <b>{$mentor}</b> ({$role}).

    If you have questions, write to the programme's curator: {$curator}. The school's contacts: {$contacts}.
    You can withdraw the consent at any time with /children.
parent-children-none = You have not given consent for a child in this bot yet. If your child sent you a consent link, please open it.
parent-children-title = <b>Your consent for your child</b>
parent-children-line = • {$child} — programme «{$programme}»
parent-btn-withdraw = Withdraw consent: {$child}
parent-withdraw-ask =
    Withdraw your consent for <b>{$child}</b> in «{$programme}»?

    Your child leaves the programme at once: out of the pair, with their name, profile and answers deleted. This cannot be undone. The programme's curator will be told.
parent-btn-withdraw-yes = Yes, withdraw consent
parent-btn-withdraw-no = No, keep it
parent-withdraw-done = Done: the consent is withdrawn, your child has left the programme and their data is deleted. The programme's curator has been told.
parent-withdraw-kept = All right, nothing changes.
parent-withdrew-curator = Programme «{$programme}»: a parent withdrew the consent for one of the mentees. They have left the programme and their data is deleted. If this affects a pair, rearrange it in /pairs.

## Retention and consent before the age
journey-consent-age-note = If you are under 18, after your agreement we also need the consent of your parent (legal guardian) — I will give you a link to forward to them. I will ask your age after the consent.
journey-btn-agree-adult = ✅ I agree, I am 18 or older
journey-btn-agree-minor = ✅ I agree, I am under 18
retention-term-days = { $days ->
    [one] {$days} day
   *[other] {$days} days
}
retention-term-years = { $years ->
    [one] {$years} year
   *[other] {$years} years
}

## Plain words for mentees (children among them): the welcome and the consent; the full text on request
journey-about-mentee =
    <b>Welcome to the mentoring programme "{$programme}"!</b>

    Here you will get a mentor: someone who helps with studies, a project or whatever matters to you now. You will meet about every {$days} days, and after a meeting I will briefly ask how it went.
    Programme curator: {$curator}.

    First I will ask your name, then for your consent, and then there is a short questionnaire. You can stop and come back later with /start.
journey-consent-simple =
    <b>Consent to the processing of data</b>

    May I keep your answers? To find you a mentor I need to keep your name, age and questionnaire answers. Only the programme curator and your mentor will see them, and your contacts only if you allow it.
    The data is kept until the end of the programme and {$keep_term} after it, then deleted. Without consent, I delete your name too in {$pending_term}. You can change your mind at any time: /forget_me deletes everything at once.
    The data is kept by {$operator} ({$operator_details}). The full consent text is behind the "📄 Full consent text" button.
journey-consent-simple-age-note = If you are under 18, your parent will consent too: I will send a link to forward to them.
journey-btn-consent-full = 📄 Full consent text

## A child under 14 (docs/texts.md): English has no «ты»/«вы», the same text
journey-welcome-back-child = { journey-welcome-back }
journey-parent-needed-child = { journey-parent-needed }
journey-parent-waiting-child = { journey-parent-waiting }
journey-parent-agreed-child = { journey-parent-agreed }
journey-parent-declined-child = { journey-parent-declined }
journey-profile-done-child = { journey-profile-done }
journey-someone-left-child = { journey-someone-left }
journey-profile-none-child = { journey-profile-none }
journey-forget-ask-child = { journey-forget-ask }
journey-forget-done-child = { journey-forget-done }
journey-profile-answers-hint-child = { journey-profile-answers-hint }
journey-status-consent-pending-child = { journey-status-consent-pending }
journey-curator-unknown-child = { journey-curator-unknown }
