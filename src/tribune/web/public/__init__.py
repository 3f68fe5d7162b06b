"""Reader pages: they work without JavaScript and are cached per site generation."""
