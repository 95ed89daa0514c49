"""The weekly digest's chart: the cohort's funnel and its last six weeks, as a PNG.

matplotlib's object-oriented API on the Agg canvas: no window, no global pyplot state, so two
threads can draw at once. Imported on first use: the app starts without it.
"""

from __future__ import annotations

import io

from bot.domain.cohort_digest import DigestNumbers
from bot.domain.cohort_weekly import Measure
from bot.domain.window import MONTHS

FUNNEL = ("Contacts", "Requests", "Replies", "Interviews", "Referrals")
LINES = (Measure.REQUESTS, Measure.REPLIES, Measure.INTERVIEWS)


def digest_chart(numbers: DigestNumbers, title: str) -> bytes:
    """A 900×360 PNG: the funnel (all-time counts) beside the last weeks' activity."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 3.6), dpi=100)
    FigureCanvasAgg(figure)
    funnel_axes, weeks_axes = figure.subplots(1, 2)
    funnel = numbers.funnel
    values = (funnel.contacts, funnel.requests, funnel.replies, funnel.interviews, funnel.referrals)
    bars = funnel_axes.barh(list(reversed(FUNNEL)), list(reversed(values)), color="#1d4e89")
    funnel_axes.bar_label(bars, padding=3, fontsize=8)
    funnel_axes.set_title("The cohort's funnel", fontsize=10)
    funnel_axes.margins(x=0.15)
    labels = [f"{week.day} {MONTHS[week.month - 1]}" for week, _ in numbers.chart]
    for measure in LINES:
        weeks_axes.plot(
            labels, [counts.of(measure) for _, counts in numbers.chart], marker="o", label=measure.label
        )
    weeks_axes.set_title("Each week", fontsize=10)
    weeks_axes.legend(fontsize=8, frameon=False)
    weeks_axes.tick_params(axis="x", labelsize=8)
    weeks_axes.set_ylim(bottom=0)
    figure.suptitle(title, fontsize=11, parse_math=False)  # a "$" in a cohort's name is text
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
