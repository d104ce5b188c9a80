## Matching: explanations of proposed pairs, reasons for unmatched mentees, input errors.

match-explain-mutual-first = mutual first choice
match-explain-mutual = mutual choice (the mentor is no. { $mentor_place } for the mentee, the mentee is no. { $mentee_place } for the mentor)
match-explain-mentee-choice = the mentee's choice (no. { $rank } on their list), matched for the mentor by profile (compatibility { $percent }%)
match-explain-mentor-choice = the mentor's choice (no. { $rank } on their list), matched for the mentee by profile (compatibility { $percent }%)
match-explain-profiles = matched by profiles (compatibility { $percent }%)
match-explain-interests = shared interests: { $items }
match-explain-request = the mentor can help with { $request }
match-explain-age = the mentee's age ({ $band }) suits the mentor
match-explain-format = both prefer: { $format }
match-explain-times = convenient time: { $items }
match-explain-group-line = { $mentee }: { $text }

match-unmatched-empty = the preference list is empty
match-unmatched-empty-completed = the preference list is empty and no suitable mentor was found by profile
match-unmatched-constraints = all chosen mentors are ruled out by the programme's rules: { $details }
match-unmatched-not-reciprocated = none of the mentors on their list chose them back
match-unmatched-full = all mentors who chose them back are full: their places went to mentees they ranked higher

match-constraint-programme = another programme
match-constraint-grade = the mentor is not in an older grade
match-constraint-grade-unknown = the grade is not given
match-constraint-self = the same person

match-error-prefix = error:
match-error-json = the file is not valid JSON: { $detail }
match-error-file = cannot read { $path }: { $detail }
match-error-top-type = expected a JSON object with “mentees” and “mentors”
match-error-missing-field = missing field “{ $field }” ({ $where })
match-error-unknown-field = unknown field “{ $field }” ({ $where })
match-error-list = field “{ $field }” must be a list
match-error-item-type = each “{ $role }” item must be an object, not { $value }
match-error-id = { $role }: id must be a non-empty string or an integer, not { $value }
match-error-duplicate-id = { $role }: id { $id } appears twice
match-error-field-type = field “{ $field }” has a wrong type: { $value }
match-error-not-bool = field “{ $field }” must be true or false
match-error-form = unknown form of mentoring “{ $form }”
match-error-completion-length = completion_length must be an integer of at least 0, not { $value }
match-error-capacity = mentor { $id }: capacity must be an integer of at least 1, not { $value }
match-error-preferences-type = { $role } { $id }: preferences must be a list of ids
match-error-unknown-preference = { $role } { $id }: unknown { $other } { $ref } in preferences
match-error-duplicate-preference = { $role } { $id }: { $ref } appears twice in preferences
match-error-codes = field “{ $field }” must be a list of codes (strings), not { $value }
match-error-grade = field “{ $field }”: the grade must be a number (e.g. 9 or “9A”), not { $value }
match-error-unknown-mentee = unknown mentee { $id }
match-error-usage = usage: python -m bot match INSTANCE.json [--locale ru|en] (or - for stdin)

## Who may be grouped: forms of mentoring, categories of mentees, preferred ages
match-explain-form = form “{ $form }”
match-constraint-form = none of the programme's forms of mentoring suits the mentee's category
match-constraint-group-category = the group would mix categories of mentees (school student, college student, young teacher) — these are different forms of mentoring
match-constraint-age = the mentee's age is outside the ages the mentor asked for in the profile
match-unmatched-ages = some mentors would fit by profile, but none of them asked for mentees of this age
match-unmatched-ages-chosen = the mentors on the list did not choose this mentee and asked for mentees of another age

## Explanations without repeats
match-quoted = “{ $item }”
