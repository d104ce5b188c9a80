"""Enrolment: invitation codes, joining, consent, parents, questionnaires' profiles and the
registries."""
