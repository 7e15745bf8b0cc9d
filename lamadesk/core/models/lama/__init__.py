"""The LaMa (big-lama) model: reference architecture, weight loading and fast native inference.

Modules here import torch at module top; everything outside this package imports them lazily
so that ``import lamadesk`` stays cheap. This ``__init__`` imports nothing on purpose.
"""
