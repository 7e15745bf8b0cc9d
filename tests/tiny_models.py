"""Tiny TorchScript models with big-lama.pt's contract, built by the tests.

Contract (IOPaint's): ``forward(image, mask)`` takes RGB in [0, 1] as 1×3×H×W and a binary
1×1×H×W mask, with H and W padded to multiples of 8, and returns 1×3×H×W in [0, 1].
Each model's output is a simple function of its input, so tests can compute what the
backend must return and fail on any slip in padding, cropping, scaling or channel order.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import torch


class FillConstant(torch.nn.Module):
    """Paints the masked area in one known RGB colour: proves channel order and scaling."""

    def __init__(self, rgb: tuple[float, float, float] = (0.2, 0.4, 0.6)) -> None:
        super().__init__()
        self.register_buffer("colour", torch.tensor(rgb).view(1, 3, 1, 1))

    def forward(self, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return mask * self.colour + (1 - mask) * image


class MirrorWidth(torch.nn.Module):
    """Returns the padded image flipped left-right; rejects sizes that are not multiples of 8.

    Flipping moves the padding into view, so only correct padding *and* cropping reproduce
    the expected pixels.
    """

    def forward(self, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        if image.shape[2] % 8 != 0 or image.shape[3] % 8 != 0:
            raise RuntimeError("input not padded to a multiple of 8")
        return image.flip(3)


class ShowMask(torch.nn.Module):
    """Returns the mask as a grey image: proves the mask arrives binarised as 0/1."""

    def forward(self, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return mask.expand(-1, 3, -1, -1)


def save_scripted(module: torch.nn.Module, path: Path) -> Path:
    """Script and save `module`; torch ≥ 2.14 warns TorchScript is deprecated, so hush that."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*is deprecated")
        torch.jit.save(torch.jit.script(module), str(path))
    return path
