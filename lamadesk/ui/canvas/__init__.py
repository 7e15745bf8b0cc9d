"""The editing canvas: the document, its mask editing, undo commands and the view."""
