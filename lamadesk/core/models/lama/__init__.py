"""The LaMa (big-lama) model: reference architecture, weight loading and fast native inference.

The modules that run the network import torch at module top; everything outside this package
imports them lazily so that ``import lamadesk`` stays cheap. ``opening``, ``spec`` and
``random_weights`` import no torch: the registry and the CLI import them directly. This
``__init__`` imports nothing on purpose.
"""
