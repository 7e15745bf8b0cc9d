"""Moving images between numpy and the LaMa tensor contract, on the model's device.

The conversion runs on the device itself (upload uint8, pad and normalise there, download
uint8): on a GPU this is several times cheaper than IOPaint's numpy padding and float copies.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np
import torch

from lamadesk.core.models.base import DeviceOutOfMemoryError

PAD_MULTIPLE = 8
"""LaMa downsamples three times, so both sides must be multiples of 8."""


def symmetric_pad(tensor: torch.Tensor, pad_bottom: int, pad_right: int) -> torch.Tensor:
    """Mirror the last rows/columns (edge included, like numpy's ``symmetric`` mode).

    This is how IOPaint pads, so results match it; repeated for images smaller than the pad.
    """
    while pad_bottom > 0:
        step = min(pad_bottom, tensor.shape[-2])
        tensor = torch.cat([tensor, tensor.flip(-2)[..., :step, :]], dim=-2)
        pad_bottom -= step
    while pad_right > 0:
        step = min(pad_right, tensor.shape[-1])
        tensor = torch.cat([tensor, tensor.flip(-1)[..., :step]], dim=-1)
        pad_right -= step
    return tensor


def padding_for(height: int, width: int) -> tuple[int, int]:
    """Rows and columns to add so both sides become multiples of `PAD_MULTIPLE`."""
    return -height % PAD_MULTIPLE, -width % PAD_MULTIPLE


def host_tensors(image: np.ndarray, mask: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """RGB uint8 `(H, W, 3)` and bool `(H, W)` as CPU tensors sharing their memory."""
    # Core images may be read-only views; torch wants writable, contiguous memory.
    return (
        torch.from_numpy(np.require(image, requirements=["C", "W"])),
        torch.from_numpy(np.require(mask, requirements=["C", "W"])),
    )


def prepare_inputs(image: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """uint8 `(H, W, 3)` and bool `(H, W)` tensors → padded floats `1×3×H'×W'`, `1×1×H'×W'`.

    Runs where the tensors are: on a GPU only the 8-bit image crosses the bus, and a CUDA
    graph or torch.compile can take these steps in with the model.
    """
    height, width = mask.shape
    pad_bottom, pad_right = padding_for(height, width)
    image_t = image.permute(2, 0, 1).unsqueeze(0).float().div_(255.0)
    mask_t = mask.view(1, 1, height, width).float()
    return (
        symmetric_pad(image_t, pad_bottom, pad_right),
        symmetric_pad(mask_t, pad_bottom, pad_right),
    )


def to_model_inputs(
    image: np.ndarray, mask: np.ndarray, device: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    """RGB uint8 `(H, W, 3)` and bool `(H, W)` → padded float tensors on `device`."""
    image_t, mask_t = host_tensors(image, mask)
    return prepare_inputs(image_t.to(device), mask_t.to(device))


def to_uint8_tensor(output: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Model output `1×3×H'×W'` in [0, 1] → uint8 `(height, width, 3)` on the same device."""
    pixels = output[0, :, :height, :width].float().clamp(0.0, 1.0).mul_(255.0).round_()
    return pixels.to(torch.uint8).permute(1, 2, 0).contiguous()


def to_uint8_image(output: torch.Tensor, height: int, width: int) -> np.ndarray:
    """Model output `1×3×H'×W'` in [0, 1] → RGB uint8 `(height, width, 3)` cropped back."""
    return to_uint8_tensor(output, height, width).cpu().numpy()


_TOO_LARGE_MESSAGES = ("can't allocate memory", "32-bit index math")
"""RuntimeErrors that mean "this input is too big for one pass here": crops will do."""


@contextlib.contextmanager
def out_of_memory_as_error(device: torch.device) -> Iterator[None]:
    """Turn torch's out-of-memory (and too-large-input) errors into `DeviceOutOfMemoryError`."""
    try:
        yield
    except torch.OutOfMemoryError as exc:
        raise DeviceOutOfMemoryError(str(device), str(exc).splitlines()[0]) from exc
    except RuntimeError as exc:
        if not any(message in str(exc) for message in _TOO_LARGE_MESSAGES):
            raise
        raise DeviceOutOfMemoryError(str(device), str(exc).splitlines()[0]) from exc


def check_free_memory(device: torch.device, needed_bytes: int) -> None:
    """Refuse a CUDA job that cannot fit before it starts, so the pipeline crops instead.

    Free memory is what the driver reports plus what PyTorch's cache holds unused.

    Raises:
        DeviceOutOfMemoryError: the estimate exceeds the free memory.
    """
    if device.type != "cuda":
        return
    free, _total = torch.cuda.mem_get_info(device)
    free += torch.cuda.memory_reserved(device) - torch.cuda.memory_allocated(device)
    if needed_bytes > free:
        raise DeviceOutOfMemoryError(
            str(device),
            f"needs about {needed_bytes / 2**30:.1f} GiB, {free / 2**30:.1f} GiB free",
        )
