"""The batch's executor: the one replaceable piece between the plan and the files. ``local_pool.LocalPool``
(this machine's process pool, the default) and ``dask_executor.DaskExecutor`` (a Dask cluster, ``executor:
dask`` in the batch file) both implement it; the batch (``runner``) knows only this interface."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator

from .jobs import Job, Result


class Executor(ABC):
    """Runs ``fn`` (``jobs.render_job``: renders in memory, writes nothing) on each job somewhere else; the
    batch process alone writes what comes back."""

    @abstractmethod
    def start(self, workers: int) -> None:
        """Get ``workers`` workers ready; may come before the jobs are known (while the batch plans), and
        again: a started executor stays as it is."""

    @abstractmethod
    def run(self, jobs: Iterable[Job], fn: Callable[[Job], Result], workers: int) -> Iterator[tuple[Job, Result]]:
        """Yield (job, fn(job)) as the jobs finish, in any order; starts the workers if need be."""

    @abstractmethod
    def close(self) -> None:
        """End the workers (and what they started); an executor that ``run`` did not use too."""
