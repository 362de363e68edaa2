"""The caller's own profile: who the token says I am, and my agent record."""
