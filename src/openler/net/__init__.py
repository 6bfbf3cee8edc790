"""Outbound HTTP for OpenLER, outside the pure core: the guarded fetcher."""

from openler.net.fetcher import SafeHttpFetcher, cache_seconds

__all__ = ["SafeHttpFetcher", "cache_seconds"]
