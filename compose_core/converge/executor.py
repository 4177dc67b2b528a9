"""Runs a Plan on a bounded thread pool, each operation once everything before it is done."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from compose_core.converge.plan import KEEP, Operation, Plan
from compose_core.errors import ComposeError, EngineError

log = logging.getLogger(__name__)

Action = Callable[[Operation], None]


class PlanFailed(EngineError):
    """Some operations failed; the rest that did not depend on them were carried out."""

    def __init__(self, failures: list[tuple[Operation, Exception]]) -> None:
        first_op, first = failures[0]
        message = first.message if isinstance(first, ComposeError) else str(first)
        # Dependents of one failed dependency fail alike: count each failure once.
        others = {str(error) for _, error in failures} - {str(first)}
        if others:
            message += f" (and {len(others)} more failures)"
        super().__init__(message, getattr(first, "hint", None))
        self.failures = failures
        if isinstance(first, ComposeError):
            self.exit_status = first.exit_status


class Executor:
    """Dispatches each operation to the action for its (kind, action)."""

    def __init__(
        self,
        actions: Mapping[tuple[str, str], Action],
        parallel: int,
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        self.actions = actions
        self.parallel = max(1, parallel)
        self.cancelled = threading.Event()
        self.on_cancel = on_cancel  # wakes the actions that wait, so that they end

    def run(self, plan: Plan) -> None:
        operations = {op.id: op for op in plan.operations if op.action != KEEP}
        waiting = {op.id: {d for d in op.after if d in operations} for op in operations.values()}
        failures: list[tuple[Operation, Exception]] = []
        done: set[str] = set()
        skipped: set[str] = set()
        running: dict[Future, str] = {}
        with ThreadPoolExecutor(max_workers=self.parallel) as pool:
            try:
                while waiting or running:
                    self._skip_blocked(waiting, skipped, failures, operations)
                    for op_id in [i for i, deps in waiting.items() if not deps]:
                        if len(running) >= self.parallel or self.cancelled.is_set():
                            break
                        del waiting[op_id]
                        running[pool.submit(self._run_one, operations[op_id])] = op_id
                    if not running:
                        if waiting and not self.cancelled.is_set():
                            # Only operations blocked by failures remain.
                            self._skip_blocked(waiting, skipped, failures, operations)
                            continue
                        break
                    finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
                    for future in finished:
                        op_id = running.pop(future)
                        error = future.exception()
                        if error is None:
                            done.add(op_id)
                            for deps in waiting.values():
                                deps.discard(op_id)
                        else:
                            failures.append((operations[op_id], error))
            except KeyboardInterrupt:
                # Let what runs finish, so nothing is left half-made; start nothing new.
                self.cancelled.set()
                if self.on_cancel is not None:
                    self.on_cancel()
                wait(list(running))
                raise
        if failures:
            unexpected = [e for _, e in failures if not isinstance(e, ComposeError)]
            if unexpected:
                raise unexpected[0]
            raise PlanFailed(failures)

    def _run_one(self, op: Operation) -> None:
        action = self.actions.get((op.kind, op.action))
        if action is None:
            raise EngineError(f"no way to {op.action} a {op.kind}")
        action(op)

    @staticmethod
    def _skip_blocked(
        waiting: dict[str, set[str]],
        skipped: set[str],
        failures: list[tuple[Operation, Exception]],
        operations: Mapping[str, Operation],
    ) -> None:
        failed = {op.id for op, _ in failures} | skipped
        changed = True
        while changed:
            changed = False
            for op_id, _deps in list(waiting.items()):
                blockers = set(operations[op_id].after) & failed
                if blockers:
                    del waiting[op_id]
                    skipped.add(op_id)
                    failed.add(op_id)
                    log.debug("skipping %s: %s failed", op_id, ", ".join(sorted(blockers)))
                    changed = True
