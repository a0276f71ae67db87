"""Types of the compiled loops in ``_kernels.pyx`` (see :mod:`sanctions_ledger.match.kernels`)."""

import numpy as np

def accumulate(
    post_flat: np.ndarray, post_off: np.ndarray, tids: np.ndarray, weights: np.ndarray,
    ranks: np.ndarray, n_ranks: int, best: np.ndarray, total: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]: ...
def best_entries(
    flat: np.ndarray, offsets: np.ndarray, nids: np.ndarray, tids: np.ndarray,
    weights: np.ndarray, lut: np.ndarray,
) -> np.ndarray: ...
def name_tokens(
    flat: np.ndarray, offsets: np.ndarray, nids: np.ndarray, slots: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]: ...
def coverage(
    sim: np.ndarray, qkeys: np.ndarray, keys: np.ndarray, key_values: np.ndarray,
    qnat: np.ndarray, nat_value: float, uniq: np.ndarray, inverse: np.ndarray, idx: np.ndarray,
    off: np.ndarray, wq: np.ndarray, wtok: np.ndarray, floor: float,
) -> np.ndarray: ...
def top_names(nids: np.ndarray, scores: np.ndarray, share: float, limit: int) -> np.ndarray: ...
