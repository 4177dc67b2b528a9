import threading
import time

import pytest

from compose_core.converge.executor import Executor, PlanFailed
from compose_core.converge.plan import Operation, Plan
from compose_core.errors import EngineError


def op(name, after=()):
    return Operation(name, "do", "thing", name, after=tuple(after))


def test_executor_runs_in_dependency_order():
    done = []
    plan = Plan([op("c", ["b"]), op("b", ["a"]), op("a")])

    Executor({("thing", "do"): lambda o: done.append(o.id)}, parallel=4).run(plan)

    assert done == ["a", "b", "c"]


def test_executor_runs_independent_work_in_parallel_within_the_limit():
    active, peak = [0], [0]
    lock = threading.Lock()

    def work(_):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1

    plan = Plan([op(f"n{i}") for i in range(8)])
    Executor({("thing", "do"): work}, parallel=3).run(plan)

    assert peak[0] == 3


def test_executor_failure_skips_dependents_and_finishes_the_rest():
    done = []

    def work(o):
        if o.id == "bad":
            raise EngineError("boom")
        done.append(o.id)

    plan = Plan([op("bad"), op("child", ["bad"]), op("grandchild", ["child"]), op("other")])

    with pytest.raises(PlanFailed, match="boom"):
        Executor({("thing", "do"): work}, parallel=2).run(plan)

    assert done == ["other"]


def test_executor_unexpected_exception_propagates_unchanged():
    def work(_):
        raise ValueError("bug")

    with pytest.raises(ValueError, match="bug"):
        Executor({("thing", "do"): work}, parallel=1).run(Plan([op("a")]))
