#!/usr/bin/env python3
# Issue 17's side-by-side reference (Debian: apt-get install python3-pandas python3-scipy):
#   /usr/bin/python3 bench/pandasDataPath.py /tmp/s10m/ratings.csv
# against `alsrec bench --phases --data /tmp/s10m` (read -> split, transpose).
# The pandas + numpy reference on a MovieLens-layout ratings.csv: read_csv, ids to dense
# indices (unique/factorize), CSR, its transpose, temporal leave-last-out (per user the greatest
# timestamp, ties to the larger item). Prints seconds per step and in all.
import sys, time
import numpy as np, pandas as pd, scipy.sparse as sp
path = sys.argv[1]
t0 = time.perf_counter()
df = pd.read_csv(path, dtype={'userId': np.int32, 'movieId': np.int32, 'rating': np.float32, 'timestamp': np.float64})
t1 = time.perf_counter()
u_codes, u_ids = pd.factorize(df['userId'], sort=True)
i_codes, i_ids = pd.factorize(df['movieId'], sort=True)
t2 = time.perf_counter()
m = sp.csr_matrix((df['rating'].to_numpy(), (u_codes, i_codes)), shape=(len(u_ids), len(i_ids)))
m.sum_duplicates()
t3 = time.perf_counter()
mt = m.T.tocsr()
t4 = time.perf_counter()
order = np.lexsort((i_codes, df['timestamp'].to_numpy(), u_codes))  # by user, then time, then item
last = np.r_[np.nonzero(np.diff(u_codes[order]))[0], len(order) - 1]
counts = np.bincount(u_codes, minlength=len(u_ids))
held = order[last][counts[u_codes[order[last]]] >= 2]
mask = np.ones(len(df), bool); mask[held] = False
train = sp.csr_matrix((df['rating'].to_numpy()[mask], (u_codes[mask], i_codes[mask])), shape=m.shape)
test = sp.csr_matrix((df['rating'].to_numpy()[~mask], (u_codes[~mask], i_codes[~mask])), shape=m.shape)
t5 = time.perf_counter()
print(f"read_csv {t1-t0:.3f} factorize {t2-t1:.3f} csr {t3-t2:.3f} transpose {t4-t3:.3f} split {t5-t4:.3f} total {t5-t0:.3f} nnz {m.nnz} train {train.nnz} test {test.nnz}")
