// Input and output of a streaming kernel in one block of memory, the output
// starting `lead` bytes from the input (output start - input start, as the
// memory planner places an allowed overlap), with guard bytes before the
// lower of the two and after the higher end. For the differential tests of
// the streaming CONV_2D / DEPTHWISE_CONV_2D kernels.
#pragma once

#include <gtest/gtest.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <algorithm>
#include <vector>

#include "kernels/conv_params.h"
#include "kernels/overlap_bounds.h"

class OverlappedBuffers {
 public:
  static constexpr size_t kGuardBytes = 64;
  static constexpr uint8_t kGuard = 0xA5;

  // The input sits `misalign` bytes past a 16-byte boundary.
  OverlappedBuffers(size_t input_bytes, size_t output_bytes, int64_t lead, size_t misalign)
      : input_bytes_(input_bytes), output_bytes_(output_bytes) {
    const int64_t low = std::min<int64_t>(0, lead);
    const int64_t high = std::max<int64_t>(int64_t(input_bytes), lead + int64_t(output_bytes));
    storage_.assign(size_t(high - low) + 2 * kGuardBytes + 32 + misalign, kGuard);
    const uintptr_t base = reinterpret_cast<uintptr_t>(storage_.data()) + kGuardBytes;
    size_t start = size_t(kGuardBytes + (16 - base % 16) % 16);
    // Keep the input's offset from a 16-byte boundary equal to misalign.
    start += size_t(-low + 15) / 16 * 16 + misalign;
    input_ = start;
    output_ = size_t(int64_t(start) + lead);
    first_ = std::min(input_, output_);
    end_ = std::max(input_ + input_bytes, output_ + output_bytes);
  }

  uint8_t* input() { return storage_.data() + input_; }
  uint8_t* output() { return storage_.data() + output_; }
  const uint8_t* output_bytes() const { return storage_.data() + output_; }
  size_t output_size() const { return output_bytes_; }

  // Nothing written outside the input and output.
  bool guards_intact() const {
    for (size_t i = 0; i < storage_.size(); ++i)
      if ((i < first_ || i >= end_) && storage_[i] != kGuard) return false;
    return true;
  }

 private:
  size_t input_bytes_, output_bytes_;
  size_t input_ = 0, output_ = 0, first_ = 0, end_ = 0;
  std::vector<uint8_t> storage_;
};

// A conv / depthwise window as kernels/overlap_bounds.h takes it.
inline mote::WindowGeometry window_geometry_of(const mote::ConvParams& p, const mote::Dims4& in,
                                               const mote::Dims4& fd, const mote::Dims4& out, int32_t element_size) {
  mote::WindowGeometry g;
  g.batches = in.n;
  g.input_height = in.h;
  g.input_width = in.w;
  g.input_pixel_bytes = in.c * element_size;
  g.output_height = out.h;
  g.output_width = out.w;
  g.output_pixel_bytes = out.c * element_size;
  g.stride_height = p.stride_h;
  g.stride_width = p.stride_w;
  g.pad_top = p.pad_h;
  g.pad_left = p.pad_w;
  g.extent_height = (fd.h - 1) * p.dilation_h + 1;
  g.extent_width = (fd.w - 1) * p.dilation_w + 1;
  return g;
}

// The leads to test a streaming kernel at: the bound itself and the largest
// multiple of 16 below it (what the planner, with 16-byte offsets, uses).
inline std::vector<int64_t> leads_at_bound(int32_t max_lead) {
  const int64_t aligned = int64_t(max_lead) >= 0 ? int64_t(max_lead) / 16 * 16 : -((-int64_t(max_lead) + 15) / 16 * 16);
  if (aligned == max_lead) return {max_lead};
  return {max_lead, aligned};
}

// The leads to test a back-to-front kernel at: the bound rounded up to a
// multiple of `step`, and to a multiple of 16 and of `step` (the planner's).
inline std::vector<int64_t> leads_at_min_bound(int32_t min_lead, int64_t step) {
  const auto round_up = [](int64_t v, int64_t a) { return (v + a - 1) / a * a; };
  int64_t both = step;
  while (both % 16 != 0) both += step;
  const int64_t exact = round_up(min_lead, step), aligned = round_up(min_lead, both);
  if (aligned == exact) return {exact};
  return {exact, aligned};
}

// Runs kernel(input, output) on a copy of `input` with the output `lead`
// bytes from it, and checks that the output is `expected` and that nothing
// outside input and output was written.
template <typename Kernel>
::testing::AssertionResult streams_over_input(const void* input, size_t input_bytes, const void* expected,
                                              size_t output_bytes, int64_t lead, size_t misalign, Kernel kernel) {
  OverlappedBuffers m(input_bytes, output_bytes, lead, misalign);
  memcpy(m.input(), input, input_bytes);
  kernel(m.input(), m.output());
  if (memcmp(m.output_bytes(), expected, output_bytes) != 0)
    return ::testing::AssertionFailure() << "output differs at lead " << lead;
  if (!m.guards_intact()) return ::testing::AssertionFailure() << "wrote outside input and output at lead " << lead;
  return ::testing::AssertionSuccess();
}
