"""Inline keyboards and their callback data factories."""
