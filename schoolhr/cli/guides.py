"""``schoolhr guides list | print``: the step-by-step guides to the government systems, listed
by system or saved as a PDF with their pictures."""

from __future__ import annotations

import argparse
from datetime import date

from schoolhr.cli.common import Subcommands, check_output_folder, print_json, profile
from schoolhr.errors import ExitCode
from schoolhr.paths import DataPaths


def register(sub: Subcommands) -> None:
    actions = sub.group("guides", "操作指引：列出、列印")
    actions.command("list", "依系統列出操作指引", func=list_guides).json_option()
    printing = actions.command("print", "把操作指引存成 PDF（含圖片）", func=print_guide)
    printing.add_argument("guide_id", metavar="指引編號", help="操作指引編號")
    printing.output_option("PDF 檔案路徑")


def list_guides(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.guides import service

    with profile(paths) as store, store.read() as session:
        guides = service.guides(session)
        systems = {s.code: s for s in service.systems(session)}
    if args.json:
        print_json([guide.as_dict(systems.get(guide.system)) for guide in guides])
        return int(ExitCode.OK)
    for guide in guides:
        system = systems.get(guide.system)
        name = system.name if system else guide.system
        print(f"{guide.id}\t{name}\t{guide.title}\t{len(guide.steps)} 步")
    return int(ExitCode.OK)


def print_guide(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.content.install import bundled_content_dir
    from schoolhr.guides import service
    from schoolhr.guides.printing import guide_document
    from schoolhr.reports.pdf import render_form

    with profile(paths) as store:
        with store.read() as session:
            guide = service.guide(session, args.guide_id)
            system = service.system(session, guide.system)
        site_name = store.site().name
    check_output_folder(args.output)
    document = guide_document(
        guide, system, bundled_content_dir(), paths.root, site_name, date.today()
    )
    result = render_form(document, args.output)
    print(f"已存成 {args.output}（{result.pages} 頁）")
    return int(ExitCode.OK)
