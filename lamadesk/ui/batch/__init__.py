"""The batch: file list, batch runs and their progress, thumbnails, the shared-watermark flow."""
