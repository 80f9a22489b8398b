"""The internal record of processing activities is written beside the site, per version."""

from __future__ import annotations

import datetime as dt

from generator.releases import load_log, make_release
from generator.records import write_records
from tests import factories as f


def test_records_per_version_and_draft_outside_the_site(tmp_path):
    content = f.write_content(tmp_path / "content")
    make_release(content, effective=dt.date(2025, 1, 1), announced=dt.date(2024, 12, 1))
    target = tmp_path / "records"
    log = load_log(content)
    write_records(f.notice(), log, target)
    assert (target / "v1/ropa.nb.csv").read_text(encoding="utf-8").splitlines()[0].startswith("Formål,Behandlingsgrunnlag")
    assert "Record of processing activities" in (target / "v1/ropa.en.md").read_text(encoding="utf-8")
    assert (target / "draft/ropa.en.csv").exists()
    # a released version's records are rewritten only when its frozen source changes
    (target / "v1/ropa.en.csv").write_text("kept", encoding="utf-8")
    write_records(f.notice(), log, target)
    assert (target / "v1/ropa.en.csv").read_text(encoding="utf-8") == "kept"
    assert (target / "draft/ropa.en.csv").read_text(encoding="utf-8") != "kept"
