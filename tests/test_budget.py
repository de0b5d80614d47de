"""The deadline a reader checks: it raises a zh-TW refusal once its time is spent."""

from __future__ import annotations

import pytest

from schoolhr.budget import READ_SECONDS, Deadline
from schoolhr.errors import ExitCode, UserFileError


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_deadline_expires_after_its_seconds() -> None:
    clock = _Clock()
    deadline = Deadline("名冊.xlsx", 8, clock=clock)
    deadline.check("工作表「名冊」第 1 列")
    assert not deadline.expired()
    assert deadline.remaining() == 8
    clock.now += 8
    assert not deadline.expired()
    clock.now += 0.5
    assert deadline.expired()
    assert deadline.remaining() == -0.5
    with pytest.raises(UserFileError) as caught:
        deadline.check("工作表「名冊」第 1,200 列")
    assert caught.value.exit_code == ExitCode.FILE
    assert caught.value.message.startswith(
        "檔案「名冊.xlsx」讀取超過 8 秒仍未完成（讀到工作表「名冊」第 1,200 列），"
    )
    assert "另存新檔" in caught.value.message


def test_the_message_without_a_place() -> None:
    deadline = Deadline("通訊錄.csv", 2.5, clock=_Clock())
    assert deadline.error().message.startswith("檔案「通訊錄.csv」讀取超過 2.5 秒仍未完成，")


def test_the_default_budget_leaves_room_under_ten_seconds() -> None:
    assert 0 < READ_SECONDS < 10
    assert Deadline("x.xlsx").seconds == READ_SECONDS
