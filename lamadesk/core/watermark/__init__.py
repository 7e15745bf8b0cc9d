"""Finding the watermark a batch of pictures shares, and lifting it off (Dekel et al. 2017)."""
