## Cases: calls for help and "I feel uncomfortable" — the person's words, the curator's answer, closing.

cases-someone = a participant
cases-minor-mark = 🔴
cases-line-help = 🆘 {$person} (pair {$pair}) asks for the curator's help. {$when}
cases-line-concern = 😟 {$person} (pair {$pair}) says: "I feel uncomfortable". {$when}
cases-line-missed-meeting = 🕳 {$person} (pair {$pair}): the meeting did not happen. {$when}
cases-words = In their words: "<i>{$words}</i>"
cases-no-words = No words written yet.
cases-answered = You answered { $count ->
    [one] once
   *[other] {$count} times
}
cases-stage-1 = ⏰ Open for more than 48 hours.
cases-stage-2 = ⏰ Open for more than 72 hours — the coordinator knows.
cases-closed-line = ✅ Closed {$when}. Note: {$note}
cases-curator-noname = the programme's curator
cases-alert-title = 🆘 <b>A case in the programme "{$programme}"</b>
cases-coordinator-title =
    ⏰ <b>A case in the programme "{$programme}" has waited for more than three days</b>
    Curator: {$curator}
cases-pair-paused = ⏸ Reminders, forms and meeting proposals of this pair are on hold until you decide: resume the pair or end it (a mentee can be moved to another mentor in /pairs).
cases-btn-answer = ✉️ Answer
cases-btn-close = ✅ Close
cases-btn-resume = ▶️ Resume the pair and close
cases-btn-end-pair = ⛔ End the pair
cases-btn-answer-n = ✉️ Answer: {$n}
cases-btn-close-n = ✅ Close: {$n}
cases-btn-reply = ✉️ Reply to the curator
cases-opened =
    Your request has been passed to the curator — {$curator}.
    The curator will contact you within two working days; the answer will come here, in this chat.
cases-opened-concern =
    Thank you for telling us. Only the curator will see this — {$curator}.
    The curator will contact you within two working days; the answer will come here, in this chat. Until then the bot sends no reminders or forms to your pair.
cases-ask-words = Please describe briefly what happened — just send a reply.
cases-words-thanks = Thank you, the curator will get your words.
cases-answer-to-person =
    ✉️ <b>An answer from the curator — {$curator}</b>

    {$text}
cases-closed-to-person = ✅ The curator has closed your request. If something is wrong again, press /help: there is an "😟 I feel uncomfortable" button.
cases-note-pair-ended = the pair was ended
cases-answer-prompt = Write your answer to {$person} — it will come from you through the bot.
cases-answer-sent = The answer has been sent.
cases-close-prompt = Write briefly how it ended (a note for the report), or close without a note.
cases-btn-close-no-note = Close without a note
cases-closed = ✅ The case is closed.
cases-end-confirm = End the pair {$pair}? The pair stops working and the case is closed.
cases-btn-end-yes = ⛔ Yes, end the pair
cases-pair-ended = The pair has been ended and the case closed. The mentee can be matched again in /pairs.
cases-reply-prompt = Write what to answer the curator.
cases-reply-sent = The curator will get your answer.
cases-btn-concern = 😟 I feel uncomfortable
cases-concern-prompt =
    If something is wrong in your pair, tell the curator — only the curator will see it.
    Write briefly what happened, or send without details.
cases-btn-concern-no-words = Send without details
cases-concern-cancelled = All right, nothing was sent.
cases-concern-none = You can tell the curator once you take part in a programme.
cases-list-title = <b>Cases</b> — open: {$open}, closed: {$closed}
cases-list-closed = <b>Recently closed</b>
cases-help-hint = If something is wrong in your pair, press "😟 I feel uncomfortable": only the curator will see it.
report-cases-title = <b>Cases for the curator</b>
report-cases-counts = Open: {$open}, closed: {$closed}.
report-cases-none = There were no cases.
report-risk-none-cases-open = No pairs at risk by meetings and scores, but there are open cases — { $count } (below).

## Cases in the export
export-sheet-cases = Cases
export-col-case-opened = Opened
export-col-case-kind = Kind
export-col-case-minor = Minor
export-col-case-status = Status
export-col-case-answers = Curator's answers
export-col-case-curator-again = Curator reminded
export-col-case-coordinator = Coordinator told
export-col-case-closed = Closed
export-col-case-closed-by = Closed by
export-col-case-note = Closing note
export-case-help = call for help
export-case-concern = "I feel uncomfortable"
export-case-missed-meeting = meeting did not happen
export-case-open = open
export-case-closed = closed
report-overview-cases = <b>Open cases waiting for curators: { $count }</b>
report-overview-cases-line = • { $programme }: { $count }
cases-opened-missed-meeting =
    Thank you for telling us. The curator — {$curator} — will learn that the meeting did not happen and help you arrange one.
    The answer will come here, in this chat, within two working days.
cases-finish-open = 🆘 Open cases: { $count } — look at /alerts before finishing.
cases-missed-meeting-words = the meeting of { $when } the mentor logged

## A child under 14 (docs/texts.md): English has no «ты»/«вы», the same text
cases-opened-child = { cases-opened }
cases-opened-concern-child = { cases-opened-concern }
cases-ask-words-child = { cases-ask-words }
cases-words-thanks-child = { cases-words-thanks }
cases-closed-to-person-child = { cases-closed-to-person }
cases-reply-prompt-child = { cases-reply-prompt }
cases-reply-sent-child = { cases-reply-sent }
cases-concern-prompt-child = { cases-concern-prompt }
cases-concern-none-child = { cases-concern-none }
cases-help-hint-child = { cases-help-hint }
cases-opened-missed-meeting-child = { cases-opened-missed-meeting }
