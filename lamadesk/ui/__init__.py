"""The PySide6 desktop app; imports the core, never the other way round."""
