"""big-lama for contiguous (NCHW) memory: joined branches in pre-padded buffers.

The GPU layout of :class:`~lamadesk.core.models.lama.native.NativeLama`'s folded weights. Profiling
the branch-per-tensor model on an H100 showed reflection padding (~10 %), the copies around
the float32 FFTs and separate small convolutions as the cost beyond the arithmetic. Here:

* each layer's output is written (by its ReLU or residual add, via ``out=``) straight into the
  interior of the next layer's reflect-padded buffer, and only the thin border is filled by
  copies: no separate padding pass over the feature map;
* local and global branches share one buffer (channel slices of a batch-1 NCHW tensor are
  dense), so a residual block's local output is one convolution over all 512 channels instead
  of two plus an add, and the last downsampling is one convolution for both branches;
* the global branch's 3x3 contribution is the ``input`` term of the spectral transform's
  second matrix product (no add pass), and each FFT boundary is a single cast-and-reorder copy.

Channels-last layouts keep using ``NativeLama`` (their channel slices are not dense).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: N812 - the conventional name
from torch import Tensor, nn

from lamadesk.core.models.lama.native import NativeLama

LOCAL_CHANNELS = 128
"""Bottleneck channels of the local branch; the other 384 are global."""


def reflect_fill(buffer: Tensor, pad: int) -> Tensor:
    """Fill the ``pad``-wide border of ``buffer`` by mirroring its interior (``reflect`` mode).

    Equals ``F.pad(interior, (pad,) * 4, mode="reflect")`` but only touches the border; rows
    first, then whole columns, which also fills the corners.

    Raises:
        ValueError: the interior is not larger than ``pad`` in both dimensions.
    """
    height, width = buffer.shape[-2] - 2 * pad, buffer.shape[-1] - 2 * pad
    if min(height, width) <= pad:
        raise ValueError(f"reflect padding {pad} needs more than {pad} rows and columns")
    inner = slice(pad, -pad)
    for k in range(pad):
        buffer[..., pad - 1 - k, inner].copy_(buffer[..., pad + 1 + k, inner])
        buffer[..., -pad + k, inner].copy_(buffer[..., -pad - 2 - k, inner])
    for k in range(pad):
        buffer[..., pad - 1 - k].copy_(buffer[..., pad + 1 + k])
        buffer[..., -pad + k].copy_(buffer[..., -pad - 2 - k])
    return buffer


def padded_like(x: Tensor, channels: int, height: int, width: int, pad: int) -> Tensor:
    """An uninitialised ``(N, channels, height + 2 pad, width + 2 pad)`` buffer beside ``x``."""
    return x.new_empty((x.shape[0], channels, height + 2 * pad, width + 2 * pad))


def interior(buffer: Tensor, pad: int) -> Tensor:
    """The view of ``buffer`` without its ``pad``-wide border."""
    return buffer[..., pad:-pad, pad:-pad]


def _relu_padded(x: Tensor, pad: int) -> Tensor:
    """ReLU of ``x`` in a new reflect-padded buffer."""
    if torch.compiler.is_compiling():
        # torch.compile refuses ``out=`` views (and fuses the padding itself anyway).
        return F.pad(x.relu(), (pad,) * 4, mode="reflect")
    buffer = padded_like(x, x.shape[1], x.shape[2], x.shape[3], pad)
    torch.clamp_min(x, 0.0, out=interior(buffer, pad))
    return reflect_fill(buffer, pad)


def _joined_relu_padded(local: Tensor, glob: Tensor) -> Tensor:
    """ReLU of both branches, joined in one reflect-padded (by 1) buffer."""
    if torch.compiler.is_compiling():
        return F.pad(torch.cat((local, glob), dim=1).relu(), (1,) * 4, mode="reflect")
    buffer = padded_like(local, local.shape[1] + glob.shape[1], *local.shape[2:], 1)
    torch.clamp_min(local, 0.0, out=interior(buffer, 1)[:, :LOCAL_CHANNELS])
    torch.clamp_min(glob, 0.0, out=interior(buffer, 1)[:, LOCAL_CHANNELS:])
    return reflect_fill(buffer, 1)


def _joined_relu(local: Tensor, glob: Tensor) -> Tensor:
    """ReLU of both branches, joined in one contiguous tensor."""
    if torch.compiler.is_compiling():
        return torch.cat((local, glob), dim=1).relu()
    joined = local.new_empty((local.shape[0], local.shape[1] + glob.shape[1], *local.shape[2:]))
    torch.clamp_min(local, 0.0, out=joined[:, :LOCAL_CHANNELS])
    torch.clamp_min(glob, 0.0, out=joined[:, LOCAL_CHANNELS:])
    return joined


def _residual_padded(padded: Tensor, update: Tensor) -> Tensor:
    """``interior(padded) + update`` in a new reflect-padded (by 1) buffer."""
    if torch.compiler.is_compiling():
        return F.pad(interior(padded, 1) + update, (1,) * 4, mode="reflect")
    buffer = torch.empty_like(padded)
    torch.add(interior(padded, 1), update, out=interior(buffer, 1))
    return reflect_fill(buffer, 1)


def _masked_input_padded(image: Tensor, mask: Tensor, dtype: torch.dtype) -> Tensor:
    """The generator's input (masked RGB, mask) in ``dtype``, reflect-padded by 3."""
    batch, _, height, width = image.shape
    if torch.compiler.is_compiling():
        joined = torch.cat((image * (1 - mask), mask), dim=1).to(dtype)
        return F.pad(joined, (3,) * 4, mode="reflect")
    buffer = image.new_empty((batch, 4, height + 6, width + 6), dtype=dtype)
    torch.mul(image, 1 - mask, out=interior(buffer, 3)[:, :3])
    interior(buffer, 3)[:, 3:].copy_(mask)
    return reflect_fill(buffer, 3)


def _param(tensor: Tensor) -> nn.Parameter:
    return nn.Parameter(tensor.detach().clone().contiguous(), requires_grad=False)


class _PaddedFfc(nn.Module):
    """One FFC + BatchNorm + ReLU on a padded joined buffer; returns pre-ReLU local, global."""

    def __init__(self, ffc: nn.Module) -> None:
        super().__init__()
        self.local_weight = _param(torch.cat((ffc.l2l_weight, ffc.g2l_weight), dim=1))
        self.local_bias = _param(ffc.local_bias)
        self.l2g_weight = _param(ffc.l2g_weight)
        self.global_bias = _param(ffc.global_bias)
        self.st1_weight = _param(ffc.st1_weight.flatten(1))
        self.st1_bias = _param(ffc.st1_bias)
        self.fu_weight = _param(ffc.fu_weight)
        self.fu_bias = _param(ffc.fu_bias)
        self.st2_weight = _param(ffc.st2_weight.flatten(1))

    def forward(self, padded: Tensor) -> tuple[Tensor, Tensor]:
        batch = padded.shape[0]
        out_l = F.conv2d(padded, self.local_weight, self.local_bias)
        local = padded[:, :LOCAL_CHANNELS]
        to_global = F.conv2d(local, self.l2g_weight, self.global_bias)
        # The spectral path's 1x1 convolutions are per pixel, so the first one runs on the
        # padded buffer as it lies and the border is simply ignored afterwards.
        glob = padded[:, LOCAL_CHANNELS:]
        hidden = torch.baddbmm(
            self.st1_bias.view(1, -1, 1),
            self.st1_weight.expand(batch, -1, -1),
            glob.flatten(2),
        ).relu_()
        hidden = interior(hidden.view(batch, -1, *padded.shape[2:]), 1)
        spectral = torch.add(hidden, self._fourier(hidden), out=hidden.new_empty(hidden.shape))
        # In place: baddbmm into a new tensor would first copy its input there.
        to_global.flatten(2).baddbmm_(self.st2_weight.expand(batch, -1, -1), spectral.flatten(2))
        return out_l, to_global

    def _fourier(self, x: Tensor) -> Tensor:
        """Fourier unit in float32 (as in ``NativeLama``) with one copy on each side of the mix."""
        batch, channels, height, width = x.shape
        with torch.autocast(device_type=x.device.type, enabled=False):
            x32 = x.to(torch.float32, memory_format=torch.contiguous_format)
            spectrum = torch.fft.rfftn(x32, dim=(-2, -1), norm="ortho")
            half_width = spectrum.shape[-1]
            # (b, c, h, w', 2) -> (b, c, 2, h, w'): row 2k + part, the checkpoint's order.
            stacked = x.new_empty((batch, channels, 2, height, half_width))
            stacked.copy_(torch.view_as_real(spectrum).permute(0, 1, 4, 2, 3))
            mixed = torch.baddbmm(
                self.fu_bias.view(1, -1, 1),
                self.fu_weight.expand(batch, -1, -1),
                stacked.view(batch, 2 * channels, -1),
            )
            parts = mixed.view(batch, channels, 2, height, half_width).permute(0, 1, 3, 4, 2)
            if torch.compiler.is_compiling():
                pairs = parts.relu().float().contiguous()
            else:
                # The unit's ReLU, the cast and the reorder in one pass (a 0-dim `min` allows
                # the wider output dtype, which clamp_min's Scalar overload refuses).
                pairs = x32.new_empty((batch, channels, height, half_width, 2))
                torch.clamp(parts, min=parts.new_zeros(()), out=pairs)
            return torch.fft.irfftn(
                torch.view_as_complex(pairs), s=(height, width), dim=(-2, -1), norm="ortho"
            )


class _PaddedBlock(nn.Module):
    def __init__(self, block: nn.Module) -> None:
        super().__init__()
        self.conv1 = _PaddedFfc(block.conv1)
        self.conv2 = _PaddedFfc(block.conv2)

    def forward(self, padded: Tensor, last: bool) -> Tensor:
        """Residual block from one padded buffer to the next (plain contiguous if ``last``)."""
        out_l, out_g = self.conv2(_joined_relu_padded(*self.conv1(padded)))
        joined = _joined_relu(out_l, out_g)
        if last:
            return joined.add_(interior(padded, 1))
        return _residual_padded(padded, joined)


class PaddedLama(nn.Module):
    """``NativeLama``'s function for contiguous tensors; same ``forward(image, mask)`` contract."""

    def __init__(self, native: NativeLama) -> None:
        super().__init__()
        generator = native.generator
        first, *downs = generator.encoder
        self.first = nn.ParameterList([_param(first.weight), _param(first.bias)])
        self.downs = nn.ParameterList(
            [_param(p) for conv in downs for p in (conv.weight, conv.bias)]
        )
        self.split = nn.ParameterList(
            [
                _param(torch.cat((generator.to_local.weight, generator.to_global.weight))),
                _param(torch.cat((generator.to_local.bias, generator.to_global.bias))),
            ]
        )
        self.blocks = nn.ModuleList(_PaddedBlock(block) for block in generator.blocks)
        *ups, final = generator.decoder
        self.ups = nn.ParameterList([_param(p) for up in ups for p in (up.weight, up.bias)])
        self.final = nn.ParameterList([_param(final.weight), _param(final.bias)])
        self.eval()

    @classmethod
    def from_native(cls, native: NativeLama) -> PaddedLama:
        """Regroup a folded ``NativeLama``'s weights (same dtype and device)."""
        with torch.no_grad():
            return cls(native)

    def forward(self, image: Tensor, mask: Tensor) -> Tensor:
        """``image`` ``(N, 3, H, W)`` in [0, 1], ``mask`` ``(N, 1, H, W)`` in {0, 1} -> composite.

        Runs in the parameters' dtype; inputs and output are float32 and the composite is
        exact where the mask is 0 or 1 (``lerp`` returns its end points unchanged).
        """
        x = _masked_input_padded(image, mask, self.first[0].dtype)
        x = F.conv2d(x, self.first[0], self.first[1])
        for index in range(0, len(self.downs), 2):
            x = F.conv2d(_relu_padded(x, 1), self.downs[index], self.downs[index + 1], stride=2)
        x = F.conv2d(_relu_padded(x, 1), self.split[0], self.split[1], stride=2)
        x = _relu_padded(x, 1)
        for index, block in enumerate(self.blocks):
            x = block(x, last=index == len(self.blocks) - 1)
        for index in range(0, len(self.ups), 2):
            x = F.conv_transpose2d(
                x, self.ups[index], self.ups[index + 1], stride=2, padding=1, output_padding=1
            )
            if index + 2 < len(self.ups):
                x = x.relu_()
        x = F.conv2d(_relu_padded(x, 3), self.final[0], self.final[1])
        if torch.compiler.is_compiling():
            prediction = x.float().sigmoid()
        else:
            prediction = torch.sigmoid(x, out=torch.empty_like(image))
        return torch.lerp(image, prediction, mask)
