"""The FramePack model set's weights: where they live (layout, locate), how they are fetched
(hub, resumable, cli, inventory), loaded onto the device (loader), and a tiny test set (tiny)."""
