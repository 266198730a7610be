"""PyTorch's CPU random number generator rebuilt in plain Python (no torch).

make_fixtures.py checks every RNG fixture against this model, so each rule below is verified against the installed
PyTorch every time the fixtures are regenerated. The rules are described in Tests/tools/README.md.
"""
import math
import struct
from fractions import Fraction


# MARK: - float32 arithmetic

def f32(x):
    """Round a Python float to the nearest float32 (ties to even) and return it as a Python float."""
    return struct.unpack('<f', struct.pack('<f', x))[0]


def _bits(x):
    return struct.unpack('<I', struct.pack('<f', x))[0]


def _from_bits(b):
    return struct.unpack('<f', struct.pack('<I', b & 0xffffffff))[0]


def _round_exact(q):
    """Correctly round the exact rational q to float32 (ties to even), avoiding double rounding through float64."""
    r = f32(float(q))
    if Fraction(r) == q:
        return r
    step = lambda v, up: _from_bits(_bits(v) + (1 if (v >= 0) == up else -1)) if v != 0 else (_from_bits(1) if up else -_from_bits(1))
    lo, hi = (r, step(r, True)) if Fraction(r) < q else (step(r, False), r)
    dl, dh = q - Fraction(lo), Fraction(hi) - q
    if dl != dh:
        return lo if dl < dh else hi
    return lo if _bits(lo) % 2 == 0 else hi


def fma32(a, b, c):
    """float32 fused multiply-add: a * b + c with one rounding."""
    return _round_exact(Fraction(a) * Fraction(b) + Fraction(c))


def _mul(a, b):
    return f32(a * b)


def _add(a, b):
    return f32(a + b)


def _sub(a, b):
    return f32(a - b)


# MARK: - avx_mathfun (the float32 log and sincos used by randn for 16 or more elements)

_C = {k: f32(v) for k, v in dict(
    SQRTHF=0.707106781186547524,
    log_p0=7.0376836292E-2, log_p1=-1.1514610310E-1, log_p2=1.1676998740E-1, log_p3=-1.2420140846E-1,
    log_p4=1.4249322787E-1, log_p5=-1.6668057665E-1, log_p6=2.0000714765E-1, log_p7=-2.4999993993E-1,
    log_p8=3.3333331174E-1, log_q1=-2.12194440e-4, log_q2=0.693359375,
    DP1=-0.78515625, DP2=-2.4187564849853515625e-4, DP3=-3.77489497744594108e-8,
    sin_p0=-1.9515295891E-4, sin_p1=8.3321608736E-3, sin_p2=-1.6666654611E-1,
    cos_p0=2.443315711809948E-005, cos_p1=-1.388731625493765E-003, cos_p2=4.166664568298827E-002,
    FOPI=1.27323954473516, TWO_PI=2.0 * math.pi).items()}


def avx_log(x):
    """log256_ps for one lane (x in (0, 1]), with the multiply-adds GCC fuses into FMA instructions."""
    b = _bits(x)
    e = f32(float((b >> 23) - 0x7f))
    x = _from_bits((b & ~0x7f800000) | _bits(0.5))
    e = _add(e, 1.0)
    if x < _C['SQRTHF']:
        e = _sub(e, 1.0)
        x = _add(_sub(x, 1.0), x)
    else:
        x = _sub(x, 1.0)
    z = _mul(x, x)
    y = _C['log_p0']
    for k in range(1, 9):
        y = fma32(y, x, _C['log_p%d' % k])
    y = _mul(y, x)
    y = fma32(y, z, _mul(e, _C['log_q1']))
    y = fma32(z, -0.5, y)
    return fma32(e, _C['log_q2'], _add(x, y))


def avx_sincos(x):
    """sincos256_ps for one lane, with the multiply-adds GCC fuses into FMA instructions. Returns (sin, cos)."""
    sign_sin = x < 0
    x = abs(x)
    j = int(_mul(x, _C['FOPI']))
    j = (j + 1) & ~1
    y = f32(float(j))
    sign_sin ^= (j & 4) != 0
    sign_cos = (~(j - 2) & 4) != 0
    use_sin_poly = (j & 2) == 0
    x = fma32(y, _C['DP1'], x)
    x = fma32(y, _C['DP2'], x)
    x = fma32(y, _C['DP3'], x)
    z = _mul(x, x)
    yc = fma32(_C['cos_p0'], z, _C['cos_p1'])
    yc = fma32(yc, z, _C['cos_p2'])
    yc = _mul(yc, z)
    yc = fma32(yc, z, -_mul(z, 0.5))
    yc = _add(yc, 1.0)
    ys = fma32(_C['sin_p0'], z, _C['sin_p1'])
    ys = fma32(ys, z, _C['sin_p2'])
    ys = _mul(ys, z)
    ys = fma32(ys, x, x)
    s, c = (ys, yc) if use_sin_poly else (yc, ys)
    return (-s if sign_sin else s), (-c if sign_cos else c)


# MARK: - generator

class TorchGenerator:
    """mt19937 with PyTorch's seeding, draws and cached normal sample (CPU, default generator)."""

    def __init__(self, seed=67280421310721):
        self.manual_seed(seed)

    def manual_seed(self, seed):
        mt = [0] * 624
        mt[0] = seed & 0xffffffff
        for i in range(1, 624):
            mt[i] = (1812433253 * (mt[i - 1] ^ (mt[i - 1] >> 30)) + i) & 0xffffffff
        self.mt, self.index = mt, 624
        self.normal_cache = None

    def _twist(self):
        mt = self.mt
        for i in range(624):
            y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff)
            v = mt[(i + 397) % 624] ^ (y >> 1)
            if y & 1:
                v ^= 0x9908b0df
            mt[i] = v
        self.index = 0

    def random(self):
        """One 32-bit output."""
        if self.index >= 624:
            self._twist()
        y = self.mt[self.index]
        self.index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c5680
        y ^= (y << 15) & 0xefc60000
        y ^= y >> 18
        return y & 0xffffffff

    def random64(self):
        """Two outputs, the first one as the high 32 bits."""
        hi = self.random()
        return (hi << 32) | self.random()

    # MARK: uniform

    def uniform32(self):
        return (self.random() & 0xFFFFFF) * 2.0 ** -24

    def uniform64(self):
        return (self.random64() & ((1 << 53) - 1)) * 2.0 ** -53

    def rand(self, n, dtype='float32'):
        return [self.uniform32() if dtype == 'float32' else self.uniform64() for _ in range(n)]

    def uniform_(self, n, low, high):
        """float32 `uniform_(low, high)`: u * (high - low) + low in double (high - low in float32), then rounded."""
        lo, hi = f32(low), f32(high)
        return [f32(self.uniform32() * f32(hi - lo) + lo) for _ in range(n)]

    # MARK: normal

    def _normal_double(self):
        if self.normal_cache is not None:
            v, self.normal_cache = self.normal_cache, None
            return v
        u1 = self.uniform64()
        u2 = self.uniform64()
        r = math.sqrt(-2.0 * math.log1p(-u2))
        theta = 2.0 * math.pi * u1
        self.normal_cache = r * math.sin(theta)
        return r * math.cos(theta)

    def _block32(self, d, s, mean, std):
        for j in range(8):
            u1 = _sub(1.0, d[s + j])
            u2 = d[s + j + 8]
            radius = f32(math.sqrt(_mul(-2.0, avx_log(u1))))
            sin_t, cos_t = avx_sincos(_mul(_C['TWO_PI'], u2))
            d[s + j] = fma32(_mul(radius, cos_t), std, mean)
            d[s + j + 8] = fma32(_mul(radius, sin_t), std, mean)

    @staticmethod
    def _block64(d, s, mean, std):
        for j in range(8):
            u1 = 1.0 - d[s + j]
            u2 = d[s + j + 8]
            radius = math.sqrt(-2.0 * math.log(u1))
            theta = 2.0 * math.pi * u2
            d[s + j] = radius * math.cos(theta) * std + mean
            d[s + j + 8] = radius * math.sin(theta) * std + mean

    def normal(self, n, mean=0.0, std=1.0, dtype='float32'):
        """`randn(n)` / `normal_(mean, std)` on a contiguous tensor of n elements."""
        if n < 16:
            values = [self._normal_double() * std + mean for _ in range(n)]
            return [f32(v) for v in values] if dtype == 'float32' else values
        draw = self.uniform32 if dtype == 'float32' else self.uniform64
        if dtype == 'float32':
            block = lambda s: self._block32(d, s, f32(mean), f32(std))
        else:
            block = lambda s: self._block64(d, s, mean, std)
        d = [draw() for _ in range(n)]
        for s in range(0, n - 15, 16):
            block(s)
        if n % 16 != 0:
            for i in range(n - 16, n):
                d[i] = draw()
            block(n - 16)
        return d

    # MARK: integers and Bernoulli

    def randperm(self, n):
        r = list(range(n))
        for i in range(n - 1):
            z = self.random() % (n - i)
            r[i], r[i + z] = r[i + z], r[i]
        return r

    def random_int64(self):
        """`torch.empty((), dtype=torch.int64).random_()`: random64() modulo 2**63."""
        return self.random64() % (1 << 63)

    def bernoulli_tensor(self, probs):
        """`torch.bernoulli(p)` for a float32 probability tensor: 1 where a 24-bit uniform is below p."""
        return [1.0 if self.uniform32() < p else 0.0 for p in probs]

    def bernoulli_scalar(self, n, p):
        """`bernoulli_(p)` with a Python float p on a CPU without Intel's vendor id: 1 where a 53-bit uniform is below p."""
        return [1.0 if self.uniform64() < p else 0.0 for _ in range(n)]
