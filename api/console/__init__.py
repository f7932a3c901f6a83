"""Console: the agents' side of handoffs (the JSON routes, the live queue (stream) and the pages), and
marketing's response editor (pages over api.responses' routes).

Imports api.core, api.compliance, api.handoffs, api.responses and api.staff.
"""

__all__ = ["pages_router", "router", "stream_router"]
