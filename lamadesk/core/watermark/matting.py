"""The mark's opacity α (per pixel) and colour W (one colour), from the lined-up batch.

Model: each picture shows `J = α·W + (1 - α)·I`. For the right α and W, undoing the blend,
`I = (J - α·W) / (1 - α)`, leaves no trace of the mark's outline in any picture; for a wrong
pair the outline stays, with a strength that depends on each picture's own colours. So α
and W are found together by minimising, over every picture of the batch at once, a robust
norm of the un-blended pictures' gradients, each weighted by `(1 - α)` so that a larger α
gets no penalty merely for amplifying the photo's texture inside the mark. A small total
variation on α keeps it flat where the pictures say nothing (inside wide strokes).

W is fitted per pixel (kept smooth), so a coloured logo beside white lettering is fitted
too; what the fit still cannot explain, `removal` sends to inpainting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import cv2
import numpy as np

from lamadesk.core.cancel import CancelToken, ProgressCallback, ignore_progress

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
_COLOUR_SMOOTHNESS = 0.01
"""Weight of W's total variation per picture and channel (W in grey levels)."""
_CHARBONNIER = 1.0
_COLOUR_SPREAD = 60.0
"""Grey levels of colour variation in the rebuilt mark above which W is also fitted per pixel."""


@dataclass(frozen=True, eq=False)
class Matte:
    """The mark's opacity and colour in its template coordinates."""

    alpha: np.ndarray = field(repr=False)
    """(h, w) float32 in [0, MAX_ALPHA], 0 outside the mark's reach."""
    colour: np.ndarray = field(repr=False)
    """(h, w, 3) float32, 0..255: the mark's colour W at each pixel."""

    @property
    def main_colour(self) -> tuple[float, float, float]:
        """The colour averaged over the mark, weighted by opacity (for reports)."""
        weights = self.alpha[..., None]
        total = float(weights.sum())
        if total == 0:
            return (0.0, 0.0, 0.0)
        mean = (self.colour * weights).sum(axis=(0, 1)) / total
        return (float(mean[0]), float(mean[1]), float(mean[2]))


def estimate_matte(
    crops: Sequence[np.ndarray],
    mask: np.ndarray,
    rebuilt: np.ndarray,
    reach: int = 2,
    on_progress: ProgressCallback = ignore_progress,
    token: CancelToken | None = None,
) -> Matte:
    """Fit α and W to lined-up crops, with one colour and with a colour per pixel.

    One colour for the whole mark has few unknowns and settles firmly: the usual white or
    black mark. A colour per pixel (kept smooth) lets a logo and its lettering differ, but
    starts from the noisier rebuilt mark. Both are fitted; the one that leaves less of the
    mark's outline in the pictures wins (measured: one colour on white marks over real
    photos, 40-47 dB against 25-37 dB per pixel; per pixel on a red ring beside white
    text, 42 dB against 22 dB in the ring). The per-pixel fit is only tried when the rebuilt
    mark shows several colours, which saves its time on the usual one-colour mark.

    Args:
        crops: per picture, the (h, w, 3) float32 crop with the mark at the same place.
        mask: (h, w) bool, the mark's pixels; α may be non-zero up to `reach` pixels beyond.
        rebuilt: the Poisson-rebuilt mark (h, w, 3), only to start the fit near the answer.
        reach: pixels around the mask where α may still be non-zero (faint rims).
        on_progress: told the share of the fit done.
        token: checked every few steps; a cancel raises JobCancelled.

    Runs on one CPU thread: its tensors are small, and on a busy 2-core machine two
    threads made it ten times slower (measured: 2-3 s against 25-50 s).
    """
    import torch

    region = cv2.dilate(mask.astype(np.uint8), np.ones((2 * reach + 1,) * 2, np.uint8)) > 0
    stack = torch.from_numpy(np.stack(crops).astype(np.float32)).permute(0, 3, 1, 2)
    inside = torch.from_numpy(region)[None, None].float()
    start_alpha, per_pixel, overall = _starting_point(crops, mask, rebuilt)
    alpha_logits = _logit(torch.from_numpy(start_alpha / MAX_ALPHA))[None, None]
    starts = {"one colour": _logit(torch.from_numpy(overall / 255.0)).view(1, 3, 1, 1)}
    if _several_colours(start_alpha, per_pixel, overall):
        starts["per pixel"] = _logit(torch.from_numpy(per_pixel / 255.0)).permute(2, 0, 1)[None]
    pictures_and_channels = len(crops) * 3

    def fitted(alpha_logits: torch.Tensor, colour_logits: torch.Tensor) -> tuple:
        return MAX_ALPHA * torch.sigmoid(alpha_logits) * inside, 255 * torch.sigmoid(colour_logits)

    def loss(alpha_logits: torch.Tensor, colour_logits: torch.Tensor) -> torch.Tensor:
        alpha, colour = fitted(alpha_logits, colour_logits)
        total = _outline_energy(stack, alpha, colour)
        total = total + _SMOOTHNESS * pictures_and_channels * _total_variation(alpha)
        return total + _COLOUR_SMOOTHNESS * pictures_and_channels * _total_variation(colour)

    results = []
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        for position, (name, colour_logits) in enumerate(starts.items()):
            share = _progress_share(on_progress, position, len(starts))
            logits = _descend(loss, alpha_logits, colour_logits, share, token)
            with torch.no_grad():
                leftover = float(_outline_energy(stack, *fitted(*logits)))
            log.info("matte fit with %s leaves outline energy %.4g", name, leftover)
            results.append((leftover, logits))
    finally:
        torch.set_num_threads(threads)
    with torch.no_grad():
        alpha, colour = fitted(*min(results, key=lambda result: result[0])[1])
    alpha_map = alpha[0, 0].numpy().astype(np.float32)
    alpha_map[alpha_map < MIN_ALPHA] = 0.0
    colour_map = np.ascontiguousarray(
        colour[0].expand(3, *mask.shape).permute(1, 2, 0).numpy(), np.float32
    )
    matte = Matte(alpha_map, colour_map)
    log.info("matte: colour %s, peak alpha %.2f", matte.main_colour, float(alpha_map.max()))
    return matte


def _several_colours(alpha: np.ndarray, per_pixel: np.ndarray, overall: np.ndarray) -> bool:
    """Whether the rebuilt mark's colour varies more than its noise does.

    Measured on the starting colours over the mark's strong pixels: one-colour marks on
    real photos stay within 31 levels of their overall colour at the 90th percentile, a red
    ring beside white text reaches 190.
    """
    strong = alpha > 0.25
    if not strong.any():
        return False
    deviation = np.abs(per_pixel[strong] - overall).max(axis=1)
    return float(np.percentile(deviation, 90)) > _COLOUR_SPREAD


def _progress_share(on_progress: ProgressCallback, part: int, parts: int) -> ProgressCallback:
    """Report `part` of `parts` equal parts of the whole as its slice of 0..100."""

    def report(percent: int, message: str) -> None:
        on_progress((100 * part + percent) // parts, message)

    return report


def _logit(values: torch.Tensor) -> torch.Tensor:
    import torch

    return torch.logit(values.clamp(1e-3, 1 - 1e-3))


def _descend(
    loss: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    alpha_logits: torch.Tensor,
    colour_logits: torch.Tensor,
    on_progress: ProgressCallback,
    token: CancelToken | None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Adam on both sets of logits; returns them detached."""
    import torch

    alpha_logits = alpha_logits.detach().clone().requires_grad_(True)
    colour_logits = colour_logits.detach().clone().requires_grad_(True)
    optimiser = torch.optim.Adam([alpha_logits, colour_logits], lr=_LEARNING_RATE)
    for step in range(_STEPS):
        if step % 10 == 0:
            if token is not None:
                token.raise_if_cancelled()
            on_progress(100 * step // _STEPS, "Fitting the mark's opacity and colour")
        optimiser.zero_grad()
        loss(alpha_logits, colour_logits).backward()
        optimiser.step()
    return alpha_logits.detach(), colour_logits.detach()


def _starting_point(
    crops: Sequence[np.ndarray], mask: np.ndarray, rebuilt: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """α at half opacity shaped like the rebuilt mark; W per pixel and overall from it.

    The rebuilt mark is about α·(W - typical photo colour), so W ≈ typical + rebuilt / α where
    the mark is strong; elsewhere that colour is spread smoothly (normalised blur), falling
    back to the mark's median colour.
    """
    strength = np.abs(rebuilt).max(axis=2)
    plateau = float(np.percentile(strength[mask], 90)) if mask.any() else 1.0
    alpha = 0.5 * np.clip(strength / max(plateau, 1e-3), 0.0, 1.0) * mask
    typical = np.median(np.stack([crop[~mask] for crop in crops]).reshape(-1, 3), axis=0)
    overall = typical + (np.median(rebuilt[mask], axis=0) if mask.any() else 0.0) / 0.5
    strong = (alpha > 0.25).astype(np.float32)
    guess = (typical + rebuilt / np.maximum(alpha, 0.25)[..., None]) * strong[..., None]
    weights = cv2.GaussianBlur(strong, (0, 0), 3.0)[..., None]
    spread = cv2.GaussianBlur(guess.astype(np.float32), (0, 0), 3.0) / np.maximum(weights, 1e-6)
    colour = np.where(weights > 0.05, spread, overall)
    return (
        alpha.astype(np.float32),
        np.clip(colour, 1.0, 254.0).astype(np.float32),
        np.clip(overall, 1.0, 254.0).astype(np.float32),
    )


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
