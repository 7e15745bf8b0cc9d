"""Reference big-lama generator, module for module as in the published TorchScript file.

LaMa's generator is a Fast Fourier Convolution (FFC) ResNet. This module rebuilds it in plain
PyTorch with the same module tree, so that its ``state_dict`` names, shapes and dtypes are those
of ``big-lama.pt`` (under :data:`GENERATOR_PREFIX`). It exists for two reasons: it is the ground
truth that :mod:`lamadesk.core.models.lama.native` is checked against, and it defines the key
set the weight loader accepts. It is written for clarity, not speed; inference uses the native
model.

Layout of ``generator.model`` (a ``Sequential``, indices are part of the key names)::

    0      ReflectionPad2d(3)
    1      FFC 7x7, 4 -> 64, local only
    2..4   FFC 3x3 stride 2: 64 -> 128 -> 256 -> 512 (index 4 splits 128 local + 384 global)
    5..22  18 FFC residual blocks at 512 channels (128 local, 384 global)
    23     concatenation of the local and global branches
    24..32 3 x (ConvTranspose2d stride 2, BatchNorm, ReLU): 512 -> 256 -> 128 -> 64
    33     ReflectionPad2d(3)
    34     Conv2d 7x7, 64 -> 3
    35     Sigmoid
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: N812 - the conventional name
from torch import Tensor, nn

GENERATOR_PREFIX = "model.generator."
"""Prefix of every generator key in ``big-lama.pt`` (wrapper ``.model``, then ``.generator``)."""

INPUT_CHANNELS = 4
"""RGB of the masked image plus the mask."""
OUTPUT_CHANNELS = 3
BASE_CHANNELS = 64
DOWNSAMPLINGS = 3
RESIDUAL_BLOCKS = 18
GLOBAL_RATIO = 0.75
"""Share of the bottleneck channels that take the spectral (global) path."""
SIZE_MULTIPLE = 2**DOWNSAMPLINGS
"""Height and width must be multiples of this; callers pad (reflect) before inference."""

Branches = tuple[Tensor, Tensor | None]
"""Local and global feature maps between FFC layers; the global one is absent before the split."""


class FourierUnit(nn.Module):
    """1x1 convolution in the frequency domain: every output pixel sees the whole image.

    The real and imaginary parts of ``rfft2`` (norm ``ortho``) enter the convolution as
    interleaved channels (re0, im0, re1, im1, ...); the checkpoint's weights depend on that order.
    """

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.conv_layer = nn.Conv2d(2 * channels, 2 * channels, kernel_size=1, bias=False)
        self.bn = nn.BatchNorm2d(2 * channels)
        self.relu = nn.ReLU()

    def forward(self, x: Tensor) -> Tensor:
        batch, channels, height, width = x.shape
        spectrum = torch.fft.rfftn(x, dim=(-2, -1), norm="ortho")
        # (b, c, h, w', 2) -> (b, c, 2, h, w') -> (b, 2c, h, w'): channel 2k + part.
        stacked = torch.stack((spectrum.real, spectrum.imag), dim=-1).permute(0, 1, 4, 2, 3)
        stacked = stacked.reshape(batch, 2 * channels, height, -1)
        mixed = self.relu(self.bn(self.conv_layer(stacked)))
        parts = mixed.reshape(batch, channels, 2, height, -1).permute(0, 1, 3, 4, 2)
        spectrum = torch.complex(parts[..., 0].contiguous(), parts[..., 1].contiguous())
        return torch.fft.irfftn(spectrum, s=(height, width), dim=(-2, -1), norm="ortho")


class SpectralTransform(nn.Module):
    """The global-to-global path of an FFC: halve channels, Fourier unit, restore channels."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        hidden = out_channels // 2
        self.conv1 = nn.Sequential(
            nn.Conv2d(in_channels, hidden, kernel_size=1, bias=False),
            nn.BatchNorm2d(hidden),
            nn.ReLU(),
        )
        self.fu = FourierUnit(hidden)
        self.conv2 = nn.Conv2d(hidden, out_channels, kernel_size=1, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        x = self.conv1(x)
        return self.conv2(x + self.fu(x))


def _spatial_conv(in_ch: int, out_ch: int, kernel: int, stride: int, padding: int) -> nn.Conv2d:
    return nn.Conv2d(
        in_ch, out_ch, kernel, stride=stride, padding=padding, bias=False, padding_mode="reflect"
    )


class FfcConv(nn.Module):
    """Fast Fourier Convolution: four paths between a local and a global branch.

    Paths whose input or output branch has no channels do not exist (no parameters), exactly as
    in the checkpoint: the first FFCs have no global branch at all.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        ratio_in: float,
        ratio_out: float,
        stride: int = 1,
        padding: int = 0,
    ) -> None:
        super().__init__()
        in_g = int(in_channels * ratio_in)
        in_l = in_channels - in_g
        out_g = int(out_channels * ratio_out)
        out_l = out_channels - out_g
        self.convl2l = (
            _spatial_conv(in_l, out_l, kernel_size, stride, padding) if in_l and out_l else None
        )
        self.convl2g = (
            _spatial_conv(in_l, out_g, kernel_size, stride, padding) if in_l and out_g else None
        )
        self.convg2l = (
            _spatial_conv(in_g, out_l, kernel_size, stride, padding) if in_g and out_l else None
        )
        self.convg2g = SpectralTransform(in_g, out_g) if in_g and out_g else None

    def forward(self, x: Branches) -> Branches:
        x_l, x_g = x
        out_l = _add(_apply(self.convl2l, x_l), _apply(self.convg2l, x_g))
        out_g = _add(_apply(self.convl2g, x_l), _apply(self.convg2g, x_g))
        if out_l is None:
            raise ValueError("an FFC without a local output is not part of big-lama")
        return out_l, out_g


def _apply(module: nn.Module | None, x: Tensor | None) -> Tensor | None:
    return None if module is None or x is None else module(x)


def _add(a: Tensor | None, b: Tensor | None) -> Tensor | None:
    if a is None:
        return b
    return a if b is None else a + b


class FfcBnAct(nn.Module):
    """FFC followed by BatchNorm and ReLU on each branch that exists."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        ratio_in: float,
        ratio_out: float,
        stride: int = 1,
        padding: int = 0,
    ) -> None:
        super().__init__()
        self.ffc = FfcConv(
            in_channels, out_channels, kernel_size, ratio_in, ratio_out, stride, padding
        )
        out_g = int(out_channels * ratio_out)
        self.bn_l = nn.BatchNorm2d(out_channels - out_g)
        self.bn_g = nn.BatchNorm2d(out_g) if out_g else None

    def forward(self, x: Tensor | Branches) -> Branches:
        x_l, x_g = self.ffc(x if isinstance(x, tuple) else (x, None))
        x_l = F.relu(self.bn_l(x_l))
        if x_g is not None and self.bn_g is not None:
            x_g = F.relu(self.bn_g(x_g))
        return x_l, x_g


class FfcResnetBlock(nn.Module):
    """Two FFCs with a residual connection on both branches."""

    def __init__(self, channels: int, ratio: float) -> None:
        super().__init__()
        self.conv1 = FfcBnAct(channels, channels, 3, ratio, ratio, padding=1)
        self.conv2 = FfcBnAct(channels, channels, 3, ratio, ratio, padding=1)

    def forward(self, x: Branches) -> Branches:
        out_l, out_g = self.conv2(self.conv1(x))
        x_l, x_g = x
        if x_g is None or out_g is None:
            raise ValueError("a residual block needs both branches")
        return x_l + out_l, x_g + out_g


class ConcatBranches(nn.Module):
    """Joins the local and global branches (local channels first) for the decoder."""

    def forward(self, x: Branches) -> Tensor:
        x_l, x_g = x
        return x_l if x_g is None else torch.cat((x_l, x_g), dim=1)


class FfcResNetGenerator(nn.Module):
    """big-lama's generator: 4-channel input (masked RGB, mask) to RGB in [0, 1]."""

    def __init__(self) -> None:
        super().__init__()
        layers: list[nn.Module] = [
            nn.ReflectionPad2d(3),
            FfcBnAct(INPUT_CHANNELS, BASE_CHANNELS, 7, 0.0, 0.0),
        ]
        for i in range(DOWNSAMPLINGS):
            ratio_out = GLOBAL_RATIO if i == DOWNSAMPLINGS - 1 else 0.0
            channels = BASE_CHANNELS * 2**i
            layers.append(FfcBnAct(channels, 2 * channels, 3, 0.0, ratio_out, 2, 1))
        bottleneck = BASE_CHANNELS * 2**DOWNSAMPLINGS
        layers += [FfcResnetBlock(bottleneck, GLOBAL_RATIO) for _ in range(RESIDUAL_BLOCKS)]
        layers.append(ConcatBranches())
        for i in range(DOWNSAMPLINGS):
            channels = bottleneck // 2**i
            layers += [
                nn.ConvTranspose2d(
                    channels, channels // 2, 3, stride=2, padding=1, output_padding=1
                ),
                nn.BatchNorm2d(channels // 2),
                nn.ReLU(),
            ]
        layers += [
            nn.ReflectionPad2d(3),
            nn.Conv2d(BASE_CHANNELS, OUTPUT_CHANNELS, kernel_size=7),
            nn.Sigmoid(),
        ]
        self.model = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        return self.model(x)


class InpaintingModel(nn.Module):
    """Holder that gives the generator its ``model.generator`` place in the checkpoint."""

    def __init__(self, generator: FfcResNetGenerator) -> None:
        super().__init__()
        self.generator = generator

    def forward(self, image: Tensor, mask: Tensor) -> Tensor:
        return composite_prediction(self.generator, image, mask)


def composite_prediction(generator: nn.Module, image: Tensor, mask: Tensor) -> Tensor:
    """The IOPaint contract around a generator: hide masked pixels, predict, paste back.

    Args:
        generator: Maps ``(N, 4, H, W)`` (masked RGB, mask) to ``(N, 3, H, W)`` in [0, 1].
        image: ``(N, 3, H, W)`` float in [0, 1]; H and W multiples of :data:`SIZE_MULTIPLE`.
        mask: ``(N, 1, H, W)`` float, 1 where pixels are to be filled, else 0.

    Returns:
        The image with masked pixels replaced by the prediction.
    """
    masked = image * (1 - mask)
    prediction = generator(torch.cat((masked, mask), dim=1))
    return mask * prediction + (1 - mask) * image


class ReferenceLama(nn.Module):
    """The module inside ``big-lama.pt``: ``forward(image, mask)`` with the IOPaint contract.

    Tracing this module and saving it gives a TorchScript file with the real file's keys, which
    is how tests and ``make_test_model`` produce stand-ins for the 200 MB download.
    """

    def __init__(self) -> None:
        super().__init__()
        self.model = InpaintingModel(FfcResNetGenerator())

    def forward(self, image: Tensor, mask: Tensor) -> Tensor:
        return self.model(image, mask)
