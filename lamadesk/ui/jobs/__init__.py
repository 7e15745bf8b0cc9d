"""Running blocking core work off the GUI thread (STYLE §3)."""
