"""Metrics: GET /metrics in Prometheus' text format and the middleware timing every request by route.

The metrics themselves are defined in api.core.metrics, where any package may count. Imports only api.core.
"""

__all__ = ["exporter", "middleware", "router"]
