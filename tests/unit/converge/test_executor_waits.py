"""The executor's side of readiness: waking actions that wait, and failures told once."""

import _thread
import threading

import pytest

from compose_core.converge.executor import Executor, PlanFailed
from compose_core.converge.plan import Operation, Plan
from compose_core.errors import EngineError


def op(name, after=()):
    return Operation(name, "do", "thing", name, after=tuple(after))


def test_executor_ctrl_c_calls_on_cancel_so_waiting_actions_end():
    woken = threading.Event()
    waiting = threading.Event()

    def wait_until_woken(_):
        waiting.set()
        assert woken.wait(10), "on_cancel was not called"

    def interrupt_once_waiting():
        waiting.wait(10)
        _thread.interrupt_main()

    threading.Thread(target=interrupt_once_waiting, daemon=True).start()
    executor = Executor({("thing", "do"): wait_until_woken}, parallel=2, on_cancel=woken.set)

    with pytest.raises(KeyboardInterrupt):
        executor.run(Plan([op("a")]))

    assert woken.is_set()


def test_executor_same_failure_of_many_dependents_is_counted_once():
    def fail(o):
        if o.id == "other":
            raise EngineError("something else broke")
        raise EngineError("dependency failed to start: container p-db-1 is unhealthy")

    plan = Plan([op("web1"), op("web2"), op("web3"), op("other")])

    with pytest.raises(PlanFailed) as failed:
        Executor({("thing", "do"): fail}, parallel=1).run(plan)

    assert failed.value.message == (
        "dependency failed to start: container p-db-1 is unhealthy (and 1 more failures)"
    )
    assert len(failed.value.failures) == 4
