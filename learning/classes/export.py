"""The class progress matrix as CSV that Excel and LibreOffice open cleanly."""

import io

from learning.brussels import TIMEZONE
from learning.classes.models import ASSIGNMENT_STATES, DONE
from learning.csvsafe import SafeWriter

DELIMITERS = {"comma": ",", "semicolon": ";"}


def _local(moment) -> str:
    """Brussels wall-clock time, in a form spreadsheets read as a date and time."""
    return moment.astimezone(TIMEZONE).strftime("%Y-%m-%d %H:%M") if moment else ""


def _label(column: dict) -> str:
    title = column["course_title"]
    if column["module_title"]:
        title = f"{title} / {column['module_title']}"
    return f"{title} (due {_local(column['due_at'])})"


def _state(cell: dict) -> str:
    words = cell["state"].replace("_", " ")
    return f"{words} (late)" if cell["state"] == DONE and cell["late"] else words


def progress_csv(matrix: dict, *, delimiter: str = "comma") -> bytes:
    """One row per learner and three columns per assignment (percent, state, completed),
    then summary rows; UTF-8 with a byte order mark, so Excel reads the accents right."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer, delimiter=DELIMITERS[delimiter])
    header = ["learner"]
    for column in matrix["assignments"]:
        label = _label(column)
        header += [f"{label}: percent", f"{label}: state", f"{label}: completed"]
    rows = [header]
    for learner in matrix["learners"]:
        row = [learner["display_name"]]
        for cell in learner["cells"]:
            row += [cell["percent"], _state(cell), _local(cell["completed_at"])]
        rows.append(row)
    columns = matrix["assignments"]
    rows.append(["summary: average percent"])
    for column in columns:
        rows[-1] += [column["summary"]["average_percent"], "", ""]
    for state in ASSIGNMENT_STATES:
        rows.append([f"summary: {state.replace('_', ' ')}"])
        for column in columns:
            rows[-1] += ["", column["summary"][state], ""]
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
