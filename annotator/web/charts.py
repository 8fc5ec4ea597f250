"""Geometry for the dashboard's server-side SVG charts, from the figures: plain numbers the
templates place. Every chart also writes its numbers, so none depends on colour alone."""

CELL = 56  # heatmap cell, px
BAR_WIDTH = 320  # longest bar, px
PLOT = {"width": 520, "height": 180, "left": 44, "top": 12}


def kappa_grid(figures: dict, field: str) -> dict:
    """Pairwise kappas of one field as a square grid of annotators (None where a pair shares
    no passage), with a grey level per cell: darker for higher agreement."""
    pairs = [pair for pair in figures["pairs"] if pair["field"] == field]
    names = sorted({name for pair in pairs for name in pair["annotators"]})
    value = {}
    for pair in pairs:
        first, second = pair["annotators"]
        value[(first, second)] = value[(second, first)] = pair["kappa"]
    rows = [
        [
            {
                "x": column * CELL,
                "y": row * CELL,
                "kappa": value.get((a, b)) if a != b else None,
                "shade": _shade(value.get((a, b))),
                "diagonal": a == b,
                "pair": f"{a} and {b}",
            }
            for column, b in enumerate(names)
        ]
        for row, a in enumerate(names)
    ]
    return {"names": names, "rows": rows, "size": len(names) * CELL, "cell": CELL}


# The darkest grey a cell gets: dark text on it still has a contrast of 5:1 (WCAG asks 4.5:1).
DARKEST = 58


def _shade(kappa: float | None) -> int:
    """Lightness DARKEST-95%: kappa 1 darkest, 0 or below lightest."""
    if kappa is None:
        return 97
    return round(95 - (95 - DARKEST) * max(0.0, min(1.0, kappa)))


def bars(categories: list[str], counts: list[int]) -> dict:
    """Horizontal bars, one per category, longest = BAR_WIDTH."""
    top = max(counts, default=0) or 1
    total = sum(counts) or 1
    return {
        "rows": [
            {
                "label": label,
                "count": count,
                "width": round(BAR_WIDTH * count / top),
                "y": index * 26,
                "share": 100 * count / total,
            }
            for index, (label, count) in enumerate(zip(categories, counts, strict=True))
        ],
        "height": 26 * len(categories),
        "width": BAR_WIDTH,
    }


def week_lines(figures: dict) -> dict:
    """Alpha per week for every field: one polyline per field, points labelled with values."""
    weeks = figures["weeks"]
    values = [entry["fields"][name]["alpha"] for entry in weeks for name in entry["fields"]]
    low = min([0.0] + [v for v in values if v is not None])
    step = PLOT["width"] / max(len(weeks) - 1, 1)

    def y(value):
        return PLOT["top"] + (1 - (value - low) / (1 - low or 1)) * PLOT["height"]

    series = []
    for name in figures["fields"] if weeks else []:
        points = [
            {
                "x": PLOT["left"] + index * step,
                "y": y(entry["fields"][name]["alpha"]),
                "alpha": entry["fields"][name]["alpha"],
                "week": entry["week"],
            }
            for index, entry in enumerate(weeks)
            if entry["fields"][name]["alpha"] is not None
        ]
        series.append({"field": name, "points": points, "path": " ".join(f"{p['x']:.1f},{p['y']:.1f}" for p in points)})
    ticks = [{"value": value, "y": y(value)} for value in sorted({low, 0.0, 0.5, 1.0}) if value >= low]
    return {
        "series": series,
        "weeks": [{"x": PLOT["left"] + index * step, "week": entry["week"]} for index, entry in enumerate(weeks)],
        "ticks": ticks,
        **PLOT,
        "bottom": PLOT["top"] + PLOT["height"],
    }


# Confusion cells are shaded by a class (.shade-0 lightest to .shade-8 = DARKEST, in
# annotator.css), not a style attribute: the Content-Security-Policy allows no inline style.
SHADE_STEPS = 8


def confusion_shades(matrix: list[list[int]]) -> list[list[dict]]:
    """Each count with a grey level relative to its row (the share of that gold value), as a
    step from 0 (none of the row) to SHADE_STEPS (all of it)."""
    shaded = []
    for row in matrix:
        total = sum(row) or 1
        shaded.append(
            [
                {"count": count, "share": count / total, "shade_step": round(SHADE_STEPS * count / total)}
                for count in row
            ]
        )
    return shaded
