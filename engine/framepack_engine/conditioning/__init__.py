"""Conditioning inputs for the transformer: prompt embeddings (text) and image inputs (image)."""
