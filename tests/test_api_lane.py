"""The screening lane: one job per pass of the event loop, the rest of the loop's work between."""

from __future__ import annotations

import asyncio

from sanctions_ledger.api.lane import Lane


def _run(cancel: int | None = None) -> list[str]:
    async def scenario() -> list[str]:
        lane = Lane(asyncio.get_running_loop())
        order: list[str] = []

        async def job(n: int) -> None:
            async with lane:
                order.append(f"job{n}")

        async def cheap() -> None:
            order.append("cheap")

        jobs = [asyncio.create_task(job(i)) for i in range(3)]
        await asyncio.sleep(0)  # the three jobs reach the lane in the same pass: job0 runs
        assert order == ["job0"] and lane.waiting == 2
        if cancel is not None:
            jobs[cancel].cancel()
        extra = asyncio.create_task(cheap())
        await asyncio.gather(*jobs, extra, return_exceptions=True)
        return order

    return asyncio.run(scenario())


def test_cheap_work_runs_between_two_screening_jobs() -> None:
    # Without the lane the three jobs run back to back and the cheap request comes last.
    assert _run() == ["job0", "cheap", "job1", "job2"]


def test_a_job_cancelled_while_waiting_does_not_stall_the_lane() -> None:
    assert _run(cancel=1) == ["job0", "cheap", "job2"]
