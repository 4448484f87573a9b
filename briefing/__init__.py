"""briefing: a static site generator for annotated diplomatic news archives."""

__version__ = "0.1.0"
