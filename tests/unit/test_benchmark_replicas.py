"""`python -m benchmarks replicas`: the bound two replicas can reach, worked by hand."""

from __future__ import annotations

import os

import pytest

from benchmarks import replicas


def test_the_bound_of_two_replicas_on_two_cores() -> None:
    # One replica at 10 ms of CPU an update handles 100 a second at most. Two replicas
    # at 12 ms each, with 4 ms of everything else, need 16 ms of the two cores' 2,000
    # each second: 125 a second at most. 125 / 100 = 1.25.
    one = {"replicas": 10.0, "emulator": 2.0, "postgresql": 1.0, "redis": 1.0}
    two = {"replicas": 12.0, "emulator": 2.0, "postgresql": 1.0, "redis": 1.0}
    assert replicas._bound(one, two, cores=2) == pytest.approx(1.25)
    # A cheaper replica lowers it: 5 ms and 6 ms -> (2 / 10) / (1 / 5) = 1.0.
    one["replicas"], two["replicas"] = 5.0, 6.0
    assert replicas._bound(one, two, cores=2) == pytest.approx(1.0)


def test_the_meter_counts_a_process_once_in_its_part() -> None:
    as_emulator = replicas._cpu_meter(lambda: [])()
    assert set(as_emulator) == {"replicas", "emulator", "postgresql", "redis"}
    assert as_emulator["emulator"] > 0 and as_emulator["replicas"] == 0.0
    # The same process named as a replica is counted there, and not as the emulator.
    as_replica = replicas._cpu_meter(lambda: [os.getpid()])()
    assert as_replica["replicas"] >= as_emulator["emulator"] and as_replica["emulator"] == 0.0
