"""The charts as the dashboard asks for them: SVG from the same drawing as /report's PNG."""

from __future__ import annotations

import re

import pytest

from bot.infra.charts import PNG_SIGNATURE, figures_chart, has_figures
from bot.services.reporting.reports import RoundFigures
from bot.texts import t

# Two rounds: 28 of 30 answered, then 24 of 30; pairs by meetings: one with none, two
# with one, nine with two.
ROUNDS = [RoundFigures(1, 30, 28, 4.2, 3.8, 3.6), RoundFigures(2, 30, 24, 3.9, 3.9, 3.9)]
MEETINGS = {0: 1, 1: 2, 2: 9}


def test_the_same_chart_as_svg_names_its_panels() -> None:
    svg = figures_chart(ROUNDS, MEETINGS, "ru", image_format="svg")
    assert svg is not None and svg.startswith(b"<?xml")
    labels = re.findall(r"<!-- (.+?) -->", svg.decode())
    for key in ("chart-response", "chart-scores", "chart-meetings", "chart-round"):
        assert t(key, "ru") in labels, key
    png = figures_chart(ROUNDS, MEETINGS, "ru")
    assert png is not None and png.startswith(PNG_SIGNATURE)


def test_nothing_to_draw_and_an_unknown_format() -> None:
    assert not has_figures([], {})
    assert figures_chart([], {}, "ru", image_format="svg") is None
    assert has_figures([], {0: 1})  # a pair that has not met yet is a figure
    with pytest.raises(ValueError):
        figures_chart(ROUNDS, MEETINGS, "ru", image_format="gif")


def test_a_round_without_scores_says_so_instead_of_an_empty_legend() -> None:
    import warnings

    from bot.infra.charts import figures_chart
    from bot.services.reporting.reports import RoundFigures

    rounds = [
        RoundFigures(1, requested=4, answered=0, usefulness=None, comfort=None, progress=None)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns about a legend with nothing in it
        png = figures_chart(rounds, {0: 2}, "ru")
    assert png is not None and png[:8] == b"\x89PNG\r\n\x1a\n"
