## The mentors' community chat: /group, invitations, join requests, the weekly digest.

community-link-name = Programme mentors

community-right-can-invite-users = • "Invite users via link" — to accept mentors' join requests
community-right-can-restrict-members = • "Ban users" — to remove those who have left the programme

community-bound =
    Done! The group "{ $title }" is now the mentors' chat of the programme "{ $programme }".

    I will send the join link to every approved mentor (invitations sent so far: { $invites }) and accept their requests myself. Others will be declined, and those who leave the programme will be removed from the chat.
    Every Monday at 10:00 I will post a short summary of the week — no personal data, only figures.
community-missing-rights =
    To run the mentors' chat I need these administrator rights in the group "{ $title }":
    { $rights }

    Open the group settings → Administrators → me, switch these rights on and send /group again. I have not changed anything yet.
community-taken =
    The group "{ $title }" is already linked to another programme that you do not manage. I have not changed anything. To hand the group over, ask that programme's curator.
community-unbound =
    I was removed from the group "{ $title }", so it is no longer the mentors' chat of the programme "{ $programme }". To bring it back, add me as an administrator and send /group in the group.

community-added-need-rights =
    Thank you for adding me to the group! To make it the mentors' chat I need administrator rights:
    { $rights }

    Once I have them, send /group in the group.
community-added-ready =
    Thank you for adding me to the group! To make it the mentors' chat of the programme "{ $programme }", send /group in the group.

community-invite =
    The mentors of the programme "{ $programme }" have their own chat: the curator's announcements, a weekly summary and colleagues to ask for advice.

    Press the button below and send a join request — I will accept it at once.
community-invite-button = Join the mentors' chat

community-join-declined =
    Hello! You asked to join the mentors' chat of the programme "{ $programme }". The chat is only for mentors the curator has already approved, so I have declined the request for now.

    If you are a mentor waiting for approval, please write to the programme's curator: as soon as you are approved, I will send you the link.

community-digest =
    <b>The week in the programme "{ $programme }"</b>

    Mentoring pairs at work: { $pairs }
    Meetings last week: { $held }
    Meetings planned this week: { $planned }
    Mentors in the registry: { $mentors }
community-digest-group-meeting = 📅 Group meeting soon: { $date } at { $time }, { $place }
community-digest-closing = Have a good week! If you need help or advice, write to the curator.

## MAX: no join requests — the bot adds approved mentors and removes anyone else.
community-right-add-remove-members = • "Add and remove members" — to add approved mentors and remove those who have left the programme
community-bound-added =
    Done! The group "{ $title }" is now the mentors' chat of the programme "{ $programme }".

    I add approved mentors to the chat myself (added so far: { $invites }), new ones as soon as they are approved. Those who leave the programme, and anyone added by hand without approval, I will remove from the chat and let you know.
    Every Monday at 10:00 I will post a short summary of the week — no personal data, only figures.
community-added-to-chat =
    The mentors of the programme "{ $programme }" have their own chat, "{ $title }". I have added you to it: the curator's announcements, a weekly summary and colleagues to ask for advice.

    The chat is now in your list of chats. If you do not need it, you can simply leave.
community-stranger-removed =
    Someone who is not an approved mentor of the programme "{ $programme }" was added to the mentors' chat "{ $title }": { $name }. I have removed this account from the chat.

    If this is a mentor, approve them in the registry (/mentors) and I will add them to the chat myself.
community-add-refused =
    The mentors of the programme "{ $programme }" have their own chat, "{ $title }", but I could not add you to it: your MAX privacy settings do not let you be added to chats.

    To join the chat, write to the programme's curator — they will add you themselves.
