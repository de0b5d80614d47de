import gc
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import event

from schoolhr.cli import main
from schoolhr.errors import ExitCode, UserError
from schoolhr.reports.csvio import read_csv
from schoolhr.reports.xlsx import read_xlsx
from schoolhr.rewards import exports, service
from schoolhr.rewards.certificate import Certificate, certificate_for, render_certificate
from schoolhr.store.database import Store, update_site
from schoolhr.text import roc_date


@pytest.fixture
def approved(rewards_store: Store, people: dict[str, int]) -> dict[str, int]:
    """2025: 陳怡君 10 points (嘉獎一次), 黃堃 8 x1.5 + 5 x1.5 (嘉獎一次), 林𡒊 a claim only."""
    with rewards_store.write() as session:
        ids = [
            service.add_entry(
                session, people["陳怡君"], "no-faults-year", date(2025, 12, 1), "無違失"
            ).id,
            service.add_entry(
                session, people["黃堃"], "outstanding-case", date(2025, 4, 1), "=1+1"
            ).id,
            service.add_entry(
                session, people["黃堃"], "peer-help", date(2025, 4, 2), "協助同仁"
            ).id,
        ]
        service.add_entry(session, people["林𡒊"], "peer-help", date(2025, 5, 1), "待核定")
        service.approve(session, ids, "查核屬實")
    return people


def test_the_xlsx_report_has_proposals_entries_and_the_rules_note(
    rewards_store: Store, approved: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "積點.xlsx"
    with rewards_store.read() as session:
        assert exports.write_report_xlsx(session, 2025, target) == 4
    sheets = {table.sheet: table for table in read_xlsx(target)}
    assert list(sheets) == ["建議名單", "積點紀錄", "各校統計", "說明"]
    proposals = sheets["建議名單"]
    assert [row[0] for row in proposals.rows] == ["黃堃", "陳怡君"]  # by school, then name
    assert proposals.rows[0][6] == "10.5" and proposals.rows[0][10] == "嘉獎一次"
    entries = sheets["積點紀錄"]
    assert "=1+1" in [row[8] for row in entries.rows]  # text, not a formula
    assert "待核定" in [row[7] for row in entries.rows]
    assert any("並非法規規定" in row[1] for row in sheets["說明"].rows)
    assert ["年度", "民國114年度"] in [list(row[:2]) for row in sheets["說明"].rows]


def test_the_webhr_keying_csv(
    rewards_store: Store, approved: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "獎懲.csv"
    with rewards_store.write() as session:
        service.adjust_proposal(session, 2025, approved["黃堃"], "嘉獎二次", "全縣協助")
        assert exports.write_webhr_csv(session, 2025, target) == 2
    table = read_csv(target)
    assert tuple(table.headers) == exports.WEBHR_COLUMNS
    second, first = table.rows
    assert first[:4] == ["陳怡君", "宜蘭縣立大同國民小學", "嘉獎", "1"]
    assert first[4] == "民國114年度兼任人事業務獎勵積點 10 點（兼任人事業務全年無違失）"
    assert first[6] == "114" and first[7] == "依規則"
    assert second[2:4] == ["嘉獎", "2"] and second[7] == "縣市調整：全縣協助"
    assert "**not** WebHR's import format" in (exports.__doc__ or "")


def test_the_certificate_shows_the_name_and_the_roc_date(
    rewards_store: Store, approved: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "獎狀.pdf"
    issued = date(2026, 1, 15)
    with rewards_store.read() as session:
        certificate = certificate_for(session, approved["陳怡君"], 2025, "宜蘭縣政府人事處", issued)
    result = render_certificate(certificate, target)
    reader = PdfReader(target)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    text = reader.pages[0].extract_text().replace(" ", "").replace("\n", "")
    assert "陳怡君" in text and roc_date(issued) in text and "中華民國115年1月15日" in text
    assert "獎" in text and "宜蘭縣立大同國民小學" in text and "嘉獎一次" in text
    assert "宜蘭縣政府人事處" in text
    assert result.missing_characters == []


def test_a_rare_character_in_a_name_prints(tmp_path: Path) -> None:
    target = tmp_path / "c.pdf"
    result = render_certificate(
        Certificate("林𡒊", "和平國小", "民國114年度表現", "嘉獎一次", "人事處", date(2025, 1, 2)),
        target,
    )
    assert result.missing_characters == []
    text = PdfReader(target).pages[0].extract_text()
    assert "林𡒊" in text.replace(" ", "").replace("\n", "")


def test_no_certificate_below_the_threshold_says_the_threshold_and_the_points(
    rewards_store: Store, people: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with rewards_store.write() as session:
        entry = service.add_entry(session, people["陳怡君"], "peer-help", date(2025, 5, 1), "協助")
        service.approve(session, [entry.id], "查核屬實")
        points = service.proposal_of(session, 2025, people["陳怡君"]).weighted
        lowest = min(t.min_points for t in service.current_rules(session).thresholds)
    assert 0 < points < lowest
    with rewards_store.read() as session, pytest.raises(UserError) as refused:
        certificate_for(session, people["陳怡君"], 2025, "人事處")
    message = refused.value.message
    assert refused.value.exit_code == ExitCode.REFUSED == 11
    assert "陳怡君民國114年度" in message
    assert f"的積點為 {service.points_text(points)} 點" in message
    assert f"未達敘獎門檻 {service.points_text(lowest)} 點" in message
    target = tmp_path / "c.pdf"
    args = ["rewards", "certificate", str(people["陳怡君"]), "--year", "2025", "-o", str(target)]
    assert main(args) == 11
    assert message in capsys.readouterr().err and not target.exists()
    with rewards_store.write() as session:  # the county's 不予敘獎 is refused with its reason
        service.adjust_proposal(session, 2025, people["陳怡君"], "不予敘獎", "已另案敘獎")
    with rewards_store.read() as session, pytest.raises(UserError, match="不予敘獎（已另案敘獎）"):
        certificate_for(session, people["陳怡君"], 2025, "人事處")


def test_no_certificate_without_approved_points(
    rewards_store: Store, approved: dict[str, int]
) -> None:
    with rewards_store.read() as session, pytest.raises(UserError, match="沒有已核定的積點"):
        certificate_for(session, approved["林𡒊"], 2025, "人事處")


def test_the_command_line(
    rewards_store: Store, people: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    person = str(people["黃堃"])
    args = ["rewards", "add", person, "--kind", "outstanding-case", "--date", "2025-03-01"]
    assert main([*args, "--reason", "協助報送"]) == ExitCode.OK
    assert main([*args, "--reason", "x", "--points", "-1"]) != ExitCode.OK
    assert "積點須為正整數" in capsys.readouterr().err
    assert main(["rewards", "approve", "1", "--reason", "ok"]) != ExitCode.OK
    assert "只有縣市人事處" in capsys.readouterr().err
    update_site(rewards_store, name="宜蘭縣政府人事處", role="county")
    assert main(["rewards", "approve", "1", "--reason", "查核屬實"]) == ExitCode.OK
    assert main(["rewards", "approve", "1", "--reason", "查核屬實"]) == ExitCode.OK
    assert "1 筆原已核定，未變更" in capsys.readouterr().out
    assert main(["rewards", "summary", "--year", "2025", "--json"]) == ExitCode.OK
    output = json.loads(capsys.readouterr().out)
    assert output["approved_total"] == 5 and output["proposals"][0]["weighted"] == "7.5"
    assert output["proposals"][0]["final"] is None
    assert main(["rewards", "report", "--year", "2025", "-o", str(tmp_path / "r.xlsx")]) == 0
    assert main(["rewards", "report", "--year", "2025", "-o", str(tmp_path / "r.csv")]) == 0
    assert main(["rewards", "report", "--year", "2025", "-o", str(tmp_path / "r.pdf")]) != 0
    cert = tmp_path / "c.pdf"
    certificate = ["rewards", "certificate", person, "--year", "2025", "-o", str(cert)]
    assert main(certificate) == ExitCode.REFUSED  # 7.5 points: below the lowest threshold
    assert "的積點為 7.5 點" in capsys.readouterr().err and not cert.exists()
    adjust = ["rewards", "adjust", person, "--year", "2025", "--proposal", "嘉獎一次"]
    assert main([*adjust, "--reason", "協助全縣報送"]) == ExitCode.OK
    assert main(certificate) == ExitCode.OK  # the county's adjustment is an award
    assert "黃堃" in PdfReader(cert).pages[0].extract_text()
    assert main(["rewards", "reverse", "1", "--reason", "誤植"]) == ExitCode.OK
    assert main(["rewards", "history", person]) == ExitCode.OK
    assert "累計 0" in capsys.readouterr().out.splitlines()[-1]


def test_the_streamed_xlsx_report_reads_back_with_its_layout(
    rewards_store: Store, approved: dict[str, int], tmp_path: Path
) -> None:
    """The report's rows are streamed as markup (issue 22): openpyxl itself reads back the
    headers, the rows, a formula-looking reason as text, the bold frozen header, the column
    widths and the date format."""
    target = tmp_path / "積點.xlsx"
    with rewards_store.read() as session:
        exports.write_report_xlsx(session, 2025, target)
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == ["建議名單", "積點紀錄", "各校統計", "說明"]
    entries = workbook["積點紀錄"]
    header = [cell.value for cell in entries[1]]
    assert header[:6] == ["編號", "日期", "姓名", "服務學校", "類別", "積點"]
    assert header[-1] == "UUID"
    assert all(cell.font.b for cell in entries[1])
    assert entries.freeze_panes == "A2"
    assert entries.column_dimensions["B"].width == 12
    assert entries.column_dimensions["I"].width == 40
    rows = {row[0].value: row for row in entries.iter_rows(min_row=2)}
    formula = next(row for row in rows.values() if row[8].value == "=1+1")
    assert formula[8].data_type == "s"  # text, never a live formula
    assert formula[1].value == datetime(2025, 4, 1) and formula[1].number_format == "yyyy-mm-dd"
    assert not formula[1].font.b
    assert formula[2].value == "黃堃" and formula[5].value == 5 and formula[7].value == "已核定"
    assert formula[12].value == datetime.combine(date.today(), time())  # decided today
    proposals = workbook["建議名單"]
    assert proposals.freeze_panes == "A2" and proposals.column_dimensions["L"].width == 40
    assert [proposals["A2"].value, proposals["G2"].value] == ["黃堃", 10.5]
    about = workbook["說明"]
    assert about["A2"].value == "年度" and about["B2"].value == "民國114年度"
    assert about["B5"].value == roc_date(date.today())  # 製表日期 in 民國, as text
    assert about.column_dimensions["B"].width == 80


def test_the_xlsx_report_reads_the_ledger_once(
    rewards_store: Store, approved: dict[str, int], tmp_path: Path
) -> None:
    """One query lists the year's entries; the summary and the proposals come from that list,
    and give what their own queries give."""
    ledger_reads: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM reward_entry JOIN contact" in statement:
            ledger_reads.append(statement)

    with rewards_store.read() as session:
        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", count)
        try:
            exports.write_report_xlsx(session, 2025, tmp_path / "r.xlsx")
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert len(ledger_reads) == 1
        for school in (None, "宜蘭縣立南澳國民中學"):
            listed = service.list_entries(session, year=2025, school=school)
            assert service.year_summary(session, 2025, school, listed=listed) == (
                service.year_summary(session, 2025, school)
            )
            assert service.proposals(session, 2025, school, listed=listed) == (
                service.proposals(session, 2025, school)
            )


@pytest.mark.parametrize("enabled", [True, False])
def test_the_xlsx_report_pauses_the_collector_and_leaves_it_as_it_was(
    rewards_store: Store,
    approved: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    enabled: bool,
) -> None:
    """The cyclic garbage collector is paused while the report is made (issue 22: each
    collection walked the year's entries again), and afterwards is as it was: a collector the
    window's jobs paused stays paused, also when the report fails."""
    seen: list[bool] = []
    write = exports.write_xlsx

    def watched(*args: Any, **kwargs: Any) -> None:
        seen.append(gc.isenabled())
        write(*args, **kwargs)

    monkeypatch.setattr(exports, "write_xlsx", watched)
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with rewards_store.read() as session:
            assert exports.write_report_xlsx(session, 2025, tmp_path / "r.xlsx") == 4
            assert seen == [False] and gc.isenabled() is enabled
            with pytest.raises(UserError):
                exports.write_report_xlsx(session, 2025, tmp_path / "missing" / "r.xlsx")
            assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
