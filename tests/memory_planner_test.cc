#include "mote/memory_planner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace {

uint32_t plan(std::vector<mote::PlanBuffer>& buffers, uint32_t alignment = 16) {
  std::vector<uint8_t> work(mote::planner_work_bytes(int(buffers.size())) + 16);
  return mote::plan_buffers(buffers.data(), int(buffers.size()), alignment, work.data());
}

// Peak of the sum of live (aligned) sizes over time: no placement can be smaller.
uint32_t lower_bound(const std::vector<mote::PlanBuffer>& buffers, uint32_t alignment) {
  int32_t last = 0;
  for (const auto& b : buffers) last = std::max(last, b.last);
  uint32_t peak = 0;
  for (int32_t t = 0; t <= last; ++t) {
    uint32_t live = 0;
    for (const auto& b : buffers)
      if (b.first <= t && t <= b.last) live += (b.size + alignment - 1) / alignment * alignment;
    peak = std::max(peak, live);
  }
  return peak;
}

TEST(MemoryPlanner, ChainReusesMemory) {
  // a -> b -> c: a and c never live together, so they share offset 0.
  std::vector<mote::PlanBuffer> b = {{1000, 0, 1}, {2000, 1, 2}, {1000, 2, 3}};
  uint32_t total = plan(b);
  EXPECT_FALSE(mote::plan_has_overlap(b.data(), 3));
  EXPECT_EQ(total, 1008u + 2000u);
  EXPECT_EQ(b[0].offset, b[2].offset);
}

TEST(MemoryPlanner, OffsetsAreAligned) {
  std::vector<mote::PlanBuffer> b = {{3, 0, 0}, {5, 0, 0}, {7, 0, 0}};
  uint32_t total = plan(b, 16);
  for (const auto& x : b) EXPECT_EQ(x.offset % 16, 0u);
  EXPECT_EQ(total, 48u);
}

TEST(MemoryPlanner, OverlapCheckDetectsConflicts) {
  std::vector<mote::PlanBuffer> b = {{100, 0, 2, 0}, {100, 1, 3, 50}};
  EXPECT_TRUE(mote::plan_has_overlap(b.data(), 2));
  b[1].offset = 100;
  EXPECT_FALSE(mote::plan_has_overlap(b.data(), 2));
  b[1].first = 3;  // no longer alive together
  b[1].offset = 0;
  EXPECT_FALSE(mote::plan_has_overlap(b.data(), 2));
}

TEST(MemoryPlanner, RandomGraphsNeverOverlapAndStayNearTheBound) {
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 300; ++trial) {
    int n = 1 + int(rng() % 60);
    std::vector<mote::PlanBuffer> b(n);
    for (auto& x : b) {
      x.first = int32_t(rng() % 40);
      x.last = x.first + int32_t(rng() % 8);
      x.size = 1 + rng() % 5000;
    }
    uint32_t total = plan(b);
    ASSERT_FALSE(mote::plan_has_overlap(b.data(), n)) << "trial " << trial;
    uint32_t bound = lower_bound(b, 16);
    EXPECT_GE(total, bound);
    for (const auto& x : b) EXPECT_LE(x.offset + x.size, total);
  }
}
}  // namespace
