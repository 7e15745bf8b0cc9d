"""The settings: typed preferences store and the settings window with its tabs."""
