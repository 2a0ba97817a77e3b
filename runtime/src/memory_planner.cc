#include "mote/memory_planner.h"

namespace mote {
namespace {

uint32_t align_up(uint32_t v, uint32_t a) { return (v + a - 1) / a * a; }

bool lifetimes_overlap(const PlanBuffer& a, const PlanBuffer& b) { return a.first <= b.last && b.first <= a.last; }

enum Order { kLargestFirst, kLongestFirst, kEarliestFirst, kAreaFirst, kNumOrders };

// True when buffer a should be placed before buffer b in this order.
bool before(const PlanBuffer& a, const PlanBuffer& b, int order) {
  const int64_t la = int64_t(a.last) - a.first, lb = int64_t(b.last) - b.first;
  switch (order) {
    case kLargestFirst:
      if (a.size != b.size) return a.size > b.size;
      return a.first < b.first;
    case kLongestFirst:
      if (la != lb) return la > lb;
      return a.size > b.size;
    case kEarliestFirst:
      if (a.first != b.first) return a.first < b.first;
      return a.size > b.size;
    default: {
      const int64_t area_a = int64_t(a.size) * (la + 1), area_b = int64_t(b.size) * (lb + 1);
      if (area_a != area_b) return area_a > area_b;
      return a.size > b.size;
    }
  }
}

// Greedy placement in the given order: each buffer goes to the lowest offset
// where it does not overlap any already placed buffer that is alive at the
// same time. Returns the block size; offsets go to `offsets`.
uint32_t place(const PlanBuffer* buffers, int n, uint32_t alignment, int order, int32_t* sequence,
               uint32_t* offsets) {
  for (int i = 0; i < n; ++i) sequence[i] = i;
  // Insertion sort: n is small (one entry per activation tensor) and this keeps
  // the code free of library calls that may allocate.
  for (int i = 1; i < n; ++i) {
    int32_t cur = sequence[i];
    int j = i - 1;
    while (j >= 0 && before(buffers[cur], buffers[sequence[j]], order)) {
      sequence[j + 1] = sequence[j];
      --j;
    }
    sequence[j + 1] = cur;
  }
  uint32_t total = 0;
  for (int k = 0; k < n; ++k) {
    const PlanBuffer& b = buffers[sequence[k]];
    const uint32_t size = align_up(b.size, alignment);
    uint32_t candidate = 0;
    // Raise the candidate past every conflicting placed buffer until it fits.
    bool moved = true;
    while (moved) {
      moved = false;
      for (int p = 0; p < k; ++p) {
        const int32_t other = sequence[p];
        const PlanBuffer& o = buffers[other];
        if (!lifetimes_overlap(b, o) || o.size == 0 || b.size == 0) continue;
        const uint32_t o_begin = offsets[other], o_end = offsets[other] + align_up(o.size, alignment);
        if (candidate < o_end && o_begin < candidate + size) {
          candidate = o_end;
          moved = true;
        }
      }
    }
    offsets[sequence[k]] = candidate;
    if (candidate + size > total) total = candidate + size;
  }
  return total;
}

}  // namespace

size_t planner_work_bytes(int n) { return size_t(n) * (sizeof(int32_t) + 2 * sizeof(uint32_t)); }

uint32_t plan_buffers(PlanBuffer* buffers, int n, uint32_t alignment, void* work) {
  int32_t* sequence = static_cast<int32_t*>(work);
  uint32_t* offsets = reinterpret_cast<uint32_t*>(sequence + n);
  uint32_t* best_offsets = offsets + n;
  uint32_t best = 0;
  for (int order = 0; order < kNumOrders; ++order) {
    uint32_t total = place(buffers, n, alignment, order, sequence, offsets);
    if (order == 0 || total < best) {
      best = total;
      for (int i = 0; i < n; ++i) best_offsets[i] = offsets[i];
    }
  }
  for (int i = 0; i < n; ++i) buffers[i].offset = best_offsets[i];
  return best;
}

bool plan_has_overlap(const PlanBuffer* buffers, int n) {
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      const PlanBuffer& a = buffers[i];
      const PlanBuffer& b = buffers[j];
      if (a.size == 0 || b.size == 0 || !lifetimes_overlap(a, b)) continue;
      if (a.offset < b.offset + b.size && b.offset < a.offset + a.size) return true;
    }
  }
  return false;
}

}  // namespace mote
