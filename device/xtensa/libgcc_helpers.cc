// Integer division, 64-bit multiplication and IEEE-754 soft-float helpers
// that GCC calls on the lx106 core (no DIV32, no MUL32_HIGH, no FPU).
//
// On the ESP8266 these live in the boot ROM, so Debian's lx106 libgcc leaves
// them out. This file supplies the missing ones, written for clarity rather
// than speed: bit-by-bit long division, schoolbook multiplication from 16-bit
// pieces, and one rounding routine shared by every float operation.
//
// Float results are correctly rounded (round to nearest, ties to even),
// with subnormals, infinities and signed zeros as IEEE 754 requires, so they
// match an x86-64 host bit for bit. NaN results are the quieted NaN operand,
// or the x86 default NaN (sign set). Float-to-integer conversions truncate
// and saturate; NaN converts to 0.
//
// Compiled with MOTE_HELPER_PREFIX defined (host self-test), every helper gets
// that prefix so it can run side by side with the host's own arithmetic.
#include <stdint.h>

#ifdef MOTE_HELPER_PREFIX
#define HELPER_CAT2(a, b) a##b
#define HELPER_CAT(a, b) HELPER_CAT2(a, b)
#define HELPER(name) HELPER_CAT(MOTE_HELPER_PREFIX, name)
#else
#define HELPER(name) name
#endif

namespace {

// ---------------------------------------------------------------- integers

int clz32(uint32_t x) { return x == 0 ? 32 : __builtin_clz(x); }  // NSAU on the lx106
int clz64(uint64_t x) {
  const uint32_t hi = uint32_t(x >> 32);
  return hi != 0 ? clz32(hi) : 32 + clz32(uint32_t(x));
}

// 32x32 -> 64 from four 16x16 -> 32 products (MULL is the only multiply).
uint64_t mul_32x32(uint32_t a, uint32_t b) {
  const uint32_t a_lo = a & 0xFFFF, a_hi = a >> 16;
  const uint32_t b_lo = b & 0xFFFF, b_hi = b >> 16;
  const uint32_t lo_lo = a_lo * b_lo;
  const uint32_t lo_hi = a_lo * b_hi;
  const uint32_t hi_lo = a_hi * b_lo;
  const uint32_t hi_hi = a_hi * b_hi;
  const uint32_t middle = (lo_lo >> 16) + (lo_hi & 0xFFFF) + (hi_lo & 0xFFFF);  // < 3 * 2^16
  const uint32_t low_word = (middle << 16) | (lo_lo & 0xFFFF);
  const uint32_t high_word = hi_hi + (lo_hi >> 16) + (hi_lo >> 16) + (middle >> 16);
  return (uint64_t(high_word) << 32) | low_word;
}

// 64x64 -> 128, as {high, low}.
void mul_64x64(uint64_t a, uint64_t b, uint64_t* high, uint64_t* low) {
  const uint32_t a0 = uint32_t(a), a1 = uint32_t(a >> 32);
  const uint32_t b0 = uint32_t(b), b1 = uint32_t(b >> 32);
  const uint64_t p00 = mul_32x32(a0, b0);
  const uint64_t p01 = mul_32x32(a0, b1);
  const uint64_t p10 = mul_32x32(a1, b0);
  const uint64_t p11 = mul_32x32(a1, b1);
  const uint64_t middle = (p00 >> 32) + uint32_t(p01) + uint32_t(p10);  // < 3 * 2^32
  *low = (middle << 32) | uint32_t(p00);
  *high = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
}

// Restoring long division: the divisor is aligned under the dividend's top
// bit, then one quotient bit per step. Division by zero gives 0, remainder n.
template <typename U>
U divide(U n, U d, U* remainder) {
  U quotient = 0;
  if (d != 0 && n >= d) {
    const int width = int(sizeof(U)) * 8;
    const int leading_n = width == 32 ? clz32(uint32_t(n)) : clz64(uint64_t(n));
    const int leading_d = width == 32 ? clz32(uint32_t(d)) : clz64(uint64_t(d));
    const int shift = leading_d - leading_n;
    d <<= shift;
    for (int i = 0; i <= shift; ++i) {
      quotient <<= 1;
      if (n >= d) {
        n -= d;
        quotient |= 1;
      }
      d >>= 1;
    }
  }
  if (remainder) *remainder = n;
  return quotient;
}

template <typename S, typename U>
S divide_signed(S a, S b, bool want_remainder) {
  const bool a_negative = a < 0, b_negative = b < 0;
  const U a_magnitude = a_negative ? U(0) - U(a) : U(a);
  const U b_magnitude = b_negative ? U(0) - U(b) : U(b);
  U remainder;
  const U quotient = divide<U>(a_magnitude, b_magnitude, &remainder);
  if (want_remainder) return S(a_negative ? U(0) - remainder : remainder);  // sign of the dividend
  return S(a_negative != b_negative ? U(0) - quotient : quotient);
}

// ------------------------------------------------------------------ floats

// Bits of an IEEE-754 binary format stored in the unsigned integer U.
template <typename U>
struct Format;
template <>
struct Format<uint32_t> {
  static constexpr int kFractionBits = 23;
  static constexpr int kExponentBits = 8;
};
template <>
struct Format<uint64_t> {
  static constexpr int kFractionBits = 52;
  static constexpr int kExponentBits = 11;
};

template <typename U>
struct Float {
  static constexpr int kFractionBits = Format<U>::kFractionBits;
  static constexpr int kWidth = int(sizeof(U)) * 8;
  static constexpr int32_t kMaxExponent = (1 << Format<U>::kExponentBits) - 1;  // field value of inf / NaN
  static constexpr int32_t kBias = kMaxExponent >> 1;
  static constexpr U kSign = U(1) << (kWidth - 1);
  static constexpr U kImplicit = U(1) << kFractionBits;
  static constexpr U kFractionMask = kImplicit - 1;
  static constexpr U kQuiet = U(1) << (kFractionBits - 1);
  static constexpr U kInfinity = U(kMaxExponent) << kFractionBits;
  static constexpr U kDefaultNaN = kSign | kInfinity | kQuiet;

  static bool sign(U a) { return (a & kSign) != 0; }
  static int32_t exponent_field(U a) { return int32_t((a >> kFractionBits) & U(kMaxExponent)); }
  static bool is_nan(U a) { return (a & ~kSign) > kInfinity; }
  static bool is_inf(U a) { return (a & ~kSign) == kInfinity; }
  static bool is_zero(U a) { return (a & ~kSign) == 0; }
  static U signed_zero(bool negative) { return negative ? kSign : U(0); }
  static U signed_inf(bool negative) { return signed_zero(negative) | kInfinity; }

  // A finite, non-zero value as significand * 2^exponent.
  static void unpack(U a, U* significand, int32_t* exponent) {
    const int32_t field = exponent_field(a);
    if (field == 0) {  // subnormal
      *significand = a & kFractionMask;
      *exponent = 1 - kBias - kFractionBits;
    } else {
      *significand = (a & kFractionMask) | kImplicit;
      *exponent = field - kBias - kFractionBits;
    }
  }

  // Shifts right, ORing every bit shifted out into bit 0 (the sticky bit).
  static U shift_right_sticky(U x, int32_t count) {
    if (count <= 0) return x;
    if (count >= kWidth) return x != 0 ? 1 : 0;
    const U lost = x & ((U(1) << count) - 1);
    return (x >> count) | (lost != 0 ? 1 : 0);
  }

  // `significand` has its leading 1 at bit kFractionBits + 3 (three extra
  // bits: guard, and two that are only tested for non-zero), unless the
  // value is subnormal; `field` is the biased exponent of that leading bit.
  // Rounds to nearest, ties to even, and handles overflow and underflow.
  static U round_and_pack(bool negative, int32_t field, U significand) {
    if (field >= kMaxExponent) return signed_inf(negative);
    if (field < 1) {
      significand = shift_right_sticky(significand, 1 - field);
      field = 1;  // with no implicit bit, the sum below gives exponent field 0
    }
    const U extra = significand & 7;
    significand >>= 3;
    if (extra > 4 || (extra == 4 && (significand & 1) != 0)) ++significand;
    // The implicit bit adds 1 to the exponent field; a carry out of the
    // fraction (rounding up to the next power of two, or from the largest
    // subnormal to the smallest normal, or to infinity) lands there too.
    return signed_zero(negative) | ((U(field - 1) << kFractionBits) + significand);
  }

  // Rounds +-m * 2^exponent (m != 0; bit 0 of m may be a sticky bit if m has
  // more significant bits than the format keeps).
  static U pack(bool negative, int32_t exponent, uint64_t m) {
    const int leading = 63 - clz64(m);
    m <<= 63 - leading;
    const int32_t field = leading + exponent + kBias;
    const int keep = kFractionBits + 3;  // position of the leading bit for round_and_pack
    const uint64_t lost = m & ((uint64_t(1) << (63 - keep)) - 1);
    const U significand = U(m >> (63 - keep)) | (lost != 0 ? 1 : 0);
    return round_and_pack(negative, field, significand);
  }

  // The same for a 128-bit m = high * 2^64 + low.
  static U pack_wide(bool negative, int32_t exponent, uint64_t high, uint64_t low) {
    if (high == 0) return pack(negative, exponent, low);
    const int shift = clz64(high);  // bring the leading bit to bit 63 of `high`
    uint64_t top = high;
    uint64_t rest = low;
    if (shift > 0) {
      top = (high << shift) | (low >> (64 - shift));
      rest = low << shift;
    }
    return pack(negative, exponent + 64 - shift, top | (rest != 0 ? 1 : 0));
  }

  static U quiet(U nan) { return nan | kQuiet; }

  static U add(U a, U b) {
    if (is_nan(a)) return quiet(a);
    if (is_nan(b)) return quiet(b);
    if (is_inf(a)) return is_inf(b) && sign(a) != sign(b) ? kDefaultNaN : a;
    if (is_inf(b)) return b;
    if (is_zero(a) && is_zero(b)) return signed_zero(sign(a) && sign(b));
    if (is_zero(b)) return a;
    if (is_zero(a)) return b;
    if ((a & ~kSign) < (b & ~kSign)) {  // make |a| >= |b|
      const U t = a;
      a = b;
      b = t;
    }
    U ma, mb;
    int32_t ea, eb;
    unpack(a, &ma, &ea);
    unpack(b, &mb, &eb);
    // Three extra low bits make the aligned sum/difference round correctly
    // even though bits of b are folded into a sticky bit.
    ma <<= 3;
    mb = shift_right_sticky(mb << 3, ea - eb);
    const bool negative = sign(a);
    if (sign(a) == sign(b)) return pack(negative, ea - 3, uint64_t(ma) + uint64_t(mb));
    const U difference = ma - mb;
    if (difference == 0) return 0;  // exact cancellation gives +0
    return pack(negative, ea - 3, difference);
  }

  static U mul(U a, U b) {
    const bool negative = sign(a) != sign(b);
    if (is_nan(a)) return quiet(a);
    if (is_nan(b)) return quiet(b);
    if (is_inf(a) || is_inf(b)) return is_zero(a) || is_zero(b) ? kDefaultNaN : signed_inf(negative);
    if (is_zero(a) || is_zero(b)) return signed_zero(negative);
    U ma, mb;
    int32_t ea, eb;
    unpack(a, &ma, &ea);
    unpack(b, &mb, &eb);
    uint64_t high, low;
    mul_64x64(ma, mb, &high, &low);
    return pack_wide(negative, ea + eb, high, low);
  }

  static U div(U a, U b) {
    const bool negative = sign(a) != sign(b);
    if (is_nan(a)) return quiet(a);
    if (is_nan(b)) return quiet(b);
    if (is_inf(a)) return is_inf(b) ? kDefaultNaN : signed_inf(negative);
    if (is_inf(b)) return signed_zero(negative);
    if (is_zero(b)) return is_zero(a) ? kDefaultNaN : signed_inf(negative);
    if (is_zero(a)) return signed_zero(negative);
    U ma, mb;
    int32_t ea, eb;
    unpack(a, &ma, &ea);
    unpack(b, &mb, &eb);
    while ((ma & kImplicit) == 0) {  // normalize subnormals: both in [2^F, 2^(F+1))
      ma <<= 1;
      --ea;
    }
    while ((mb & kImplicit) == 0) {
      mb <<= 1;
      --eb;
    }
    // q = floor(ma * 2^(steps-1) / mb) has at least F+4 significant bits.
    const int steps = kFractionBits + 5;
    U remainder = ma, quotient = 0;
    for (int i = 0; i < steps; ++i) {
      quotient <<= 1;
      if (remainder >= mb) {
        remainder -= mb;
        quotient |= 1;
      }
      remainder <<= 1;
    }
    return pack(negative, ea - eb - (steps - 1), uint64_t(quotient) | (remainder != 0 ? 1 : 0));
  }

  static U from_integer(bool negative, uint64_t magnitude) {
    return magnitude == 0 ? U(0) : pack(negative, 0, magnitude);
  }

  // Truncates toward zero and saturates to [min, max]; NaN gives 0.
  static int64_t to_integer(U a, int64_t min, int64_t max) {
    if (is_nan(a)) return 0;
    if (is_inf(a)) return sign(a) ? min : max;
    if (is_zero(a)) return 0;
    U m;
    int32_t e;
    unpack(a, &m, &e);
    uint64_t magnitude;
    if (e >= 0) {
      if (e > 63 - (kFractionBits + 1)) return sign(a) ? min : max;  // at least 2^63
      magnitude = uint64_t(m) << e;
    } else {
      magnitude = -e >= kWidth ? 0 : uint64_t(m >> -e);
    }
    if (sign(a)) return magnitude > uint64_t(-(min + 1)) + 1 ? min : -int64_t(magnitude);
    return magnitude > uint64_t(max) ? max : int64_t(magnitude);
  }

  // Exact or rounded conversion from another format.
  template <typename From>
  static U convert(From a) {
    using Source = Float<From>;
    const bool negative = Source::sign(a);
    if (Source::is_nan(a)) {  // keep the top of the payload, quieted
      const int shift = Source::kFractionBits - kFractionBits;
      const From payload = a & Source::kFractionMask;
      const U narrowed = shift >= 0 ? U(payload >> shift) : U(U(payload) << -shift);
      return signed_zero(negative) | kInfinity | kQuiet | narrowed;
    }
    if (Source::is_inf(a)) return signed_inf(negative);
    if (Source::is_zero(a)) return signed_zero(negative);
    From m;
    int32_t e;
    Source::unpack(a, &m, &e);
    return pack(negative, e, uint64_t(m));
  }
};

using F32 = Float<uint32_t>;
using F64 = Float<uint64_t>;

uint32_t bits(float f) { return __builtin_bit_cast(uint32_t, f); }
uint64_t bits(double d) { return __builtin_bit_cast(uint64_t, d); }
float to_float(uint32_t u) { return __builtin_bit_cast(float, u); }
double to_double(uint64_t u) { return __builtin_bit_cast(double, u); }

}  // namespace

extern "C" {

// Integer division and remainder, 32 and 64 bits.
int32_t HELPER(__divsi3)(int32_t a, int32_t b) { return divide_signed<int32_t, uint32_t>(a, b, false); }
int32_t HELPER(__modsi3)(int32_t a, int32_t b) { return divide_signed<int32_t, uint32_t>(a, b, true); }
uint32_t HELPER(__udivsi3)(uint32_t a, uint32_t b) { return divide<uint32_t>(a, b, nullptr); }
uint32_t HELPER(__umodsi3)(uint32_t a, uint32_t b) {
  uint32_t r;
  divide<uint32_t>(a, b, &r);
  return r;
}
int64_t HELPER(__divdi3)(int64_t a, int64_t b) { return divide_signed<int64_t, uint64_t>(a, b, false); }
int64_t HELPER(__moddi3)(int64_t a, int64_t b) { return divide_signed<int64_t, uint64_t>(a, b, true); }
uint64_t HELPER(__udivdi3)(uint64_t a, uint64_t b) { return divide<uint64_t>(a, b, nullptr); }
uint64_t HELPER(__umoddi3)(uint64_t a, uint64_t b) {
  uint64_t r;
  divide<uint64_t>(a, b, &r);
  return r;
}

// 64-bit products: low 64 bits of a 64x64 product, and 32x32 -> 64.
int64_t HELPER(__muldi3)(int64_t a, int64_t b) {
  const uint64_t ua = uint64_t(a), ub = uint64_t(b);
  const uint32_t a_lo = uint32_t(ua), a_hi = uint32_t(ua >> 32);
  const uint32_t b_lo = uint32_t(ub), b_hi = uint32_t(ub >> 32);
  const uint32_t cross = a_lo * b_hi + a_hi * b_lo;  // only its low 32 bits reach the result
  return int64_t(mul_32x32(a_lo, b_lo) + (uint64_t(cross) << 32));
}
uint64_t HELPER(__umulsidi3)(uint32_t a, uint32_t b) { return mul_32x32(a, b); }

// Single precision.
float HELPER(__addsf3)(float a, float b) { return to_float(F32::add(bits(a), bits(b))); }
float HELPER(__subsf3)(float a, float b) { return to_float(F32::add(bits(a), bits(b) ^ F32::kSign)); }
float HELPER(__mulsf3)(float a, float b) { return to_float(F32::mul(bits(a), bits(b))); }
float HELPER(__divsf3)(float a, float b) { return to_float(F32::div(bits(a), bits(b))); }

// Double precision.
double HELPER(__adddf3)(double a, double b) { return to_double(F64::add(bits(a), bits(b))); }
double HELPER(__subdf3)(double a, double b) { return to_double(F64::add(bits(a), bits(b) ^ F64::kSign)); }
double HELPER(__muldf3)(double a, double b) { return to_double(F64::mul(bits(a), bits(b))); }
double HELPER(__divdf3)(double a, double b) { return to_double(F64::div(bits(a), bits(b))); }

// Conversions.
double HELPER(__extendsfdf2)(float a) { return to_double(F64::convert(bits(a))); }
float HELPER(__truncdfsf2)(double a) { return to_float(F32::convert(bits(a))); }
float HELPER(__floatsisf)(int32_t i) { return to_float(F32::from_integer(i < 0, i < 0 ? 0u - uint32_t(i) : uint32_t(i))); }
float HELPER(__floatunsisf)(uint32_t u) { return to_float(F32::from_integer(false, u)); }
double HELPER(__floatsidf)(int32_t i) { return to_double(F64::from_integer(i < 0, i < 0 ? 0u - uint32_t(i) : uint32_t(i))); }
double HELPER(__floatunsidf)(uint32_t u) { return to_double(F64::from_integer(false, u)); }
int32_t HELPER(__fixsfsi)(float a) { return int32_t(F32::to_integer(bits(a), INT32_MIN, INT32_MAX)); }
uint32_t HELPER(__fixunssfsi)(float a) { return uint32_t(F32::to_integer(bits(a), 0, UINT32_MAX)); }
int32_t HELPER(__fixdfsi)(double a) { return int32_t(F64::to_integer(bits(a), INT32_MIN, INT32_MAX)); }
uint32_t HELPER(__fixunsdfsi)(double a) { return uint32_t(F64::to_integer(bits(a), 0, UINT32_MAX)); }

}  // extern "C"
