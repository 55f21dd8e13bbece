"""Keyboard wedge: scanner bursts vs a person typing."""

from __future__ import annotations

from pickpack.devices.scanners.wedge import WedgeBurst


def type_text(burst: WedgeBurst, text: str, start: float, gap: float) -> list[str | None]:
    return [burst.feed(ch, start + i * gap) for i, ch in enumerate(text)]


def test_fast_burst_ending_in_enter_is_a_scan() -> None:
    burst = WedgeBurst(max_gap_ms=35, min_length=4)
    assert type_text(burst, "6901234567892\r", 10.0, 0.004)[-1] == "6901234567892"


def test_slow_typing_is_not_a_scan() -> None:
    burst = WedgeBurst(max_gap_ms=35, min_length=4)
    assert type_text(burst, "1234\r", 10.0, 0.15)[-1] is None
    assert burst.typed == "1234"


def test_short_fast_burst_is_typing() -> None:
    burst = WedgeBurst(min_length=4)
    assert type_text(burst, "ok\n", 1.0, 0.005)[-1] is None


def test_pause_before_a_scan_starts_a_new_burst() -> None:
    burst = WedgeBurst()
    type_text(burst, "ab", 1.0, 0.3)
    assert type_text(burst, "BX0042\r", 2.0, 0.005)[-1] == "BX0042"


def test_pause_inside_is_typing_and_enter_after_a_pause_too() -> None:
    burst = WedgeBurst()
    assert type_text(burst, "1234", 1.0, 0.005) == [None] * 4
    assert burst.feed("\r", 1.5) is None
    assert burst.pending == ""
