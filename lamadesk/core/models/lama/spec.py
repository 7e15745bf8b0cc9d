"""Where big-lama's weights come from and how the store recognises the right file."""

from __future__ import annotations

from lamadesk.core.models.spec import ModelContent, ModelSpec

MODEL_URL_ENV = "LAMADESK_MODEL_URL"
"""Environment variable that replaces the whole download URL of the ``lama`` model (mirrors)."""


LAMA = ModelSpec(
    name="lama",
    filename="big-lama.pt",
    url="https://github.com/Sanster/models/releases/download/add_big_lama/big-lama.pt",
    md5="e3aa4aaa15225a33ec84f9f4bc47e500",
    size_bytes=205_669_692,
    description="Big LaMa inpainting model (TorchScript, 196 MiB)",
    url_env=MODEL_URL_ENV,
    content=ModelContent.BIG_LAMA,
)
