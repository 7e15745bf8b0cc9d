"""Random-weight stand-ins for ``big-lama.pt``: same format, same keys, no 200 MB download.

Used by tests and by ``python -m tools.make_test_model PATH``; development code the product
never imports (it only recognises the mark: `random_weights.is_test_model`). The file is a real
TorchScript archive of :class:`~lamadesk.core.models.lama.architecture.ReferenceLama`, saved with
``torch.jit`` on purpose: it has to look exactly like the published file to the loaders. One
extra archive entry marks it, so a benchmark of it can say "random weights" wherever it prints
(the loaders never read that entry).
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import torch
from torch import nn

from lamadesk.core.models.lama.architecture import SIZE_MULTIPLE, ReferenceLama
from lamadesk.core.models.lama.random_weights import RANDOM_WEIGHTS_MARK

CONV_GAIN = 0.6
"""Weight scale relative to variance-preserving init.

Below 1 so that the 18 residual blocks, whose random BatchNorm statistics do not normalise
anything, do not blow activations up: the sigmoid output then varies across pixels instead of
sitting at 0 or 1, which would hide numeric differences between implementations.
"""

_TRACE_SIZE = 8 * SIZE_MULTIPLE


def make_reference_model(seed: int = 0) -> ReferenceLama:
    """The reference architecture with seeded random weights and sane BatchNorm statistics.

    Args:
        seed: Same seed, same weights (on any machine with the same torch version).

    Returns:
        The model in eval mode, float32, on the CPU.
    """
    generator = torch.Generator().manual_seed(seed)
    model = ReferenceLama()
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.Conv2d | nn.ConvTranspose2d):
                _init_conv(module, generator)
            elif isinstance(module, nn.BatchNorm2d):
                _init_batch_norm(module, generator)
    return model.eval()


def make_test_model(path: Path, seed: int = 0) -> None:
    """Write a random-weight TorchScript file with big-lama's architecture, keys and contract.

    Args:
        path: Destination file (overwritten); its folder must exist.
        seed: Seed of :func:`make_reference_model`.
    """
    model = make_reference_model(seed)
    image = torch.rand(1, 3, _TRACE_SIZE, _TRACE_SIZE, generator=torch.Generator().manual_seed(1))
    mask = torch.zeros(1, 1, _TRACE_SIZE, _TRACE_SIZE)
    mask[..., _TRACE_SIZE // 4 : _TRACE_SIZE // 2, :] = 1
    with warnings.catch_warnings(), torch.no_grad():
        warnings.filterwarnings("ignore", message=r"`torch\.jit\.\w+` is deprecated")
        traced = torch.jit.trace(model, (image, mask), check_trace=False)
        note = f"random weights, seed {seed}: for speed tests only, useless for real photos"
        torch.jit.save(traced, str(path), _extra_files={RANDOM_WEIGHTS_MARK: note})


def _init_conv(conv: nn.Conv2d | nn.ConvTranspose2d, generator: torch.Generator) -> None:
    weight = conv.weight
    receptive = weight[0, 0].numel()
    fan_in = weight.shape[0] if isinstance(conv, nn.ConvTranspose2d) else weight.shape[1]
    std = CONV_GAIN * math.sqrt(2.0 / (fan_in * receptive))
    weight.copy_(torch.randn(weight.shape, generator=generator) * std)
    if conv.bias is not None:
        conv.bias.copy_(torch.randn(conv.bias.shape, generator=generator) * 0.05)


def _init_batch_norm(bn: nn.BatchNorm2d, generator: torch.Generator) -> None:
    channels = bn.num_features

    def uniform(low: float, high: float) -> torch.Tensor:
        return low + (high - low) * torch.rand(channels, generator=generator)

    bn.weight.copy_(uniform(0.5, 1.5))
    bn.bias.copy_(torch.randn(channels, generator=generator) * 0.1)
    bn.running_mean.copy_(torch.randn(channels, generator=generator) * 0.1)
    bn.running_var.copy_(uniform(0.5, 2.0))
    bn.num_batches_tracked.fill_(int(torch.randint(1, 100_000, (1,), generator=generator)))
