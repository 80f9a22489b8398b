"""Property: whatever an editor does to a valid notice, check either accepts it or reports located
problems, one line each; it never raises anything else (no traceback reaches the user)."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.check import check_all
from generator.errors import NoticeError

VALID = (Path(__file__).parent / "fixtures/minimal/notice.yaml").read_text(encoding="utf-8")
LINE = re.compile(r"^.+:\d+:\d+: (warning: )?\S.*$")
NASTY = ["", " ", "\t", ":", "- ", "{", "}", "[", "]", "&a ", "*a", "!!python/object:os.system", "'", '"', "#", "no", "~", "\x00", "ø", "P5Y", "2024-02-30", "|", ">"]


@st.composite
def edited(draw):
    lines = VALID.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "truncate", "indent", "dedent"]))
        if action == "delete" and len(lines) > 1:
            lines.pop(i)
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "insert":
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + draw(st.sampled_from(NASTY) | st.text(max_size=5)) + lines[i][pos:]
        elif action == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif action == "indent":
            lines[i] = "  " + lines[i]
        else:
            lines[i] = lines[i].lstrip()
    return "\n".join(lines) + "\n"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=edited())
def test_any_edit_is_accepted_or_reported_as_located_lines(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("prop")
    (folder / "notice.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        problems = check_all(folder)
    except NoticeError as exc:  # usage-level errors are reported as one line by the CLI
        assert "\n" not in str(exc)
        return
    for problem in problems:
        line = str(problem)
        assert "\n" not in line and LINE.match(line), line
        assert problem.line >= 1 and problem.column >= 1
