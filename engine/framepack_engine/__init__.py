"""FramePack engine: one process per GPU that executes fully specified generation plans."""

__version__ = "0.1.0"
