"""Time budgets for reading a user's file: a reader gives up with a clear refusal, never hangs.

A reader that parses what a clerk picked (a workbook, a CSV, a pack) bounds its memory with
limits of its own (rows, cells, parts) and its time with a ``Deadline``: it calls ``check``
inside its loops, and once the time is up the read stops with a ``UserFileError`` saying which
file, how far the read got and what to do. Nothing here touches the user interface.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from schoolhr.errors import UserFileError

READ_SECONDS = 8.0
"""How long reading one file may take: under the 10 s a clerk is promised for an import, with
room left for planning and writing what was read."""


class Deadline:
    """A wall-clock budget of ``seconds`` for reading the file called ``file_name``, started
    when the object is made. ``check`` raises ``UserFileError`` once it is spent."""

    def __init__(
        self,
        file_name: str,
        seconds: float = READ_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.file_name = file_name
        self.seconds = seconds
        self._clock = clock
        self._ends = clock() + seconds

    def remaining(self) -> float:
        """Seconds left (negative once the budget is spent)."""
        return self._ends - self._clock()

    def expired(self) -> bool:
        return self._clock() > self._ends

    def check(self, where: str = "") -> None:
        """Raise ``UserFileError`` when the time is up; ``where`` says how far the read got
        (「工作表「名冊」第 1,200 列」) and is put in the message."""
        if self._clock() > self._ends:
            raise self.error(where)

    def error(self, where: str = "") -> UserFileError:
        reached = f"（讀到{where}）" if where else ""
        return UserFileError(
            f"檔案「{self.file_name}」讀取超過 {self.seconds:g} 秒仍未完成{reached}，"
            "內容可能過大或格式異常，已停止讀取。"
            "請只保留需要的資料，另存新檔或分成幾個檔案再匯入。"
        )
