# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""C loops of retrieval and the pre-score (see :mod:`sanctions_ledger.match.kernels`, which
holds the numpy versions they replace and picks these when they were compiled).

Each works on a few hundred to a few thousand array elements per query: as numpy calls,
the fixed cost of each call outweighed the work. Sums are taken in double precision in a
set order.

The scratch arrays (one slot per name or per token) are shared by every thread of the
process: each function allocates what it returns first, then uses the scratch arrays in
pure C loops that neither release the GIL nor make a Python object (which could run the
garbage collector, and Python code with it), and leaves them as it found them before it
calls Python again. No other thread can run in between."""

from libc.math cimport pow
from libc.stdint cimport int32_t, int64_t

import numpy as np


def accumulate(const int32_t[::1] post_flat, const int64_t[::1] post_off,
               const int64_t[::1] tids, const double[::1] weights, const int64_t[::1] ranks,
               int64_t n_ranks, double[::1] best, double[::1] total):
    """``best`` and ``total``: one slot per name, all -1.0, left so."""
    cdef Py_ssize_t n_entries = tids.shape[0], e, p, j, n_group, n_found = 0, n_post = 0
    cdef int64_t rank, nid
    cdef double w
    for e in range(n_entries):
        n_post += post_off[tids[e] + 1] - post_off[tids[e]]
    found_arr = np.empty(n_post, dtype=np.int64)
    group_arr = np.empty(n_post, dtype=np.int64)
    score_arr = np.empty(n_post, dtype=np.float64)
    cdef int64_t[::1] found = found_arr
    cdef int64_t[::1] group = group_arr
    cdef double[::1] score = score_arr
    # From here to the end of the loop below: C only (see the module docs).
    for rank in range(n_ranks):
        n_group = 0
        for e in range(n_entries):
            if ranks[e] != rank:
                continue
            w = weights[e]
            for p in range(post_off[tids[e]], post_off[tids[e] + 1]):
                nid = post_flat[p]
                if best[nid] < 0.0:
                    best[nid] = w
                    group[n_group] = nid
                    n_group += 1
                elif w > best[nid]:
                    best[nid] = w
        for j in range(n_group):
            nid = group[j]
            if total[nid] < 0.0:
                total[nid] = best[nid]
                found[n_found] = nid
                n_found += 1
            else:
                total[nid] += best[nid]
            best[nid] = -1.0
    for j in range(n_found):
        score[j] = total[found[j]]
        total[found[j]] = -1.0
    order = found_arr[:n_found].argsort()
    return found_arr.take(order), score_arr.take(order)


def best_entries(const int32_t[::1] flat, const int64_t[::1] offsets, const int64_t[::1] nids,
                 const int64_t[::1] tids, const double[::1] weights, double[::1] lut):
    """``lut``: one slot per token, all 0.0, left so."""
    cdef Py_ssize_t n = nids.shape[0], i, p
    cdef double w, top
    best_arr = np.empty(n, dtype=np.float64)
    cdef double[::1] best = best_arr
    # C only from here (see the module docs).
    for i in range(tids.shape[0]):
        lut[tids[i]] = weights[i]
    for i in range(n):
        top = 0.0
        for p in range(offsets[nids[i]], offsets[nids[i] + 1]):
            w = lut[flat[p]]
            if w > top:
                top = w
        best[i] = top
    for i in range(tids.shape[0]):
        lut[tids[i]] = 0.0
    return best_arr


def name_tokens(const int32_t[::1] flat, const int64_t[::1] offsets, const int64_t[::1] nids,
                int64_t[::1] slots):
    """``slots``: one per token, any content."""
    cdef Py_ssize_t n = nids.shape[0], i, p, q = 0, n_pos = 0, n_uniq = 0
    cdef int64_t t
    for i in range(n):
        n_pos += offsets[nids[i] + 1] - offsets[nids[i]]
    idx_arr = np.empty(n_pos, dtype=np.int64)
    inverse_arr = np.empty(n_pos, dtype=np.int64)
    off_arr = np.empty(n + 1, dtype=np.int64)
    uniq_arr = np.empty(n_pos, dtype=np.int64)
    cdef int64_t[::1] idx = idx_arr
    cdef int64_t[::1] inverse = inverse_arr
    cdef int64_t[::1] off = off_arr
    cdef int64_t[::1] uniq = uniq_arr
    # C only from here to the return (see the module docs).
    for i in range(n):
        off[i] = q
        for p in range(offsets[nids[i]], offsets[nids[i] + 1]):
            t = flat[p]
            idx[q] = t
            slots[t] = -1
            q += 1
    off[n] = q
    for p in range(n_pos):
        t = idx[p]
        if slots[t] < 0:
            slots[t] = n_uniq
            uniq[n_uniq] = t
            n_uniq += 1
        inverse[p] = slots[t]
    return idx_arr, uniq_arr[:n_uniq], inverse_arr, off_arr


def coverage(float[:, ::1] sim, const int32_t[:, ::1] qkeys, const int32_t[:, ::1] keys,
             const float[::1] key_values, const int32_t[:, ::1] qnat, float nat_value,
             const int64_t[::1] uniq, const int64_t[::1] inverse,
             const int64_t[::1] idx, const int64_t[::1] off, const float[::1] wq,
             const float[::1] wtok, float floor):
    cdef Py_ssize_t nq = sim.shape[0], nu = sim.shape[1], nk = keys.shape[0]
    cdef Py_ssize_t na = qnat.shape[1], n = off.shape[0] - 1, i, u, k, p, m, a
    cdef int64_t t
    cdef int32_t kt
    cdef float s, v, col, tw
    cdef double wq_sum = 0.0, cov_q, cov_c, num, den
    best_q_arr = np.empty(nq, dtype=np.float32)
    cdef float[::1] best_q = best_q_arr
    for u in range(nu):
        t = uniq[u]
        for i in range(nq):
            s = sim[i, u]
            for k in range(nk):
                v = key_values[k]
                if v > s and qkeys[k, i] == keys[k, t]:
                    s = v
            if nat_value > s:
                kt = keys[0, t]
                for a in range(na):
                    if qnat[i, a] == kt:
                        s = nat_value
                        break
            sim[i, u] = s if s >= floor else 0.0
    for i in range(nq):
        wq_sum += wq[i]
    if wq_sum < 1e-9:
        wq_sum = 1e-9
    result_arr = np.zeros(n, dtype=np.float64)
    cdef double[::1] result = result_arr
    for m in range(n):
        if off[m] == off[m + 1]:
            continue
        for i in range(nq):
            best_q[i] = 0.0
        num = 0.0
        den = 0.0
        for p in range(off[m], off[m + 1]):
            u = inverse[p]
            col = 0.0
            for i in range(nq):
                s = sim[i, u]
                if s > best_q[i]:
                    best_q[i] = s
                if s > col:
                    col = s
            tw = wtok[idx[p]]
            num += <double>col * tw
            den += tw
        cov_q = 0.0
        for i in range(nq):
            cov_q += <double>wq[i] * best_q[i]
        cov_q = min(cov_q / wq_sum, 1.0)
        cov_c = min(num / (den if den > 1e-9 else 1e-9), 1.0)
        result[m] = pow(cov_q, 0.55) * pow(cov_c, 0.45)
    return result_arr


def top_names(const int64_t[::1] nids, const double[::1] scores, double share, Py_ssize_t limit):
    """No scratch arrays: ``pos`` is the call's own."""
    cdef Py_ssize_t n = nids.shape[0], i, j, lo, hi, mid, n_top = 0
    cdef double top = -1.0, floor, s
    if limit < 1:
        return np.empty(0, dtype=np.int64)
    for i in range(n):
        if scores[i] > top:
            top = scores[i]
    floor = top * share
    out_arr = np.empty(min(n, limit), dtype=np.int64)
    pos_arr = np.empty(min(n, limit), dtype=np.int64)
    cdef int64_t[::1] out = out_arr
    cdef int64_t[::1] pos = pos_arr
    # C only from here. ``pos`` holds the positions of the best ``n_top`` names so far,
    # best first; a name goes after those of its weight (nids are sorted: lowest id first).
    for i in range(n):
        s = scores[i]
        if s < floor or (n_top == limit and s <= scores[pos[n_top - 1]]):
            continue
        lo = 0
        hi = n_top
        while lo < hi:
            mid = (lo + hi) >> 1
            if scores[pos[mid]] >= s:
                lo = mid + 1
            else:
                hi = mid
        j = n_top if n_top < limit else limit - 1
        while j > lo:
            pos[j] = pos[j - 1]
            j -= 1
        pos[lo] = i
        if n_top < limit:
            n_top += 1
    for i in range(n_top):
        out[i] = nids[pos[i]]
    return out_arr[:n_top]
