"""Case notes: versioned, soft-deleted, threaded, shared per the doctrine's three visibilities."""
