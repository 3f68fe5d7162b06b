"""Understanding: what a text is about (language, entities, kind, story, signatures)."""
