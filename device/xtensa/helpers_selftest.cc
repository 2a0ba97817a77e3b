// Host check of libgcc_helpers.cc: every helper, compiled with the prefix
// "test_", is compared with the host's own integer and IEEE-754 arithmetic
// (x86-64 SSE: correctly rounded, round to nearest even) on special values,
// all their pairs, and millions of random operands of several shapes.
// NaN results only need to be NaN (payload propagation differs by ISA).
//
//   g++ -std=c++17 -O2 -ffp-contract=off -DMOTE_HELPER_PREFIX=test_
//       helpers_selftest.cc libgcc_helpers.cc -o helpers_selftest  # then run it
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <limits>
#include <vector>

extern "C" {
int32_t test___divsi3(int32_t, int32_t);
int32_t test___modsi3(int32_t, int32_t);
uint32_t test___udivsi3(uint32_t, uint32_t);
uint32_t test___umodsi3(uint32_t, uint32_t);
int64_t test___divdi3(int64_t, int64_t);
int64_t test___moddi3(int64_t, int64_t);
uint64_t test___udivdi3(uint64_t, uint64_t);
uint64_t test___umoddi3(uint64_t, uint64_t);
int64_t test___muldi3(int64_t, int64_t);
uint64_t test___umulsidi3(uint32_t, uint32_t);
float test___addsf3(float, float);
float test___subsf3(float, float);
float test___mulsf3(float, float);
float test___divsf3(float, float);
double test___adddf3(double, double);
double test___subdf3(double, double);
double test___muldf3(double, double);
double test___divdf3(double, double);
double test___extendsfdf2(float);
float test___truncdfsf2(double);
float test___floatsisf(int32_t);
float test___floatunsisf(uint32_t);
double test___floatsidf(int32_t);
double test___floatunsidf(uint32_t);
int32_t test___fixsfsi(float);
uint32_t test___fixunssfsi(float);
int32_t test___fixdfsi(double);
uint32_t test___fixunsdfsi(double);
}

namespace {

uint64_t rng_state = 0x243F6A8885A308D3ull;
uint64_t next() {  // SplitMix64
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

long failures = 0;
long checks = 0;

template <typename T>
uint64_t raw(T v) {
  uint64_t u = 0;
  memcpy(&u, &v, sizeof(T));
  return u;
}

template <typename T>
void expect_same(const char* what, T got, T want, uint64_t a, uint64_t b) {
  ++checks;
  bool same;
  if constexpr (std::is_floating_point<T>::value) {
    same = (isnan(got) && isnan(want)) || raw(got) == raw(want);
  } else {
    same = got == want;
  }
  if (!same && ++failures <= 20) {
    printf("FAIL %s(0x%llx, 0x%llx): got 0x%llx want 0x%llx\n", what, (unsigned long long)a, (unsigned long long)b,
           (unsigned long long)raw(got), (unsigned long long)raw(want));
  }
}

float f32(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}
double f64(uint64_t u) {
  double d;
  memcpy(&d, &u, 8);
  return d;
}

// Random operands: any bit pattern, values near each other (cancellation),
// small-exponent values (subnormal results), and small integers.
uint32_t random_f32(int kind, uint32_t other) {
  const uint32_t r = uint32_t(next());
  switch (kind) {
    case 0: return r;
    case 1: return (other & 0xFF800000u) ^ (r & 0x807FFFFFu) ^ ((r >> 8) & 0x01800000u);
    case 2: return (r & 0x80FFFFFFu) | ((r % 40) << 23);
    default: return raw(float(int32_t(r) >> (r & 31)));
  }
}
uint64_t random_f64(int kind, uint64_t other) {
  const uint64_t r = next();
  switch (kind) {
    case 0: return r;
    case 1: return (other & 0xFFF0000000000000ull) ^ (r & 0x800FFFFFFFFFFFFFull) ^ ((r >> 10) & 0x0030000000000000ull);
    case 2: return (r & 0x801FFFFFFFFFFFFFull) | ((r % 120) << 52);
    default: return raw(double(int64_t(r) >> (r & 63)));
  }
}

void check_f32_binary(uint32_t ua, uint32_t ub) {
  const float a = f32(ua), b = f32(ub);
  expect_same("__addsf3", test___addsf3(a, b), a + b, ua, ub);
  expect_same("__subsf3", test___subsf3(a, b), a - b, ua, ub);
  expect_same("__mulsf3", test___mulsf3(a, b), a * b, ua, ub);
  expect_same("__divsf3", test___divsf3(a, b), a / b, ua, ub);
}

void check_f64_binary(uint64_t ua, uint64_t ub) {
  const double a = f64(ua), b = f64(ub);
  expect_same("__adddf3", test___adddf3(a, b), a + b, ua, ub);
  expect_same("__subdf3", test___subdf3(a, b), a - b, ua, ub);
  expect_same("__muldf3", test___muldf3(a, b), a * b, ua, ub);
  expect_same("__divdf3", test___divdf3(a, b), a / b, ua, ub);
}

void check_f32_unary(uint32_t ua) {
  const float a = f32(ua);
  expect_same("__extendsfdf2", test___extendsfdf2(a), double(a), ua, 0);
  if (!isnan(a) && a > -2147483648.0f && a < 2147483648.0f) expect_same("__fixsfsi", test___fixsfsi(a), int32_t(a), ua, 0);
  if (!isnan(a) && a > -1.0f && a < 4294967296.0f) expect_same("__fixunssfsi", test___fixunssfsi(a), uint32_t(a), ua, 0);
}

void check_f64_unary(uint64_t ua) {
  const double a = f64(ua);
  expect_same("__truncdfsf2", test___truncdfsf2(a), float(a), ua, 0);
  if (!isnan(a) && a > -2147483649.0 && a < 2147483648.0) expect_same("__fixdfsi", test___fixdfsi(a), int32_t(a), ua, 0);
  if (!isnan(a) && a > -1.0 && a < 4294967296.0) expect_same("__fixunsdfsi", test___fixunsdfsi(a), uint32_t(a), ua, 0);
}

void check_int32(uint32_t ua, uint32_t ub) {
  const int32_t a = int32_t(ua), b = int32_t(ub);
  expect_same("__floatsisf", test___floatsisf(a), float(a), ua, 0);
  expect_same("__floatunsisf", test___floatunsisf(ua), float(ua), ua, 0);
  expect_same("__floatsidf", test___floatsidf(a), double(a), ua, 0);
  expect_same("__floatunsidf", test___floatunsidf(ua), double(ua), ua, 0);
  expect_same("__umulsidi3", test___umulsidi3(ua, ub), uint64_t(ua) * ub, ua, ub);
  if (ub == 0) return;
  expect_same("__udivsi3", test___udivsi3(ua, ub), ua / ub, ua, ub);
  expect_same("__umodsi3", test___umodsi3(ua, ub), ua % ub, ua, ub);
  if (a == std::numeric_limits<int32_t>::min() && b == -1) return;
  expect_same("__divsi3", test___divsi3(a, b), a / b, ua, ub);
  expect_same("__modsi3", test___modsi3(a, b), a % b, ua, ub);
}

void check_int64(uint64_t ua, uint64_t ub) {
  const int64_t a = int64_t(ua), b = int64_t(ub);
  expect_same("__muldi3", uint64_t(test___muldi3(a, b)), ua * ub, ua, ub);
  if (ub == 0) return;
  expect_same("__udivdi3", test___udivdi3(ua, ub), ua / ub, ua, ub);
  expect_same("__umoddi3", test___umoddi3(ua, ub), ua % ub, ua, ub);
  if (a == std::numeric_limits<int64_t>::min() && b == -1) return;
  expect_same("__divdi3", test___divdi3(a, b), a / b, ua, ub);
  expect_same("__moddi3", test___moddi3(a, b), a % b, ua, ub);
}

}  // namespace

int main() {
  const std::vector<uint32_t> special32 = {
      0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007FFFFF, 0x807FFFFF, 0x00800000, 0x80800000,
      0x00800001, 0x3F800000, 0xBF800000, 0x3F800001, 0x3F7FFFFF, 0x40000000, 0x3F000000, 0x33800000,
      0x34000000, 0x4B000000, 0x4B7FFFFF, 0x4F000000, 0xCF000000, 0x4F800000, 0x7F7FFFFF, 0xFF7FFFFF,
      0x7F000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7F800001, 0x3EAAAAAB, 0x00400000};
  const std::vector<uint64_t> special64 = {
      0x0000000000000000ull, 0x8000000000000000ull, 0x0000000000000001ull, 0x000FFFFFFFFFFFFFull,
      0x0010000000000000ull, 0x0010000000000001ull, 0x3FF0000000000000ull, 0xBFF0000000000000ull,
      0x3FF0000000000001ull, 0x3FEFFFFFFFFFFFFFull, 0x4000000000000000ull, 0x3FE0000000000000ull,
      0x3CA0000000000000ull, 0x4330000000000000ull, 0x41E0000000000000ull, 0xC1E0000000000000ull,
      0x41DFFFFFFFC00000ull, 0x41EFFFFFFFE00000ull, 0x7FEFFFFFFFFFFFFFull, 0xFFEFFFFFFFFFFFFFull,
      0x7FF0000000000000ull, 0xFFF0000000000000ull, 0x7FF8000000000000ull, 0xFFF8000000000000ull,
      0x7FF0000000000001ull, 0x47EFFFFFE0000000ull, 0x47EFFFFFF0000000ull, 0x36A0000000000000ull,
      0x3690000000000000ull, 0x36A8000000000000ull, 0x3FD5555555555555ull, 0x380FFFFFF0000000ull};
  for (uint32_t a : special32) {
    check_f32_unary(a);
    for (uint32_t b : special32) check_f32_binary(a, b);
  }
  for (uint64_t a : special64) {
    check_f64_unary(a);
    for (uint64_t b : special64) check_f64_binary(a, b);
  }
  const int32_t special_ints[] = {0, 1, -1, 2, -2, 3, 7, 0x7FFFFFFF, int32_t(0x80000000), 0x01000001, 0x7FFFFFC0,
                                  16777217, -16777217, 65535, 65536};
  for (int32_t a : special_ints)
    for (int32_t b : special_ints) {
      check_int32(uint32_t(a), uint32_t(b));
      check_int64(uint64_t(int64_t(a)), uint64_t(int64_t(b)));
    }

  const int kRandom = 400000;
  for (int i = 0; i < kRandom; ++i) {
    const int kind = i & 3;
    const uint32_t a32 = random_f32(kind == 3 ? 3 : 0, 0);
    check_f32_binary(a32, random_f32(kind, a32));
    check_f32_unary(random_f32(kind, a32));
    const uint64_t a64 = random_f64(kind == 3 ? 3 : 0, 0);
    check_f64_binary(a64, random_f64(kind, a64));
    check_f64_unary(random_f64(kind, a64));
    check_f64_unary(raw(double(f32(a32))) + (next() & 0x3FFFFFFF) - 0x1FFFFFFF);  // near float ties
    // Integers of random widths.
    const uint64_t x = next() >> (next() & 63), y = next() >> (next() & 63);
    check_int32(uint32_t(x), uint32_t(y));
    check_int32(uint32_t(next()), uint32_t(next() >> (next() & 31)));
    check_int64(x, y);
    check_int64(next(), next() >> (next() & 63));
  }
  printf("libgcc helpers: %ld checks, %ld failures\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
