"""``schoolhr rewards …``: the reward points (獎勵積點) — claims, the county's decisions, the
year's totals and proposals, the report and the certificate."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from schoolhr.cli.common import (
    Parser,
    Subcommands,
    calendar_year,
    check_output_folder,
    day,
    points,
    print_json,
    profile,
    record_id,
)
from schoolhr.errors import ExitCode, UserError, UserFileError
from schoolhr.paths import DataPaths
from schoolhr.text import roc_date


def register(sub: Subcommands) -> None:
    actions = sub.group("rewards", "獎勵積點：登錄、核定、年度統計、報表、獎狀")
    adding = actions.command("add", "登錄一筆積點（待縣市人事處核定）", func=add)
    adding.add_argument("contact_id", type=record_id, metavar="人員編號", help="人員（聯絡人）編號")
    adding.add_argument(
        "--kind", required=True, metavar="類別", help="積點類別，例如 outstanding-case"
    )
    adding.add_argument(
        "--date", required=True, type=day, metavar="日期", help="日期，例如 115/6/15 或 2026-06-15"
    )
    adding.add_argument("--points", type=points, metavar="積點", help="積點（不填則依規則）")
    adding.add_argument("--reason", required=True, metavar="事由", help="事由")
    adding.add_argument("--evidence", default="", metavar="佐證", help="佐證（文號或說明）")
    adding.json_option()
    for action, verb in (("approve", "核定"), ("reject", "退回")):
        deciding = actions.command(
            action, f"{verb}積點紀錄（縣市人事處；可一次多筆）", func=decide, action=action
        )
        deciding.add_argument(
            "entry_ids", type=record_id, nargs="+", metavar="紀錄編號", help="紀錄編號"
        )
        _reason_option(deciding, f"{verb}理由")
    reversing = actions.command("reverse", "沖銷一筆已核定的紀錄（更正）", func=reverse)
    reversing.add_argument("entry_id", type=record_id, metavar="紀錄編號", help="紀錄編號")
    _reason_option(reversing, "沖銷理由")
    adjusting = actions.command("adjust", "調整一個人某年度的敘獎建議（縣市人事處）", func=adjust)
    adjusting.add_argument("contact_id", type=record_id, metavar="人員編號", help="人員編號")
    _year_option(adjusting, "年度（西元年）")
    adjusting.add_argument(
        "--proposal",
        required=True,
        metavar="敘獎建議",
        help="敘獎建議：嘉獎一次、嘉獎二次、記功一次… 或 不予敘獎",
    )
    _reason_option(adjusting, "調整理由")
    listing = actions.command("history", "一個人的積點紀錄與累計", func=history)
    listing.add_argument(
        "contact_id", type=record_id, metavar="人員編號", help="人員（聯絡人）編號"
    )
    summing = actions.command("summary", "年度積點統計與敘獎建議", func=summary)
    _year_option(summing, "西元年，例如 2024")
    summing.json_option()
    reporting = actions.command(
        "report",
        "年度報表：.xlsx（縣市存查）或 .csv（對照輸入 WebHR 獎懲用，非匯入格式）",
        func=report,
    )
    _year_option(reporting, "西元年，例如 2024")
    reporting.output_option(".xlsx 或 .csv")
    certifying = actions.command("certificate", "把一個人的年度獎狀存成 PDF", func=certificate)
    certifying.add_argument(
        "person_id", type=record_id, metavar="人員編號", help="人員（聯絡人）編號"
    )
    _year_option(certifying, "西元年，例如 2024")
    certifying.output_option("PDF 檔案路徑")


def _year_option(parser: Parser, help: str) -> None:
    parser.add_argument("--year", type=calendar_year, required=True, metavar="年度", help=help)


def _reason_option(parser: Parser, help: str) -> None:
    parser.add_argument("--reason", required=True, metavar="理由", help=help)


def _check_year(year: int) -> None:
    if not 2000 <= year <= date.today().year + 1:
        raise UserError(f"年度 {year} 不合理；請用西元年，例如 2024。")


def add(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.rewards import service

    with profile(paths) as store:
        entry = service.claim(
            store,
            args.contact_id,
            args.kind,
            args.date,
            args.reason,
            points=args.points,
            evidence=args.evidence,
        )
    if args.json:
        print_json(entry.as_dict())
    else:
        print(
            f"已登錄紀錄 {entry.id}：{entry.name} {roc_date(entry.date)} {entry.kind_label} "
            f"{entry.points} 點（規則第 {entry.rule_version} 版），待縣市人事處核定。"
        )
    return int(ExitCode.OK)


def decide(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.rewards import service

    with profile(paths) as store:
        result = service.decide_claims(store, args.entry_ids, args.action == "approve", args.reason)
    print(result.summary("核定" if args.action == "approve" else "退回") + "。")
    return int(ExitCode.OK)


def reverse(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.rewards import service

    with profile(paths) as store:
        entry = service.reverse_entry(store, args.entry_id, args.reason)
    print(f"已以紀錄 {entry.id} 沖銷紀錄 {args.entry_id}（{entry.points} 點）。")
    return int(ExitCode.OK)


def adjust(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.rewards import service

    _check_year(args.year)
    with profile(paths) as store:
        adjustment = service.set_proposal(
            store, args.year, args.contact_id, args.proposal, args.reason
        )
    print(f"已將 {args.year} 年的敘獎建議調整為「{adjustment.proposal}」。")
    return int(ExitCode.OK)


def history(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.rewards import service

    with profile(paths) as store, store.read() as session:
        lines = service.history(session, args.contact_id)
    if not lines:
        print("沒有積點紀錄。")
    for line in lines:
        e = line.entry
        mark = "（沖銷）" if e.reverses else ""
        print(
            f"{e.id}\t{roc_date(e.date)}\t{e.kind_label}{mark}\t{e.points:+d}\t"
            f"{e.status_label}\t累計 {line.running_total}\t{e.reason}"
        )
    return int(ExitCode.OK)


def summary(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.rewards import service

    _check_year(args.year)
    with profile(paths) as store, store.read() as session:
        year = service.year_summary(session, args.year)
        found = service.proposals(session, args.year)
    if args.json:
        print_json({**year.as_dict(), "proposals": [p.as_dict() for p in found]})
        return int(ExitCode.OK)
    print(
        f"{args.year} 年：{len(year.people)} 人、{year.entries} 筆紀錄；"
        f"已核定 {year.approved_total} 點，待核定 {year.claimed_total} 點"
        f"（規則第 {year.rule_version} 版）。"
    )
    print(year.note)
    for p in found:
        print(
            f"{p.contact_id}\t{p.name}\t{p.school}\t{p.counted_points} 點 × "
            f"{service.points_text(p.multiplier)} = {service.points_text(p.weighted)}\t"
            f"{p.final or '未達門檻'}"
            + (f"\t（縣市調整：{p.adjustment.reason}）" if p.adjustment else "")
        )
    return int(ExitCode.OK)


def report(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.rewards import exports

    _check_year(args.year)
    target: Path = args.output
    kind = target.suffix.lower()
    if kind not in (".xlsx", ".csv"):
        raise UserFileError(f"報表只能存成 .xlsx 或 .csv，「{target.name}」不是這兩種。")
    check_output_folder(target)
    with profile(paths) as store, store.read() as session:
        if kind == ".xlsx":
            count = exports.write_report_xlsx(session, args.year, target)
            written = f"{count} 筆紀錄"
        else:
            count = exports.write_webhr_csv(session, args.year, target)
            written = f"{count} 人；供對照輸入 WebHR 獎懲，不是 WebHR 的匯入格式"
    print(f"已存成 {target}（{written}）")
    return int(ExitCode.OK)


def certificate(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.rewards.certificate import certificate_for, render_certificate

    _check_year(args.year)
    check_output_folder(args.output)
    with profile(paths) as store:
        issuer = store.site().name
        with store.read() as session:
            found = certificate_for(session, args.person_id, args.year, issuer)
    result = render_certificate(found, args.output)
    print(f"已存成 {args.output}（{found.name}，{found.proposal}）")
    if result.missing_characters:
        print("注意：下列字元沒有字型可印，已以□代替：" + "".join(result.missing_characters))
    return int(ExitCode.OK)
