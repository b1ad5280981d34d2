"""Identity imports stream: memory stays flat however many rows come."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator

from chalicelib.adapters.seen import DiskSeen
from chalicelib.services.identities import RowError
from tests.functional.conftest import OPERATOR, World


def rows(count: int, start: int = 0) -> Iterator[dict[str, str]]:
    for n in range(start, start + count):
        yield {
            "id_number": f"001090{n:06d}",
            "full_name": f"Người Thử {n}",
            "dob": "1990-01-01",
            "gender": "male",
            "status": "active",
        }


def peak_while_importing(world: World, count: int, start: int) -> int:
    rejected: list[RowError] = []
    tracemalloc.start()
    with DiskSeen() as seen:
        imported, bad = world.container.identities.import_stream(
            rows(count, start), seen, rejected.append, actor=OPERATOR
        )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert (imported, bad, rejected) == (count, 0, [])
    return peak


def test_memory_does_not_grow_with_the_number_of_rows(world: World) -> None:
    # a third of the rows on the moto server, where each batch is an HTTP request
    rows = 3_000 if world.backend == "local" else 1_000
    small = peak_while_importing(world, rows, 0)
    large = peak_while_importing(world, 10 * rows, 100_000)
    assert large < 2 * small + 1_000_000  # ten times the rows, not ten times the memory
    from chalicelib.domain.idnumber import holder_ref

    last = 100_000 + 10 * rows - 1
    stored = world.container.storage.identities.get_identity(  # the rows are really there
        holder_ref(f"001090{last}", world.container.secrets["pepper"])
    )
    assert stored is not None and stored.full_name == f"Người Thử {last}"
