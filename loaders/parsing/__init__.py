"""Field parsers and the streaming table reader shared by the source readers."""
