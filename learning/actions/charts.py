"""Geometry of the impact page's SVG bar charts, drawn on the server from the API's figures.

The templates only place what is computed here, so a chart cannot show a number the API does
not; each bar carries its figure in data-value for anyone, or any test, to check.
"""

import math

WIDTH = 360
PLEDGED_FILL = "#1b7340"
REALISED_FILL = "#7cc68f"
LABEL_ROOM = 96  # room right of the longest bar for its value


def format_number(value: float, language: str) -> str:
    """Belgian usage: 1.234,5 in Dutch, 1 234,5 in French (a no-break space), 1,234.5 in
    English; whole numbers from 100 up (and zero), one decimal below."""
    text = f"{value:,.0f}" if abs(value) >= 100 or value == 0 else f"{value:,.1f}"
    if language == "en":
        return text
    thousands = "." if language == "nl" else "\u00a0"
    return text.replace(",", "\0").replace(".", ",").replace("\0", thousands)


def category_chart(entries: list[dict], *, labels: dict, language: str) -> dict:
    """Two horizontal bars per category, pledged and realised, on one scale."""
    group_height, bar_height = 52, 12
    largest = max(
        [e["pledged_kg_co2e_per_year"] for e in entries] + [e["realised_kg_co2e"] for e in entries],
        default=0,
    )
    scale = (WIDTH - LABEL_ROOM) / largest if largest else 0
    groups = []
    for index, entry in enumerate(entries):
        top = index * group_height
        bars = []
        for offset, measure, field, fill in (
            (18, "pledged", "pledged_kg_co2e_per_year", PLEDGED_FILL),
            (32, "realised", "realised_kg_co2e", REALISED_FILL),
        ):
            value = entry[field]
            length = value * scale
            bars.append(
                {
                    "measure": measure,
                    "x": 0,
                    "y": top + offset,
                    "width": round(length, 2),
                    "height": bar_height,
                    "fill": fill,
                    "value": value,
                    "text": format_number(value, language),
                    "text_x": round(length + 4, 2),
                    "text_y": top + offset + bar_height - 2,
                }
            )
        groups.append(
            {
                "key": entry["category"],
                "label": labels[entry["category"]],
                "label_y": top + 12,
                "bars": bars,
            }
        )
    height = max(len(entries), 1) * group_height
    return {"width": WIDTH, "height": height, "groups": groups}


def month_chart(entries: list[dict], *, labels: dict, language: str) -> dict:
    """One column per month of the kg CO2e realised in it; every few months a label."""
    height, top, bottom = 200, 18, 24
    plot = height - top - bottom
    largest = max((e["realised_kg_co2e"] for e in entries), default=0)
    slot = WIDTH / max(len(entries), 1)
    label_every = math.ceil(len(entries) / 6) if entries else 1
    columns = []
    for index, entry in enumerate(entries):
        value = entry["realised_kg_co2e"]
        bar = plot * value / largest if largest else 0
        x = index * slot + slot * 0.15
        columns.append(
            {
                "key": entry["month"],
                "label": labels.get(entry["month"], entry["month"]),
                "show_label": index % label_every == 0,
                "show_value": len(entries) <= 8,
                "x": round(x, 2),
                "y": round(top + plot - bar, 2),
                "width": round(slot * 0.7, 2),
                "height": round(bar, 2),
                "center": round(x + slot * 0.35, 2),
                "value": value,
                "text": format_number(value, language),
                "text_y": round(top + plot - bar - 4, 2),
            }
        )
    return {
        "width": WIDTH,
        "height": height,
        "baseline": top + plot,
        "label_y": height - 8,
        "fill": REALISED_FILL,
        "columns": columns,
    }
