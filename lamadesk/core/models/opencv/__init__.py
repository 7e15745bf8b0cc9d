"""OpenCV's classical inpainting: no weights, no torch."""
