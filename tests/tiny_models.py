"""Tiny TorchScript models with big-lama.pt's contract, built by the tests.

Contract (IOPaint's): ``forward(image, mask)`` takes RGB in [0, 1] as 1×3×H×W and a binary
1×1×H×W mask, with H and W padded to multiples of 8, and returns 1×3×H×W in [0, 1].
Each model's output is a simple function of its input, so tests can compute what the
backend must return and fail on any slip in padding, cropping, scaling or channel order.

The store refuses them as ``lama`` (they are not big-lama); `install_unvetted` puts one in
place the way an install from before that rule left it, so tests see the TorchScript fallback.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import torch

from lamadesk.core.download import hash_file
from lamadesk.core.model_store import ModelStore, VerifiedState


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


def install_unvetted(models: Path, source: Path, name: str = "lama") -> Path:
    """Install `source` in the store at `models` as `name`, marked unverified, unchecked.

    Test-only on purpose: ``models import`` (CLI and app) accepts only files of big-lama's
    content. This writes the file and its manifest entry as an import made before that rule
    did, which the engine runs with TorchScript (the native engine cannot map it).
    """
    store = ModelStore(root=models)
    target = store.path(name)
    models.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    store._record(name, VerifiedState.UNVERIFIED, hash_file(target), str(source))
    return target
