"""The fictional county of the demo: 範例縣, its 12 schools and 60 clerks.

Everything here is made up and generated from a fixed seed, so every build gives the same
people. Names are drawn from common surnames and given-name characters: they look real, but
belong to nobody in particular. Contact details are chosen so they cannot reach anyone:

- office phones are ``02-0000-SSNN`` (S school, N person): a Taiwanese subscriber number never
  begins with 0, so no such number can be dialled;
- mobiles are ``0900-000-NNN``: Taiwan publishes no reserved range for fiction, so we use one
  visibly patterned block (0900-000-001 to 0900-000-060) that the app never dials or sends to;
- e-mail addresses are at ``example.org``, reserved for examples by RFC 2606.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from schoolhr.contacts.records import KNOWN_DUTIES

SEED = 20_240_615  # any fixed number: the demo must come out the same every time
COUNTY_NAME = "範例縣"
COUNTY_OFFICE = "範例縣政府人事處"
SCHOOL_WORDS = (
    "松風",
    "竹林",
    "梅嶺",
    "蘭溪",
    "桐花",
    "櫻丘",
    "杉湖",
    "柚園",
    "荷塘",
    "雲梯",
    "星河",
    "石泉",
)
REGIONS = ("北區", "南區", "山線", "海線")
CLERKS_PER_SCHOOL = 5
SURNAMES = tuple("陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高")
GIVEN_FIRST = tuple("雅怡家俊宜志淑美冠佳承思彥柏詠品欣子宇瑞")
GIVEN_SECOND = tuple("婷君豪萱瑜廷宏玲翔蓁恩涵安庭軒妤辰穎琪華")
OTHER_ROLES = ("幹事", "幹事", "兼任人事", "種籽教師", "專任人事")

# What clerks typed and the FAQ could not answer: questions only, so they state no fact.
QUESTIONS = (
    "代理教師的差假要在哪個系統登錄",
    "兼任人事可以申請加班費嗎",
    "國民旅遊卡刷卡後多久可以申請補助",
    "留職停薪期間的保險怎麼處理",
    "新進職員到職要準備哪些表件",
    "補休可以分次使用嗎",
    "WebITR 忘記打卡要怎麼補登",
    "種籽教師輔導紀錄要交給誰",
    "退休試算在哪裡查",
    "調職人員的差勤資料怎麼移交",
    "職務代理人要填哪一張表",
    "教師請公假要附什麼證明",
    "人事資料報送要在什麼時候完成",
    "育嬰留職停薪要提前多久申請",
    "MyData 看不到最新的獎懲令怎麼辦",
    "兼任人事的年資要怎麼證明",
    "考績通知書要怎麼送達",
    "差勤系統的代理人設定在哪裡",
)


@dataclass(frozen=True)
class School:
    number: int  # 1–12
    name: str
    region: str


@dataclass(frozen=True)
class Clerk:
    number: int  # 1–60
    school: School
    name: str
    role: str
    duties: list[str] = field(default_factory=list)
    years: int = 0
    office_phone: str = ""
    mobile: str = ""
    email: str = ""
    consent: bool = True


def schools() -> list[School]:
    return [
        School(n, f"{COUNTY_NAME}{word}國小", REGIONS[(n - 1) % len(REGIONS)])
        for n, word in enumerate(SCHOOL_WORDS, start=1)
    ]


def _names(rng: random.Random, count: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < count:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN_FIRST) + rng.choice(GIVEN_SECOND)
        if name not in chosen:
            chosen.append(name)
    return chosen


def clerks() -> list[Clerk]:
    """The 60 clerks, five a school, always the same."""
    rng = random.Random(SEED)
    everyone = schools()
    names = _names(rng, len(everyone) * CLERKS_PER_SCHOOL)
    found = []
    for index, name in enumerate(names):
        school = everyone[index // CLERKS_PER_SCHOOL]
        seat = index % CLERKS_PER_SCHOOL + 1
        number = index + 1
        found.append(
            Clerk(
                number=number,
                school=school,
                name=name,
                role="兼任人事" if seat == 1 else rng.choice(OTHER_ROLES),
                duties=sorted(rng.sample(KNOWN_DUTIES, rng.randint(1, 3))),
                years=rng.randint(0, 18),
                office_phone=f"02-0000-{school.number:02d}{seat:02d}",
                mobile=f"0900-000-{number:03d}",
                email=f"clerk{number:02d}@example.org",
                consent=number % 12 != 0,  # a few without consent, to show the export filter
            )
        )
    return found


def newcomer_names() -> list[str]:
    """Names for the people checklist runs are about (a new colleague, one leaving)."""
    taken = {clerk.name for clerk in clerks()}
    rng = random.Random(SEED + 1)
    return [name for name in _names(rng, 10) if name not in taken][:4]


def consent_day(today: date) -> date:
    """When the clerks agreed to share their contact details: the start of this year's
    spring workshop, or of last year's when that is still ahead."""
    spring = date(today.year, 3, 1)
    return spring if spring <= today else date(today.year - 1, 3, 1)
