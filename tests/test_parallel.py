"""Worker pools with single-threaded BLAS (gametheory/_parallel.py)."""

from __future__ import annotations


def _blas_threads() -> list[int]:
    import numpy  # noqa: F401  (loads BLAS)
    from threadpoolctl import threadpool_info

    return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]


def test_pool_workers_and_the_limited_block_run_blas_on_one_thread():
    from gametheory._parallel import blas_threads, process_pool

    with process_pool(2) as pool:
        counts = [pool.submit(_blas_threads).result() for _ in range(2)]
    assert all(c and max(c) == 1 for c in counts)
    with blas_threads(1):
        assert max(_blas_threads()) == 1
