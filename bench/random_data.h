// Seeded random inputs for the kernel benchmarks (the same data every run).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <random>
#include <vector>

inline std::vector<int8_t> random_int8(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<int8_t> v(n);
  for (int8_t& x : v) x = int8_t(int32_t(rng() % 256) - 128);
  return v;
}

inline std::vector<float> random_floats(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}
