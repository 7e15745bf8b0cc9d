"""The contiguous-memory (GPU) layout of native big-lama, checked on the CPU."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F  # noqa: N812 - the conventional name

from lamadesk.core.models.lama.backend import load_native_model
from lamadesk.core.models.lama.padded import PaddedLama, interior, reflect_fill


@pytest.mark.parametrize("pad", [1, 3])
def test_reflect_fill_equals_reflect_padding_of_the_interior(pad):
    x = torch.randn(2, 5, 9, 11)
    buffer = torch.full((2, 5, 9 + 2 * pad, 11 + 2 * pad), float("nan"))
    interior(buffer, pad).copy_(x)
    assert torch.equal(reflect_fill(buffer, pad), F.pad(x, (pad,) * 4, mode="reflect"))


def test_reflect_fill_refuses_an_interior_too_small_to_mirror():
    with pytest.raises(ValueError, match="reflect padding 3"):
        reflect_fill(torch.zeros(1, 1, 9, 9), 3)


@pytest.mark.parametrize(("batch", "height", "width"), [(1, 40, 56), (2, 32, 24)])
def test_padded_layout_computes_the_native_function(random_lama_path, batch, height, width):
    native = load_native_model(random_lama_path)
    padded = PaddedLama.from_native(native)
    generator = torch.Generator().manual_seed(height)
    image = torch.rand(batch, 3, height, width, generator=generator)
    mask = (torch.rand(batch, 1, height, width, generator=generator) > 0.6).float()
    with torch.inference_mode():
        expected, actual = native(image, mask), padded(image, mask)
    assert torch.allclose(actual, expected, atol=1e-5)
    outside = mask.expand_as(image) == 0
    assert torch.equal(actual[outside], image[outside])
