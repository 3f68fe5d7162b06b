"""Tribune: a newswire for a network of political organisations."""

__version__ = "0.1.0"
