"""Screens of the matching: the review of pairs, preference rounds, the picker."""
