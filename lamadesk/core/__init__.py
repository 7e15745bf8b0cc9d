"""The Qt-free engine: image I/O, masks, inpainting, model store and device diagnostics."""
