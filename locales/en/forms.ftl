## The questionnaire engine: progress, buttons, summary and answer checks.

forms-progress = Question {$number} of {$total}
forms-btn-back = ⬅️ Back
forms-btn-skip = Skip ➡️
forms-btn-done = ✅ Done
forms-btn-other = ✏️ Other
forms-btn-confirm = ✅ Confirm
forms-btn-edit = ✏️ {$number}
forms-btn-open = 📝 Fill in the form
forms-multi-hint = Tick the options that fit and press «Done».
forms-multi-selected = Selected: {$selected}
forms-current-answer = Now: {$answer}
forms-other-prompt = Type your own option in one message.
forms-type-hint-text = Type your answer in one message.
forms-type-hint-number = Type a number.
forms-type-hint-date = Type the date as DD.MM.YYYY, e.g. 15.09.2026.
forms-review-title = <b>{$title}</b>: please check your answers
forms-review-footer = If everything is right, press «Confirm». To change an answer, press its number.
forms-answer-skipped = — (skipped)
forms-completed = Done, your answers are saved. Thank you!
forms-saved = Answer saved.
forms-stale = This button belongs to a step you have already passed. Here is where you are:

forms-error-text-empty = The message seems empty. Please type your answer.
forms-error-text-short = Too short: at least {$min} characters, please.
forms-error-text-long = Too long: {$length} characters, at most {$max} allowed. Please shorten it.
forms-error-number = Please type a number in digits, e.g. 12.
forms-error-number-range = Please enter a number from {$min} to {$max}.
forms-error-number-min = Please enter a number not less than {$min}.
forms-error-number-max = Please enter a number not greater than {$max}.
forms-error-date = I could not read the date. Please type it as DD.MM.YYYY, e.g. 15.09.2026.
forms-error-date-min = The date must not be earlier than {$min}.
forms-error-date-max = The date must not be later than {$max}.
forms-error-multi-min = Please choose at least {$min}.
forms-error-multi-max = You can choose at most {$max}. Untick one of the options.
forms-error-use-buttons = For this question, please choose an option with the buttons below the message.
forms-error-required = This question is required — we cannot go on without an answer.
forms-error-age-locked = After consent, the age is changed by the curator: please write to them. Your other answers are saved.
forms-error-keep-going = Your other answers are saved.

## Retention and consent before the age
forms-error-age-adult-consent = When agreeing you said you are 18 or older, but the age you typed is lower. Participants under 18 also need a parent's consent — please write to the curator, who will help. If you mistyped, enter your age again.

## Checks of typed text: control characters, names.
forms-error-text-controls = The message contains special characters that cannot be saved. Please type your answer as plain text — retyping it is enough.
forms-error-name-letters = I can't see a name here: at least two letters are needed. Please write your name in ordinary letters.

## A child under 14 (docs/texts.md): English has no «ты»/«вы», the same text
forms-multi-hint-child = { forms-multi-hint }
forms-other-prompt-child = { forms-other-prompt }
forms-type-hint-text-child = { forms-type-hint-text }
forms-type-hint-number-child = { forms-type-hint-number }
forms-type-hint-date-child = { forms-type-hint-date }
forms-review-title-child = { forms-review-title }
forms-review-footer-child = { forms-review-footer }
forms-stale-child = { forms-stale }
forms-error-text-empty-child = { forms-error-text-empty }
forms-error-text-long-child = { forms-error-text-long }
forms-error-number-child = { forms-error-number }
forms-error-number-range-child = { forms-error-number-range }
forms-error-number-min-child = { forms-error-number-min }
forms-error-number-max-child = { forms-error-number-max }
forms-error-date-child = { forms-error-date }
forms-error-multi-min-child = { forms-error-multi-min }
forms-error-multi-max-child = { forms-error-multi-max }
forms-error-use-buttons-child = { forms-error-use-buttons }
forms-error-required-child = { forms-error-required }
forms-error-age-locked-child = { forms-error-age-locked }
forms-error-text-controls-child = { forms-error-text-controls }
