"""The task's size: workers, and what each may hold."""

from __future__ import annotations

import pytest

from budget import (
    CONNECTION_BYTES,
    HEADROOM,
    MASTER_MIB,
    MIB,
    RESERVE_CONNECTIONS,
    S3_SEND_BYTES,
    S3_SENDS,
    WORKER_MIB,
    budget_for,
    workers_for,
)
from runtime import task_budget, task_cpu_units, task_memory_mib

# Every CPU size Fargate offers, with the smallest memory it allows for it (AWS ECS developer
# guide, "Task CPU and memory"): the budget must fit each.
FARGATE_SMALLEST = [(256, 512), (512, 1024), (1024, 2048), (2048, 4096), (4096, 8192), (8192, 16384), (16384, 32768)]


@pytest.mark.parametrize(("cpu_units", "workers"), [(256, 1), (512, 1), (1024, 1), (2048, 2), (4096, 4), (16384, 16)])
def test_one_worker_per_vcpu_rounded_up(cpu_units, workers):
    assert workers_for(cpu_units) == workers


def test_the_task_size_comes_from_the_task_definition_when_set():
    env = {"TASK_CPU": "2048", "TASK_MEMORY_MIB": "4096"}
    assert (task_cpu_units(env), task_memory_mib(env)) == (2048, 4096)
    assert task_budget(env) == budget_for(2048, 4096)


def test_without_the_variables_it_is_sized_as_the_default_task():
    assert (task_cpu_units({}), task_memory_mib({})) == (256, 512)
    assert task_budget({}).workers == 1


@pytest.mark.parametrize("value", ["0", "abc", "-1", "١٢"])
def test_a_malformed_size_stops_the_server_naming_the_variable(value):
    with pytest.raises(ValueError, match="TASK_MEMORY_MIB"):
        task_memory_mib({"TASK_MEMORY_MIB": value})


@pytest.mark.parametrize(("cpu_units", "memory_mib"), FARGATE_SMALLEST)
def test_every_fargate_size_holds_its_workers_and_their_connections(cpu_units, memory_mib):
    budget = budget_for(cpu_units, memory_mib)
    per_worker = WORKER_MIB + (S3_SENDS * S3_SEND_BYTES + (budget.connections + budget.reserve) * CONNECTION_BYTES) / MIB
    assert MASTER_MIB + budget.workers * per_worker <= memory_mib * (1 - HEADROOM)
    assert budget.reserve == RESERVE_CONNECTIONS
    assert budget.connections >= 500


def test_the_default_task_holds_over_a_thousand_connections_and_its_uploads_half_its_disk():
    budget = budget_for(256, 512)
    assert budget.workers * budget.connections >= 1000
    assert budget.workers * budget.spool_bytes == 10 * 1024 * MIB


def test_more_memory_buys_more_connections():
    assert budget_for(256, 1024).connections > 2 * budget_for(256, 512).connections


def test_a_memory_too_small_for_the_workers_is_refused():
    with pytest.raises(ValueError, match="TASK_MEMORY_MIB=128 is too small"):
        budget_for(256, 128)


def test_worker_connections_overrides_the_derived_count():
    assert task_budget({"WORKER_CONNECTIONS": "40"}).connections == 40
