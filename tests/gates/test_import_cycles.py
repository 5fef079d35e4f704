"""No import cycle anywhere in immunoquiz, counting imports made inside functions and
under `if TYPE_CHECKING:` too: a cycle hidden in a function is still a tangle."""

from __future__ import annotations

import grimp

import immunoquiz


def test_no_module_imports_itself_back() -> None:
    graph = grimp.build_graph(immunoquiz.__name__)
    cycles = set()
    for importer in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(importer):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                cycles.add(" -> ".join((importer, *back)))
    assert not cycles, "import cycles:\n" + "\n".join(sorted(cycles))
