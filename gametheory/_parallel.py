"""Worker processes that do not oversubscribe the cores.

NumPy's BLAS starts one thread per core in every process. When the work is already
split over as many processes as cores (the posterior's draws, the profile
likelihoods, the main job's background stage), those extra threads only fight over
the same cores: on the 2-core reference machine a 648-state linear solve ran three
times slower beside two BLAS-threaded workers. Pools made here run BLAS with one
thread per worker (threadpoolctl, the library scikit-learn uses for this), and
:func:`blas_threads` limits the calling process while its own workers run.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

__all__ = ["blas_threads", "process_pool", "single_threaded_worker"]


def single_threaded_worker() -> None:
    """Process-pool initializer: this worker's BLAS (and OpenMP) use one thread."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def process_pool(workers: int, *, context: str = "forkserver"):
    """A ``ProcessPoolExecutor`` of ``workers`` processes with single-threaded BLAS
    (``forkserver`` by default: safe with the threads numba and BLAS start)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(context),
                               initializer=single_threaded_worker)


def blas_threads(n: int = 1) -> AbstractContextManager:
    """Limit this process's BLAS to ``n`` threads inside a ``with`` block."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(n)
