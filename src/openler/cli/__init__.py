"""The `openler` command line."""
