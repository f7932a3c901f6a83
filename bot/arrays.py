"""The array type the components pass around: embeddings (float32), scores, weights and labels."""

from typing import Any

import numpy.typing as npt

Array = npt.NDArray[Any]
"""A numpy array; its dtype and shape are named where it is declared (e.g. `(n, 384) float32`)."""
