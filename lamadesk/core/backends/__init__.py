"""Inpainting backends behind one small interface (`base.InpaintBackend`)."""
