"""Charts for /report (PNG), the documents (PNG) and the dashboard (SVG), drawn with
matplotlib: response rate and average scores per round, meetings per pair; for the
coordinator, the municipality's three indicators per organisation against their targets."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from bot.services.reporting.municipality import INDICATORS, TARGETS, MunicipalReport, short_name
from bot.services.reporting.reports import ProgrammeReport, RoundFigures
from bot.texts import t

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FORMATS = ("png", "svg")  # what `image_format` may be: the bot's photos, the dashboard's images


def report_chart(report: ProgrammeReport, locale: str, image_format: str = "png") -> bytes | None:
    """The chart of a programme's report, or None when there is nothing to draw yet."""
    return figures_chart(
        report.rounds, report.meetings_per_pair, locale, report.finished, image_format
    )


def has_figures(rounds: Sequence[RoundFigures], meetings_per_pair: Mapping[int, int]) -> bool:
    """Whether the report's chart has something to draw: a round, or a pair's meeting."""
    return bool(rounds) or sum(meetings_per_pair.values()) > 0


def figures_chart(
    rounds: Sequence[RoundFigures],
    meetings_per_pair: Mapping[int, int],
    locale: str,
    whole_cycle: bool = False,
    image_format: str = "png",
) -> bytes | None:
    """The report's chart from its figures (also those kept by «итоги года»); the meetings
    of a finished programme are those of its whole cycle."""
    if not has_figures(rounds, meetings_per_pair):
        return None
    has_rounds = bool(rounds)
    has_pairs = sum(meetings_per_pair.values()) > 0

    import matplotlib

    matplotlib.use("Agg")  # no display: render to memory only
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    panels = (2 if has_rounds else 0) + (1 if has_pairs else 0)
    figure = Figure(figsize=(4.2 * panels, 3.6), dpi=100, layout="constrained")
    axes = figure.subplots(1, panels, squeeze=False)[0]
    index = 0
    if has_rounds:
        numbers = [r.number for r in rounds]
        labels = [str(n) for n in numbers]
        rates = [r.response.percent or 0 for r in rounds]
        ax = axes[index]
        ax.bar(labels, rates, color="#4C8BF5")
        ax.set_ylim(0, 100)
        ax.set_title(t("chart-response", locale))
        ax.set_xlabel(t("chart-round", locale))
        index += 1
        ax = axes[index]
        for attr, colour in (
            ("usefulness", "#2E7D32"),
            ("comfort", "#F9A825"),
            ("progress", "#C62828"),
        ):
            points = [(str(r.number), getattr(r, attr)) for r in rounds]
            xs = [x for x, y in points if y is not None]
            ys = [y for _, y in points if y is not None]
            if xs:
                ax.plot(xs, ys, marker="o", color=colour, label=t(f"chart-{attr}", locale))
        ax.set_ylim(1, 5)
        ax.set_title(t("chart-scores", locale))
        ax.set_xlabel(t("chart-round", locale))
        if ax.get_lines():
            ax.legend(loc="lower left", fontsize="small")
        else:  # rounds sent, no scores back yet: say so rather than draw an empty frame
            ax.text(0.5, 0.5, t("chart-no-scores", locale), ha="center", va="center",
                    transform=ax.transAxes, color="#666666")  # fmt: skip
        index += 1
    if has_pairs:
        ax = axes[index]
        buckets = ["0", "1", "2", t("chart-meetings-more", locale)]
        values = [meetings_per_pair.get(i, 0) for i in range(4)]
        ax.bar(buckets, values, color="#7E57C2")
        ax.set_title(t("chart-meetings-cycle" if whole_cycle else "chart-meetings", locale))
        ax.set_xlabel(t("chart-meetings-x", locale))
        ax.set_ylabel(t("chart-meetings-y", locale))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return _image(figure, image_format)


NAME_CHARS = 34  # an organisation's name on the chart's axis


def has_indicators(report: MunicipalReport) -> bool:
    """Whether some organisation has an indicator's figure to draw."""
    return any(
        r.indicators[key].percent is not None for r in report.organisations for key in INDICATORS
    )


def municipal_chart(
    report: MunicipalReport, locale: str, image_format: str = "png"
) -> bytes | None:
    """The three indicators of each organisation (and the total) as bars against their
    targets (a dashed line); None when no organisation has a figure to draw."""
    if not has_indicators(report):
        return None
    rows = [*report.organisations]
    if len(rows) > 1:
        rows.append(report.total)

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    names = [
        short_name(r.name, NAME_CHARS)
        if r.organisation_id is not None
        else t("chart-municipal-total", locale)
        for r in rows
    ]
    height = 1.2 + 0.45 * len(rows)
    figure = Figure(figsize=(12.6, height), dpi=100, layout="constrained")
    axes = figure.subplots(1, len(INDICATORS), sharey=True, squeeze=False)[0]
    positions = list(range(len(rows)))[::-1]  # the first organisation on top
    for ax, key in zip(axes, INDICATORS, strict=True):
        target = TARGETS[key]
        values = [r.indicators[key].percent for r in rows]
        colours = [
            "#BDBDBD" if v is None else ("#2E7D32" if v >= target else "#EF6C00") for v in values
        ]
        ax.barh(positions, [min(v or 0, 100) for v in values], color=colours)
        for y, value in zip(positions, values, strict=True):
            label = f"{value}%" if value is not None else t("chart-municipal-no-data", locale)
            ax.text(min(value or 0, 100) + 1.5, y, label, va="center", fontsize="small")
        ax.axvline(target, color="#424242", linestyle="--", linewidth=1)
        ax.set_xlim(0, 115)
        ax.set_title(t(f"chart-municipal-{key}", locale, target=target), fontsize="medium")
        ax.set_xlabel("%")
    axes[0].set_yticks(positions, names)
    return _image(figure, image_format)


def _image(figure: Any, image_format: str) -> bytes:
    """The figure as PNG or SVG bytes."""
    if image_format not in FORMATS:
        raise ValueError(image_format)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=image_format)
    return buffer.getvalue()
