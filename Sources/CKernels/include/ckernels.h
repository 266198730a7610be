// Vector kernels of NNVizCore that Swift cannot vectorise wider than the x86-64 baseline: each picks
// its widest variant once at run time (`__builtin_cpu_supports`), and every variant performs the same
// float operations in the same order, so results do not depend on the machine.
#ifndef NNVIZ_CKERNELS_H
#define NNVIZ_CKERNELS_H

#include <stddef.h>

/// `out[i] = tanh(in[i])` for float32, branch-free: below |x| = 0.625 Cephes' odd polynomial
/// `x + x³·P(x²)`, above `1 − 2 / (e^{2|x|} + 1)` with Cephes' expf (Cody–Waite reduction by ln 2,
/// degree-6 polynomial) and the power of two built from the exponent bits; no fused multiply-adds.
/// At most one ulp from tanh in double rounded to float; NaN stays NaN, ±∞ gives ±1, −0 gives −0.
/// `in` and `out` may be the same array.
void nnviz_tanhf(const float *in, float *out, size_t count);

/// The same with the 4-lane SSE2 variant whatever the machine supports (for tests comparing variants).
void nnviz_tanhf_sse2(const float *in, float *out, size_t count);

#endif
