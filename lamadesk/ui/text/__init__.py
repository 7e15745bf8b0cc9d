"""Finding text (date stamps, captions) on the open image and across the batch."""
