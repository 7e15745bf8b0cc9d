"""Development code: test-model maker and synthetic samples for tests and benchmarks.

Not part of the product: ``lamadesk`` never imports it (``tests/test_import_graph.py``).
"""
