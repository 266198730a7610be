#include "ckernels.h"

#include <immintrin.h>
#include <string.h>

// Every variant below evaluates, lane by lane and in this order (no contraction into FMAs):
//   y = min(|x|, 9.5)                      tanh rounds to 1 from 9.01 on; NaN passes through
//   small = y + (y·y²)·P(y²)               |x| < 0.625
//   a = 2y, s = a·log2(e) + 1.5·2²³, n = s − 1.5·2²³, r = (a − n·c1) + n·c2
//   e^r = ((Q(r)·r)·r + r) + 1, large = 1 − 2 / (e^r·2ⁿ + 1)
//   result = (y < 0.625 ? small : large) with the sign of x
#pragma STDC FP_CONTRACT OFF

#define P0 -5.70498872745e-3f
#define P1 2.06390887954e-2f
#define P2 -5.37397155531e-2f
#define P3 1.33314422036e-1f
#define P4 -3.33332819422e-1f
#define LOG2E 1.44269504088896341f
#define SHIFT 12582912.0f
#define C1 0.693359375f
#define C2 2.12194440e-4f
#define Q0 1.9875691500e-4f
#define Q1 1.3981999507e-3f
#define Q2 8.3334519073e-3f
#define Q3 4.1665795894e-2f
#define Q4 1.6666665459e-1f
#define Q5 5.0000001201e-1f
#define LIMIT 9.5f
#define SPLIT 0.625f

static float tanh_scalar(float x) {
    unsigned bits;
    memcpy(&bits, &x, 4);
    unsigned magnitudeBits = bits & 0x7fffffffu;
    float ax;
    memcpy(&ax, &magnitudeBits, 4);
    float y = LIMIT < ax ? LIMIT : ax;
    float z = y * y;
    float q = P0;
    q = q * z + P1;
    q = q * z + P2;
    q = q * z + P3;
    q = q * z + P4;
    float small = y + y * z * q;
    float a = 2 * y;
    float shifted = a * LOG2E + SHIFT;
    float n = shifted - SHIFT;
    float r = (a - n * C1) + n * C2;
    float p = Q0;
    p = p * r + Q1;
    p = p * r + Q2;
    p = p * r + Q3;
    p = p * r + Q4;
    p = p * r + Q5;
    float expR = p * r * r + r + 1;
    unsigned shiftedBits, oneBits;
    float one = 1;
    memcpy(&shiftedBits, &shifted, 4);
    memcpy(&oneBits, &one, 4);
    unsigned powerBits = (shiftedBits << 23) + oneBits;
    float twoToN;
    memcpy(&twoToN, &powerBits, 4);
    float large = 1 - 2 / (expR * twoToN + 1);
    float magnitude = y < SPLIT ? small : large;
    unsigned resultBits;
    memcpy(&resultBits, &magnitude, 4);
    resultBits |= bits & 0x80000000u;
    float result;
    memcpy(&result, &resultBits, 4);
    return result;
}

void nnviz_tanhf_sse2(const float *in, float *out, size_t count) {
    const __m128 sign = _mm_castsi128_ps(_mm_set1_epi32((int)0x80000000u));
    const __m128i oneBits = _mm_castps_si128(_mm_set1_ps(1));
    size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        __m128 x = _mm_loadu_ps(in + i);
        __m128 y = _mm_min_ps(_mm_set1_ps(LIMIT), _mm_andnot_ps(sign, x));
        __m128 z = _mm_mul_ps(y, y);
        __m128 q = _mm_set1_ps(P0);
        q = _mm_add_ps(_mm_mul_ps(q, z), _mm_set1_ps(P1));
        q = _mm_add_ps(_mm_mul_ps(q, z), _mm_set1_ps(P2));
        q = _mm_add_ps(_mm_mul_ps(q, z), _mm_set1_ps(P3));
        q = _mm_add_ps(_mm_mul_ps(q, z), _mm_set1_ps(P4));
        __m128 small = _mm_add_ps(y, _mm_mul_ps(_mm_mul_ps(y, z), q));
        __m128 a = _mm_add_ps(y, y);
        __m128 shifted = _mm_add_ps(_mm_mul_ps(a, _mm_set1_ps(LOG2E)), _mm_set1_ps(SHIFT));
        __m128 n = _mm_sub_ps(shifted, _mm_set1_ps(SHIFT));
        __m128 r = _mm_add_ps(_mm_sub_ps(a, _mm_mul_ps(n, _mm_set1_ps(C1))), _mm_mul_ps(n, _mm_set1_ps(C2)));
        __m128 p = _mm_set1_ps(Q0);
        p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(Q1));
        p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(Q2));
        p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(Q3));
        p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(Q4));
        p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(Q5));
        __m128 expR = _mm_add_ps(_mm_add_ps(_mm_mul_ps(_mm_mul_ps(p, r), r), r), _mm_set1_ps(1));
        __m128 twoToN = _mm_castsi128_ps(_mm_add_epi32(_mm_slli_epi32(_mm_castps_si128(shifted), 23), oneBits));
        __m128 large = _mm_sub_ps(_mm_set1_ps(1),
                                  _mm_div_ps(_mm_set1_ps(2), _mm_add_ps(_mm_mul_ps(expR, twoToN), _mm_set1_ps(1))));
        __m128 isSmall = _mm_cmplt_ps(y, _mm_set1_ps(SPLIT));
        __m128 magnitude = _mm_or_ps(_mm_and_ps(isSmall, small), _mm_andnot_ps(isSmall, large));
        _mm_storeu_ps(out + i, _mm_or_ps(magnitude, _mm_and_ps(sign, x)));
    }
    for (; i < count; i++) out[i] = tanh_scalar(in[i]);
}

__attribute__((target("avx2")))
static void tanhf_avx2(const float *in, float *out, size_t count) {
    const __m256 sign = _mm256_castsi256_ps(_mm256_set1_epi32((int)0x80000000u));
    const __m256i oneBits = _mm256_castps_si256(_mm256_set1_ps(1));
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 x = _mm256_loadu_ps(in + i);
        __m256 y = _mm256_min_ps(_mm256_set1_ps(LIMIT), _mm256_andnot_ps(sign, x));
        __m256 z = _mm256_mul_ps(y, y);
        __m256 q = _mm256_set1_ps(P0);
        q = _mm256_add_ps(_mm256_mul_ps(q, z), _mm256_set1_ps(P1));
        q = _mm256_add_ps(_mm256_mul_ps(q, z), _mm256_set1_ps(P2));
        q = _mm256_add_ps(_mm256_mul_ps(q, z), _mm256_set1_ps(P3));
        q = _mm256_add_ps(_mm256_mul_ps(q, z), _mm256_set1_ps(P4));
        __m256 small = _mm256_add_ps(y, _mm256_mul_ps(_mm256_mul_ps(y, z), q));
        __m256 a = _mm256_add_ps(y, y);
        __m256 shifted = _mm256_add_ps(_mm256_mul_ps(a, _mm256_set1_ps(LOG2E)), _mm256_set1_ps(SHIFT));
        __m256 n = _mm256_sub_ps(shifted, _mm256_set1_ps(SHIFT));
        __m256 r = _mm256_add_ps(_mm256_sub_ps(a, _mm256_mul_ps(n, _mm256_set1_ps(C1))), _mm256_mul_ps(n, _mm256_set1_ps(C2)));
        __m256 p = _mm256_set1_ps(Q0);
        p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(Q1));
        p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(Q2));
        p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(Q3));
        p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(Q4));
        p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(Q5));
        __m256 expR = _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(p, r), r), r), _mm256_set1_ps(1));
        __m256 twoToN = _mm256_castsi256_ps(_mm256_add_epi32(_mm256_slli_epi32(_mm256_castps_si256(shifted), 23), oneBits));
        __m256 large = _mm256_sub_ps(_mm256_set1_ps(1),
                                     _mm256_div_ps(_mm256_set1_ps(2), _mm256_add_ps(_mm256_mul_ps(expR, twoToN), _mm256_set1_ps(1))));
        __m256 magnitude = _mm256_blendv_ps(large, small, _mm256_cmp_ps(y, _mm256_set1_ps(SPLIT), _CMP_LT_OQ));
        _mm256_storeu_ps(out + i, _mm256_or_ps(magnitude, _mm256_and_ps(sign, x)));
    }
    nnviz_tanhf_sse2(in + i, out + i, count - i);
}

void nnviz_tanhf(const float *in, float *out, size_t count) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2")) tanhf_avx2(in, out, count);
    else nnviz_tanhf_sse2(in, out, count);
}
