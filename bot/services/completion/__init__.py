"""Completion: the final survey, the «Лучшая пара» award, the next year's base."""
