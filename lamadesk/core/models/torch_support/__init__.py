"""Model-agnostic torch helpers: CUDA graphs, torch.compile support and warm-up, peak memory.

Shared by every torch model (today LaMa), so that no model folder imports another.
"""
