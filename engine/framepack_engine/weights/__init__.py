"""The FramePack model set: layout (layout), loading (loader) and a tiny test set (tiny)."""
