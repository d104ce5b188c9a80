"""Screens of the completion: /finish and the «Лучшая пара» award."""
