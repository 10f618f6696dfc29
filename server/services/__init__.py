"""Use cases. One function each; the only layer that commits, and it rolls back on any error."""
