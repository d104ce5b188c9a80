"""Audience filters for routers."""
