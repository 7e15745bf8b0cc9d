"""Replaying a whole model step as one CUDA graph, per input size.

LaMa at photo sizes launches hundreds of small kernels; a graph replays them without the
CPU in the loop. A graph is captured only when a size comes back (the app's repeated edits
of one photo), so one-off crop sizes never pay the capture, and only a few are kept because
each holds its own memory pool.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import torch

StepFunction = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


@dataclass
class _Captured:
    graph: torch.cuda.CUDAGraph
    image: torch.Tensor
    mask: torch.Tensor
    output: torch.Tensor


class GraphCache:
    """Runs `step` eagerly the first time a shape is seen, from a captured graph after that."""

    def __init__(self, step: StepFunction, max_graphs: int = 2) -> None:
        self._step = step
        self._max_graphs = max_graphs
        self._seen: set[tuple[int, ...]] = set()
        self._graphs: OrderedDict[tuple[int, ...], _Captured] = OrderedDict()

    def run(self, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The step's output for these inputs; a fresh tensor the caller may keep."""
        shape = tuple(image.shape)
        captured = self._graphs.get(shape)
        if captured is None:
            if shape not in self._seen:
                self._seen.add(shape)
                return self._step(image, mask)
            captured = self._capture(image, mask)
            self._graphs[shape] = captured
            while len(self._graphs) > self._max_graphs:
                self._graphs.popitem(last=False)
        self._graphs.move_to_end(shape)
        captured.image.copy_(image)
        captured.mask.copy_(mask)
        captured.graph.replay()
        return captured.output.clone()

    def clear(self) -> None:
        """Drop every graph and its memory pool (after an out-of-memory error)."""
        self._graphs.clear()

    def _capture(self, image: torch.Tensor, mask: torch.Tensor) -> _Captured:
        static_image, static_mask = image.clone(), mask.clone()
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            self._step(static_image, static_mask)  # warm-up: lazy inits happen outside capture
        torch.cuda.current_stream().wait_stream(side)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            output = self._step(static_image, static_mask)
        return _Captured(graph, static_image, static_mask, output)
