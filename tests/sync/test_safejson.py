"""schoolhr.safejson: JSON from files anyone may have written, read within limits (issue 19).

Every refusal is a ``JsonRefused`` with a zh-TW reason and, where it can be told, the line; never
a RecursionError, an OverflowError or a bare ValueError from ``json``."""

from __future__ import annotations

import json
import sys
import time

import pytest

from schoolhr import safejson
from schoolhr.safejson import JsonRefused


def refused(text: str, fragment: str, **limits: int) -> JsonRefused:
    with pytest.raises(JsonRefused) as caught:
        safejson.loads(text, **limits)
    assert fragment in caught.value.reason, caught.value.reason
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.reason)
    return caught.value


def test_ordinary_json_reads_as_json_loads_reads_it() -> None:
    value = {
        "uuid": "5c1f0000-0000-4000-8000-000000000001",
        "name": "王小明",
        "years": 3,
        "points": -10,
        "multiplier": 1.2,
        "nested": [{"a": [1, 2, {"b": None}]}, True, False],
        "brackets in text": '[[[{{{ " ]]] \\',
        "big": 2**64,
        "negative": -(10**19),
    }
    text = json.dumps(value, ensure_ascii=False)
    assert safejson.loads(text) == json.loads(text) == value


def test_200000_nested_brackets_are_refused_without_recursion() -> None:
    for text in ("[" * 200_000 + "]" * 200_000, '{"a":' * 200_000 + "1" + "}" * 200_000):
        error = refused(text, f"巢狀超過 {safejson.MAX_DEPTH} 層")
        assert error.line == 1 and not error.syntax


def test_depth_limit_is_exact_and_brackets_inside_strings_do_not_count() -> None:
    deepest = "[" * safejson.MAX_DEPTH + "]" * safejson.MAX_DEPTH
    assert safejson.loads(deepest) is not None
    refused("[" + deepest + "]", "巢狀超過")
    text = json.dumps({"a": "[" * 10_000, "b": "{" * 10_000})
    assert safejson.loads(text)["a"] == "[" * 10_000


def test_the_line_of_deep_nesting_is_named() -> None:
    text = '{\n "ok": 1,\n "deep":\n' + "[" * 100 + "]" * 100 + "\n}"
    assert refused(text, "巢狀超過").line == 4


def test_numbers_beyond_the_limits_are_refused() -> None:
    refused('{"size": 1e999}', "「1e999」超出可表示的範圍")
    refused('{"size": -1e999}', "超出可表示的範圍")
    refused("[" + "9" * 5000 + "]", "5,000 位數")
    refused('{"a": -' + "1" * 21 + "}", "21 位數，超過上限 20 位")
    refused('{"a": 1.' + "0" * 100 + "}", "102 個字元")
    for constant in ("NaN", "Infinity", "-Infinity"):
        refused(f'{{"a": {constant}}}', f"不允許的數值「{constant}」")
    # 20 digits hold every 64-bit integer (and 2**64): the records check their own ranges
    assert safejson.loads(str(2**64)) == 2**64
    assert safejson.loads("-" + "9" * 20) == -int("9" * 20)


def test_the_line_of_a_bad_number_is_named() -> None:
    text = '{\n "members": [\n  {"size": 1e999}\n ]\n}'
    assert refused(text, "超出可表示的範圍").line == 3


def test_a_5000_digit_number_does_not_reach_int() -> None:
    # Python refuses to convert more than 4,300 digits with a bare ValueError
    assert sys.get_int_max_str_digits() < 5000 or sys.get_int_max_str_digits() == 0
    refused('{"years": ' + "1" * 5000 + "}", "5,000 位數")
    refused('{"years": 1' + "0" * 5000 + ".5}", "個字元")


def test_strings_and_texts_beyond_the_limits_are_refused() -> None:
    refused(json.dumps({"a": "x" * 101}), "長達 101 個字元，超過上限 100", max_string_chars=100)
    refused(json.dumps(["x" * 101]), "超過上限 100", max_string_chars=100)
    assert safejson.loads(json.dumps({"a": "x" * 100}), max_string_chars=100)["a"] == "x" * 100
    refused(json.dumps({"a": "x" * 50}), "超過上限 20", max_text_chars=20)


def test_duplicate_keys_are_refused() -> None:
    refused('{"points": 1, "points": 100000}', "欄位「points」重複出現")
    refused('[{"a": {"b": 1, "b": 2}}]', "欄位「b」重複出現")


def test_text_that_is_not_json_is_a_syntax_refusal() -> None:
    for text in ('{"uuid": "x", ', "", "{'a': 1}", '{"a": 1} x', '"\\', '"' + '\\"' * 1000):
        error = refused(text, "不是有效的 JSON")
        assert error.syntax


def test_the_scan_stays_linear_on_escaped_quotes() -> None:
    """Unterminated strings full of escaped quotes: a naive string pattern backtracks in
    quadratic time; this one reads 3 MB at once."""
    text = '"' + '\\"' * 1_500_000
    started = time.perf_counter()
    refused(text, "超過上限")
    refused("[" + text, "超過上限")
    assert time.perf_counter() - started < 5
