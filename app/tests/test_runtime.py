"""Worker sizing from the task's CPU."""

from __future__ import annotations

import pytest

from runtime import task_cpu_units, workers_for


@pytest.mark.parametrize(("cpu_units", "workers"), [(256, 2), (512, 2), (1024, 3), (2048, 5), (4096, 9), (16384, 33)])
def test_two_workers_per_vcpu_plus_one_and_never_fewer_than_two(cpu_units, workers):
    assert workers_for(cpu_units) == workers


def test_cpu_comes_from_the_task_definition_when_set():
    assert task_cpu_units({"TASK_CPU": "2048"}) == 2048


@pytest.mark.parametrize("value", ["", "0", "abc"])
def test_without_task_cpu_it_uses_the_cpus_it_may_run_on(value):
    assert task_cpu_units({"TASK_CPU": value}) % 1024 == 0
    assert task_cpu_units({"TASK_CPU": value}) >= 1024
