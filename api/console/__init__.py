"""Console: the agents' side of handoffs (the JSON routes, the live queue (stream) and the pages), and
marketing's response editor (pages over api.responses' routes) and experiment pages.

Imports api.core, api.compliance, api.handoffs, api.responses, api.experiments and api.staff.
"""

__all__ = ["experiments_router", "pages_router", "router", "stream_router"]
