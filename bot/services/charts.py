"""PNG charts for /report: response rate and average scores per round, meetings per pair."""

from __future__ import annotations

import io

from bot.services.reports import ProgrammeReport
from bot.texts import t

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def report_chart(report: ProgrammeReport, locale: str) -> bytes | None:
    """The chart of a programme's report, or None when there is nothing to draw yet."""
    has_rounds = bool(report.rounds)
    has_pairs = sum(report.meetings_per_pair.values()) > 0
    if not has_rounds and not has_pairs:
        return None

    import matplotlib

    matplotlib.use("Agg")  # no display: render to memory only
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    panels = (2 if has_rounds else 0) + (1 if has_pairs else 0)
    figure = Figure(figsize=(4.2 * panels, 3.6), dpi=100, layout="constrained")
    axes = figure.subplots(1, panels, squeeze=False)[0]
    index = 0
    if has_rounds:
        numbers = [r.number for r in report.rounds]
        labels = [str(n) for n in numbers]
        rates = [r.response.percent or 0 for r in report.rounds]
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
            points = [(str(r.number), getattr(r, attr)) for r in report.rounds]
            xs = [x for x, y in points if y is not None]
            ys = [y for _, y in points if y is not None]
            if xs:
                ax.plot(xs, ys, marker="o", color=colour, label=t(f"chart-{attr}", locale))
        ax.set_ylim(1, 5)
        ax.set_title(t("chart-scores", locale))
        ax.set_xlabel(t("chart-round", locale))
        ax.legend(loc="lower left", fontsize="small")
        index += 1
    if has_pairs:
        ax = axes[index]
        buckets = ["0", "1", "2", t("chart-meetings-more", locale)]
        values = [report.meetings_per_pair.get(i, 0) for i in range(4)]
        ax.bar(buckets, values, color="#7E57C2")
        ax.set_title(t("chart-meetings", locale))
        ax.set_xlabel(t("chart-meetings-x", locale))
        ax.set_ylabel(t("chart-meetings-y", locale))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
