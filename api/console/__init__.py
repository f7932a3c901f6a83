"""Console: the agents' side of handoffs: the JSON routes, the live queue (stream) and the pages.

Imports api.core, api.compliance, api.handoffs and api.staff.
"""

__all__ = ["pages_router", "router", "stream_router"]
