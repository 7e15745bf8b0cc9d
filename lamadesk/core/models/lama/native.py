"""Inference-only big-lama, built from the checkpoint's weights for speed.

Same function as the TorchScript file (and
:class:`~lamadesk.core.models.lama.architecture.ReferenceLama`) but restructured for inference:

* every BatchNorm (eval statistics) is folded into the convolution before it, so a layer is one
  convolution plus an in-place ReLU;
* local and global branches stay separate tensors through the residual blocks and are joined
  once, before the decoder: channel slices of a joined tensor are non-dense views in
  channels-last memory, and every convolution would copy them;
* 1x1 convolutions, the Fourier unit's channel mix included, are batched matrix products on
  NCHW tensors (no cuDNN layout round trips); the FFTs run over the innermost dimensions and
  always in float32 with autocast off: cuFFT half precision only takes power-of-two sizes, and
  the spectrum's range suits float32.

Works with contiguous or ``channels_last`` inputs and modules, in float32 or with the whole
module converted to float16/bfloat16 (``model.to(dtype)``): inputs and outputs stay float32.
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
import torch.nn.functional as F  # noqa: N812 - the conventional name
from torch import Tensor, nn

from lamadesk.core.models.lama.architecture import (
    DOWNSAMPLINGS,
    GENERATOR_PREFIX,
    RESIDUAL_BLOCKS,
    composite_prediction,
)

BN_EPS = 1e-5
"""BatchNorm epsilon of big-lama (PyTorch's default); it lives in code, not in the weights."""

_FIRST_BLOCK = 2 + DOWNSAMPLINGS
"""Index in ``generator.model`` of the first residual block."""
_FIRST_UP = _FIRST_BLOCK + RESIDUAL_BLOCKS + 1
_FINAL_CONV = _FIRST_UP + 3 * DOWNSAMPLINGS + 1


def _frozen(tensor: Tensor) -> nn.Parameter:
    return nn.Parameter(tensor.detach().to(torch.float32).contiguous(), requires_grad=False)


class _Weights:
    """Reads generator tensors by their name under ``generator.model`` and folds BatchNorms."""

    def __init__(self, state_dict: Mapping[str, Tensor]) -> None:
        self._state_dict = state_dict

    def has(self, name: str) -> bool:
        return f"{GENERATOR_PREFIX}model.{name}" in self._state_dict

    def get(self, name: str) -> Tensor:
        return self._state_dict[f"{GENERATOR_PREFIX}model.{name}"].detach().to("cpu", torch.float64)

    def bn(self, name: str) -> tuple[Tensor, Tensor]:
        """Scale and shift that an eval-mode BatchNorm applies per channel."""
        scale = self.get(f"{name}.weight") / torch.sqrt(self.get(f"{name}.running_var") + BN_EPS)
        shift = self.get(f"{name}.bias") - self.get(f"{name}.running_mean") * scale
        return scale, shift


def _scaled(weight: Tensor, scale: Tensor, dim: int = 0) -> Tensor:
    shape = [1] * weight.dim()
    shape[dim] = -1
    return weight * scale.reshape(shape)


class _Conv(nn.Module):
    """Reflect padding, convolution with folded BatchNorm, optional in-place ReLU."""

    def __init__(self, weight: Tensor, bias: Tensor, pad: int, stride: int, relu: bool) -> None:
        super().__init__()
        self.weight = _frozen(weight)
        self.bias = _frozen(bias)
        self.pad = pad
        self.stride = stride
        self.relu = relu

    def forward(self, x: Tensor) -> Tensor:
        if self.pad:
            x = F.pad(x, (self.pad,) * 4, mode="reflect")
        x = F.conv2d(x, self.weight, self.bias, self.stride)
        return x.relu_() if self.relu else x


class _UpConv(nn.Module):
    """Transposed convolution (x2) with folded BatchNorm and ReLU."""

    def __init__(self, weights: _Weights, index: int) -> None:
        super().__init__()
        scale, shift = weights.bn(str(index + 1))
        # ConvTranspose2d weights are (in, out, kh, kw): BatchNorm scales dim 1.
        self.weight = _frozen(_scaled(weights.get(f"{index}.weight"), scale, dim=1))
        self.bias = _frozen(weights.get(f"{index}.bias") * scale + shift)

    def forward(self, x: Tensor) -> Tensor:
        x = F.conv_transpose2d(x, self.weight, self.bias, stride=2, padding=1, output_padding=1)
        return x.relu_()


Branches = tuple[Tensor, Tensor]
"""(local, global) feature maps, kept apart: slicing one joined tensor by channels would make
non-dense views that every convolution copies (expensive in channels-last)."""


class _Ffc(nn.Module):
    """One FFC + BatchNorm + ReLU of a residual block, on separate local and global tensors."""

    def __init__(self, weights: _Weights, name: str) -> None:
        super().__init__()
        ffc = f"{name}.ffc"
        scale_l, shift_l = weights.bn(f"{name}.bn_l")
        scale_g, shift_g = weights.bn(f"{name}.bn_g")
        self.l2l_weight = _frozen(_scaled(weights.get(f"{ffc}.convl2l.weight"), scale_l))
        self.g2l_weight = _frozen(_scaled(weights.get(f"{ffc}.convg2l.weight"), scale_l))
        self.local_bias = _frozen(shift_l)
        self.l2g_weight = _frozen(_scaled(weights.get(f"{ffc}.convl2g.weight"), scale_g))

        st = f"{ffc}.convg2g"
        scale_1, shift_1 = weights.bn(f"{st}.conv1.1")
        self.st1_weight = _frozen(_scaled(weights.get(f"{st}.conv1.0.weight"), scale_1))
        self.st1_bias = _frozen(shift_1)
        scale_fu, shift_fu = weights.bn(f"{st}.fu.bn")
        fu_weight = weights.get(f"{st}.fu.conv_layer.weight").flatten(1)
        self.fu_weight = _frozen(_scaled(fu_weight, scale_fu))
        self.fu_bias = _frozen(shift_fu)
        self.st2_weight = _frozen(_scaled(weights.get(f"{st}.conv2.weight"), scale_g))
        self.global_bias = _frozen(shift_g)

    def forward(self, x: Branches) -> Branches:
        x_l, x_g = x
        padded_l = F.pad(x_l, (1, 1, 1, 1), mode="reflect")
        padded_g = F.pad(x_g, (1, 1, 1, 1), mode="reflect")
        out_l = F.conv2d(padded_l, self.l2l_weight, self.local_bias)
        out_l = out_l.add_(F.conv2d(padded_g, self.g2l_weight)).relu_()
        hidden = _pointwise(x_g, self.st1_weight, self.st1_bias).relu_()
        spectral = hidden + self._fourier(hidden)
        out_g = _pointwise(spectral, self.st2_weight, self.global_bias)
        out_g = out_g.add_(F.conv2d(padded_l, self.l2g_weight)).relu_()
        return out_l, out_g

    def _fourier(self, x: Tensor) -> Tensor:
        """Fourier unit: rfft2, 1x1 mix of interleaved (re, im) channels, ReLU, irfft2.

        The transforms run in float32 whatever the model's precision (cuFFT half precision
        only takes power-of-two sizes) over the two innermost dimensions, cuFFT's fast case;
        the channel mix is one matrix product in the model's precision. Only the small
        spectrum is reordered (twice), never the full-size feature map.
        """
        batch, channels, height, width = x.shape
        with torch.autocast(device_type=x.device.type, enabled=False):
            spectrum = torch.fft.rfftn(x.float().contiguous(), dim=(-2, -1), norm="ortho")
            # (b, c, h, w', 2) -> (b, c, 2, h, w'): row 2k + part, the checkpoint's order.
            parts = torch.view_as_real(spectrum).permute(0, 1, 4, 2, 3)
            stacked = parts.reshape(batch, 2 * channels, -1).to(self.fu_weight.dtype)
            mixed = torch.baddbmm(
                self.fu_bias.view(1, -1, 1), self.fu_weight.expand(batch, -1, -1), stacked
            ).relu_()
            pairs = mixed.float().view(batch, channels, 2, height, -1).permute(0, 1, 3, 4, 2)
            spectrum = torch.view_as_complex(pairs.contiguous())
            out = torch.fft.irfftn(spectrum, s=(height, width), dim=(-2, -1), norm="ortho")
        return out.to(x.dtype)


def _pointwise(x: Tensor, weight: Tensor, bias: Tensor) -> Tensor:
    """A 1x1 convolution; on contiguous (NCHW) input a plain batched matrix product.

    cuDNN runs half-precision NCHW convolutions through NHWC copies of input and output; the
    matrix product reads the feature map where it lies.
    """
    if not x.is_contiguous():
        return F.conv2d(x, weight, bias)
    batch, channels, height, width = x.shape
    matrix = weight.view(weight.shape[0], channels).expand(batch, -1, -1)
    out = torch.baddbmm(bias.view(1, -1, 1), matrix, x.view(batch, channels, -1))
    return out.view(batch, -1, height, width)


class _ResBlock(nn.Module):
    def __init__(self, weights: _Weights, index: int) -> None:
        super().__init__()
        self.conv1 = _Ffc(weights, f"{index}.conv1")
        self.conv2 = _Ffc(weights, f"{index}.conv2")

    def forward(self, x: Branches) -> Branches:
        out_l, out_g = self.conv2(self.conv1(x))
        return x[0] + out_l, x[1] + out_g


def _down_conv(weights: _Weights, index: int, pad: int, stride: int, branch: str) -> _Conv:
    """An encoder convolution; ``branch`` "l" or "g" picks the FFC output it computes."""
    ffc = f"{index}.ffc"
    weight = weights.get(f"{ffc}.conv{'l2l' if branch == 'l' else 'l2g'}.weight")
    scale, shift = weights.bn(f"{index}.bn_{branch}")
    return _Conv(_scaled(weight, scale), shift, pad, stride, relu=True)


class _Generator(nn.Module):
    def __init__(self, weights: _Weights) -> None:
        super().__init__()
        self.encoder = nn.Sequential(
            _down_conv(weights, 1, pad=3, stride=1, branch="l"),
            *(
                _down_conv(weights, 2 + i, pad=1, stride=2, branch="l")
                for i in range(DOWNSAMPLINGS - 1)
            ),
        )
        # The last downsampling splits into local and global outputs of the same input.
        last = 1 + DOWNSAMPLINGS
        self.to_local = _down_conv(weights, last, pad=1, stride=2, branch="l")
        self.to_global = _down_conv(weights, last, pad=1, stride=2, branch="g")
        self.blocks = nn.Sequential(
            *(_ResBlock(weights, _FIRST_BLOCK + i) for i in range(RESIDUAL_BLOCKS))
        )
        self.decoder = nn.Sequential(
            *(_UpConv(weights, _FIRST_UP + 3 * i) for i in range(DOWNSAMPLINGS)),
            _Conv(
                weights.get(f"{_FINAL_CONV}.weight"),
                weights.get(f"{_FINAL_CONV}.bias"),
                pad=3,
                stride=1,
                relu=False,
            ),
        )

    def forward(self, x: Tensor) -> Tensor:
        """Runs in the parameters' dtype; returns float32 so compositing stays exact."""
        features = self.encoder(x.to(self.to_local.weight.dtype))
        x_l, x_g = self.blocks((self.to_local(features), self.to_global(features)))
        return torch.sigmoid(self.decoder(torch.cat((x_l, x_g), dim=1))).float()


class NativeLama(nn.Module):
    """big-lama for inference: ``forward(image, mask)`` with the TorchScript file's contract.

    ``image`` is ``(N, 3, H, W)`` float in [0, 1], ``mask`` ``(N, 1, H, W)`` float in {0, 1}
    (1 = fill), H and W multiples of 8 (callers pad); returns the composited ``(N, 3, H, W)``.
    Build it with :meth:`from_state_dict`; it is in eval mode with frozen parameters.
    """

    def __init__(self, generator: _Generator) -> None:
        super().__init__()
        self.generator = generator
        self.eval()

    @classmethod
    def from_state_dict(cls, state_dict: Mapping[str, Tensor]) -> NativeLama:
        """Fold a big-lama ``state_dict`` into the inference layout (float32, on the CPU).

        Args:
            state_dict: Checkpoint weights keyed as in ``big-lama.pt`` (``model.generator...``),
                as returned by the loaders of :mod:`lamadesk.core.models.lama.weights`, which
                check them.

        Returns:
            The model; move it with ``.to(device)`` (and ``memory_format=torch.channels_last``).
        """
        with torch.no_grad():
            return cls(_Generator(_Weights(state_dict)))

    def forward(self, image: Tensor, mask: Tensor) -> Tensor:
        return composite_prediction(self.generator, image, mask)
