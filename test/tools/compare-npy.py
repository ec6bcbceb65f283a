#!/usr/bin/python3
"""Compares every .npy in a reference folder with the same-named file in an actual-output folder.

    compare-npy.py ACTUAL_DIR REFERENCE_DIR [--rtol 1e-4] [--atol 1e-5]

Passes when shapes and dtypes match and |actual - reference| <= atol + rtol * |reference| everywhere
(numpy.allclose semantics; integers and bools must be equal). Prints one line per output with the worst
absolute and relative error, and exits 1 on any mismatch or missing file.
"""
import argparse
import os
import sys

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("actual")
    parser.add_argument("reference")
    parser.add_argument("--rtol", type=float, default=1e-4)
    parser.add_argument("--atol", type=float, default=1e-5)
    args = parser.parse_args()

    names = sorted(f for f in os.listdir(args.reference) if f.endswith(".npy"))
    if not names:
        print(f"no .npy files in {args.reference}")
        return 1
    failed = False
    for name in names:
        ref = np.load(os.path.join(args.reference, name))
        path = os.path.join(args.actual, name)
        if not os.path.exists(path):
            print(f"FAIL {name}: missing from {args.actual}")
            failed = True
            continue
        act = np.load(path)
        if act.shape != ref.shape or act.dtype != ref.dtype:
            print(f"FAIL {name}: got {act.dtype}{list(act.shape)}, expected {ref.dtype}{list(ref.shape)}")
            failed = True
            continue
        if ref.dtype.kind in "fc":
            diff = np.abs(act.astype(np.float64) - ref.astype(np.float64))
            bound = args.atol + args.rtol * np.abs(ref.astype(np.float64))
            # NaN never compares within bounds, so a NaN anywhere fails unless both sides have it there.
            same_nan = np.isnan(act) & np.isnan(ref)
            ok = bool(np.all((diff <= bound) | same_nan))
            worst_rel = float(np.max(diff / np.maximum(np.abs(ref), 1e-30))) if diff.size else 0.0
            print(f"{'ok  ' if ok else 'FAIL'} {name}: max abs err {float(diff.max()) if diff.size else 0:.3g}, "
                  f"max rel err {worst_rel:.3g} (rtol {args.rtol}, atol {args.atol})")
        else:
            ok = bool(np.array_equal(act, ref))
            print(f"{'ok  ' if ok else 'FAIL'} {name}: {'equal' if ok else 'differs'}")
        failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
