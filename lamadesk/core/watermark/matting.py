"""The mark's opacity α (per pixel) and colour W (one colour), from the lined-up batch.

Model: each picture shows `J = α·W + (1 - α)·I`. For the right α and W, undoing the blend,
`I = (J - α·W) / (1 - α)`, leaves no trace of the mark's outline in any picture; for a wrong
pair the outline stays, with a strength that depends on each picture's own colours. So α
and W are found together by minimising, over every picture of the batch at once, a robust
norm of the un-blended pictures' gradients, each weighted by `(1 - α)` so that a larger α
gets no penalty merely for amplifying the photo's texture inside the mark. A small total
variation on α keeps it flat where the pictures say nothing (inside wide strokes).

A single colour W covers the usual case (white or black text and logos); where a mark has
several colours the fit explains them badly and `removal` sends those pixels to inpainting.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import cv2
import numpy as np

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

MAX_ALPHA = 0.97
MIN_ALPHA = 0.01
"""Fitted opacities below this (under 3 grey levels of change) are taken as no mark at all."""
_STEPS = 120
_LEARNING_RATE = 0.1
_SMOOTHNESS = 10.0
"""Weight of α's total variation per picture and channel, in grey levels per unit of α."""
_CHARBONNIER = 1.0


@dataclass(frozen=True, eq=False)
class Matte:
    """The mark's opacity and colour in its template coordinates."""

    alpha: np.ndarray = field(repr=False)
    """(h, w) float32 in [0, MAX_ALPHA], 0 outside the mark's reach."""
    colour: tuple[float, float, float]


def estimate_matte(
    crops: Sequence[np.ndarray], mask: np.ndarray, rebuilt: np.ndarray, reach: int = 2
) -> Matte:
    """Fit α and W to lined-up crops.

    Args:
        crops: per picture, the (h, w, 3) float32 crop with the mark at the same place.
        mask: (h, w) bool, the mark's pixels; α may be non-zero up to `reach` pixels beyond.
        rebuilt: the Poisson-rebuilt mark (h, w, 3), only to start the fit near the answer.
        reach: pixels around the mask where α may still be non-zero (faint rims).
    """
    import torch

    region = cv2.dilate(mask.astype(np.uint8), np.ones((2 * reach + 1,) * 2, np.uint8)) > 0
    stack = torch.from_numpy(np.stack(crops).astype(np.float32)).permute(0, 3, 1, 2)
    inside = torch.from_numpy(region)[None, None].float()
    start_alpha, start_colour = _starting_point(crops, mask, rebuilt)
    logits = torch.logit(torch.from_numpy(start_alpha / MAX_ALPHA).clamp(1e-3, 1 - 1e-3))
    logits = logits[None, None].clone().requires_grad_(True)
    colour_logits = torch.logit(torch.tensor(start_colour / 255.0).clamp(1e-3, 1 - 1e-3))
    colour_logits = colour_logits.view(1, 3, 1, 1).clone().requires_grad_(True)
    optimiser = torch.optim.Adam([logits, colour_logits], lr=_LEARNING_RATE)
    weight = _SMOOTHNESS * len(crops) * 3
    for _ in range(_STEPS):
        optimiser.zero_grad()
        alpha = MAX_ALPHA * torch.sigmoid(logits) * inside
        colour = 255.0 * torch.sigmoid(colour_logits)
        loss = _outline_energy(stack, alpha, colour) + weight * _total_variation(alpha)
        loss.backward()
        optimiser.step()
    with torch.no_grad():
        alpha = MAX_ALPHA * torch.sigmoid(logits) * inside
        colour = 255.0 * torch.sigmoid(colour_logits)
    fitted = alpha[0, 0].numpy().astype(np.float32)
    fitted[fitted < MIN_ALPHA] = 0.0
    values = tuple(float(value) for value in colour.flatten())
    log.info("matte: colour %s, peak alpha %.2f", values, float(alpha.max()))
    return Matte(fitted, values)  # type: ignore[arg-type]


def _starting_point(
    crops: Sequence[np.ndarray], mask: np.ndarray, rebuilt: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """α at half opacity shaped like the rebuilt mark; W from the mark's direction."""
    strength = np.abs(rebuilt).max(axis=2)
    plateau = float(np.percentile(strength[mask], 90)) if mask.any() else 1.0
    alpha = 0.5 * np.clip(strength / max(plateau, 1e-3), 0.0, 1.0) * mask
    typical = np.median(np.stack([crop[~mask] for crop in crops]).reshape(-1, 3), axis=0)
    offset = np.median(rebuilt[mask], axis=0) if mask.any() else np.zeros(3)
    colour = np.clip(typical + offset / 0.5, 1.0, 254.0)
    return alpha.astype(np.float32), colour.astype(np.float32)


def _outline_energy(stack: torch.Tensor, alpha: torch.Tensor, colour: torch.Tensor) -> torch.Tensor:
    """Σ over pictures, channels and pixel pairs of ρ((1 - mean α)·∇I), I un-blended."""
    import torch

    unblended = (stack - alpha * colour) / (1 - alpha)
    total = stack.new_zeros(())
    for dim in (2, 3):
        step = torch.diff(unblended, dim=dim)
        pairs = alpha.shape[dim] - 1
        keep = 1 - 0.5 * (alpha.narrow(dim, 1, pairs) + alpha.narrow(dim, 0, pairs))
        total = total + torch.sqrt((step * keep) ** 2 + _CHARBONNIER**2).sum()
    return total


def _total_variation(alpha: torch.Tensor) -> torch.Tensor:
    import torch

    return torch.diff(alpha, dim=2).abs().sum() + torch.diff(alpha, dim=3).abs().sum()
