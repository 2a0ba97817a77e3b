// Places buffers with known lifetimes in one block of memory so that buffers
// alive at the same time never overlap, keeping the block small.
//
// Lifetimes are node indices in execution order, inclusive: a buffer written
// by node 2 and last read by node 5 has first = 2, last = 5. Several
// placement orders are tried (largest first, longest-lived first, ...) and the
// smallest result is kept, which is never worse than the largest-first greedy
// placement TFLM uses.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace mote {

struct PlanBuffer {
  uint32_t size = 0;
  int32_t first = 0;
  int32_t last = 0;
  uint32_t offset = 0;  // output
};

// Bytes of work memory plan_buffers() needs for n buffers.
size_t planner_work_bytes(int n);

// Places the n buffers (sets .offset, each a multiple of `alignment`) and
// returns the size of the block. `work` must hold planner_work_bytes(n) bytes
// aligned to 4.
uint32_t plan_buffers(PlanBuffer* buffers, int n, uint32_t alignment, void* work);

// True when two buffers with overlapping lifetimes overlap in memory.
bool plan_has_overlap(const PlanBuffer* buffers, int n);

}  // namespace mote
