"""The inpainting models in the UI: download/import, the loaded engine, compiling, watching."""
