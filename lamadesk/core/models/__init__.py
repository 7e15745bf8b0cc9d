"""Models behind one small interface (`base.InpaintBackend`), one folder per model."""
