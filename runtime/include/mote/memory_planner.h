// Places buffers with known lifetimes in one block of memory so that buffers
// alive at the same time never overlap, keeping the block small.
//
// Lifetimes are node indices in execution order, inclusive: a buffer written
// by node 2 and last read by node 5 has first = 2, last = 5. Several
// placement orders are tried (largest first, longest-lived first, ...) and the
// smallest result is kept, which is never worse than the largest-first greedy
// placement TFLM uses. When none reaches the lower bound (plan_lower_bound;
// branching graphs), a fixed set of randomised orders is tried as well.
//
// Overlaps: a node whose kernel can write its output over an input that dies
// at that node declares it (PlanOverlap); the planner may then place the two
// so that they share memory, within the offsets the kernel allows (the bounds
// of window and streaming kernels: kernels/overlap_bounds.h).
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

// Buffers `input` and `output` (indices into the buffer array) may share
// memory when output.offset - input.offset (the lead, in bytes) lies in
// [min_lead, max_lead] and is a multiple of lead_step (when > 1).
// Elementwise in place is [0, 0]; a kernel that streams front to back and
// writes less than it has consumed allows [-inf, max_lead]. Several
// allowances of one pair allow the union of their leads (a kernel that can
// also walk back to front adds [min_lead, +inf)).
struct PlanOverlap {
  int32_t input = 0;
  int32_t output = 0;
  int32_t min_lead = 0;
  int32_t max_lead = 0;
  int32_t lead_step = 0;
};
constexpr int32_t kUnboundedLead = INT32_MIN;

// Bytes of work memory plan_buffers() needs for n buffers.
size_t planner_work_bytes(int n);

// Places the n buffers (sets .offset, each a multiple of `alignment`) and
// returns the size of the block. `work` must hold planner_work_bytes(n) bytes
// aligned to 4. The result is never larger than without the overlaps. When
// `lower_bound` is given it receives plan_lower_bound() of the buffers.
uint32_t plan_buffers(PlanBuffer* buffers, int n, uint32_t alignment, void* work, const PlanOverlap* overlaps = nullptr,
                      int num_overlaps = 0, uint32_t* lower_bound = nullptr);

// No placement of the buffers is smaller than this: the most bytes alive at
// any node, less what the overlaps alive there may share. plan_buffers()
// stops trying orders once it reaches it.
uint32_t plan_lower_bound(const PlanBuffer* buffers, int n, uint32_t alignment, const PlanOverlap* overlaps = nullptr,
                          int num_overlaps = 0);

// plan_lower_bound()'s term at one node: the bytes alive there, less what the
// overlaps alive there may share.
uint32_t plan_bound_at(const PlanBuffer* buffers, int n, uint32_t alignment, int32_t node,
                       const PlanOverlap* overlaps = nullptr, int num_overlaps = 0);

// True when two buffers with overlapping lifetimes overlap in memory in a way
// the overlaps do not allow.
bool plan_has_overlap(const PlanBuffer* buffers, int n, const PlanOverlap* overlaps = nullptr, int num_overlaps = 0);

}  // namespace mote
