"""Independent figures for contexts_tests.rs (Python standard library only).

Welch's interval with Student's t quantile found by integrating the t density
(Simpson's rule) and bisection, at floor(Welch-Satterthwaite df) as the Rust
code uses; Wilson and Newcombe (method 10) from their formulas. Run:
    python3 crates/feltsense-core/src/metrics/contexts_expected.py
Its output is pasted into contexts_tests.rs as expected values.
"""
import math
from statistics import mean, variance

def t_cdf(x, df, steps=20000):
    c = math.gamma((df + 1) / 2) / (math.sqrt(df * math.pi) * math.gamma(df / 2))
    f = lambda t: c * (1 + t * t / df) ** (-(df + 1) / 2)
    h = x / steps
    s = f(0) + f(x) + sum((4 if i % 2 else 2) * f(i * h) for i in range(1, steps))
    return 0.5 + s * h / 3

def t_975(df):
    lo, hi = 0.0, 20.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if t_cdf(mid, df) < 0.975 else (lo, mid)
    return (lo + hi) / 2

def welch(a, b):
    qa, qb = variance(a) / len(a), variance(b) / len(b)
    se = math.sqrt(qa + qb)
    df = (qa + qb) ** 2 / (qa * qa / (len(a) - 1) + qb * qb / (len(b) - 1))
    d = mean(a) - mean(b)
    t = t_975(math.floor(df))
    return d, d - t * se, d + t * se, df

def wilson(k, n, z=1.959963984540054):
    p = k / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n), (centre + spread) / (1 + z * z / n)

def newcombe(ka, na, kb, nb):
    pa, pb = ka / na, kb / nb
    (la, ua), (lb, ub) = wilson(ka, na), wilson(kb, nb)
    d = pa - pb
    return d, d - math.hypot(pa - la, ub - pb), d + math.hypot(ua - pa, pb - lb)

FRIENDS = [7, 8, 6, 9, 7, 8, 7, 6, 8, 9, 7, 8, 6, 7]
REST = [5, 6, 4, 5, 7, 5, 6, 4, 5, 6, 5, 3, 6, 5, 4, 6]
print("welch clarity friends vs rest: d %.6f low %.6f high %.6f df %.4f" % welch(FRIENDS, REST))
print("wilson 81/263: %.6f %.6f" % wilson(81, 263))
print("newcombe 56/70 - 48/80: d %.6f low %.6f high %.6f" % newcombe(56, 70, 48, 80))
print("newcombe nothing 2/14 - 10/16: d %.6f low %.6f high %.6f" % newcombe(2, 14, 10, 16))
print("welch intensity friends vs rest: d %.6f low %.6f high %.6f df %.4f"
      % welch([0, 0] + [5] * 12, [0] * 10 + [5] * 6))
