"""lamadesk: a desktop watermark and object remover built on LaMa.

Importing the package is cheap on purpose: torch and Qt load only when a command or the
app actually needs them.
"""

__version__ = "0.1.0"
