"""Screens of privacy: /forget_me."""
