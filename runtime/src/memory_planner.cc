#include "mote/memory_planner.h"

namespace mote {
namespace {

uint32_t align_up(uint32_t v, uint32_t a) { return (v + a - 1) / a * a; }

// Rounds toward -inf / +inf to a multiple of a (a > 0), for signed leads.
int64_t floor_to(int64_t v, int64_t a) { return (v >= 0 ? v / a : -((-v + a - 1) / a)) * a; }
int64_t ceil_to(int64_t v, int64_t a) { return -floor_to(-v, a); }

bool lifetimes_overlap(const PlanBuffer& a, const PlanBuffer& b) { return a.first <= b.last && b.first <= a.last; }

enum Order { kLargestFirst, kLongestFirst, kEarliestFirst, kAreaFirst, kLatestFirst, kNumOrders };

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
    case kLatestFirst:  // outputs before the (usually larger) inputs they may stream over
      if (a.first != b.first) return a.first > b.first;
      return a.size < b.size;
    default: {
      const int64_t area_a = int64_t(a.size) * (la + 1), area_b = int64_t(b.size) * (lb + 1);
      if (area_a != area_b) return area_a > area_b;
      return a.size > b.size;
    }
  }
}

// The allowance between buffers i and j, if any.
const PlanOverlap* find_overlap(const PlanOverlap* overlaps, int num_overlaps, int32_t i, int32_t j) {
  for (int k = 0; k < num_overlaps; ++k) {
    const PlanOverlap& o = overlaps[k];
    if ((o.input == i && o.output == j) || (o.input == j && o.output == i)) return &o;
  }
  return nullptr;
}

// Lowest offset >= candidate where buffer `self` can start without breaking
// the allowance `a` with the placed buffer `other` (which starts at
// other_begin and ends at other_end), given that at `candidate` they overlap.
// Returns candidate itself when the overlap is allowed.
int64_t resolve(const PlanOverlap* a, int32_t self, int64_t candidate, int64_t other_begin, int64_t other_end,
                uint32_t alignment) {
  if (a == nullptr) return other_end;
  // Offsets are multiples of the alignment, so leads must be multiples of both.
  int64_t step = alignment;
  if (a->lead_step > 1) {
    int64_t x = a->lead_step, y = alignment;
    while (y != 0) {
      const int64_t r = x % y;
      x = y;
      y = r;
    }
    step = int64_t(a->lead_step) / x * alignment;
  }
  const int64_t lo = a->min_lead == kUnboundedLead ? floor_to(INT64_MIN / 4, step) : ceil_to(a->min_lead, step);
  const int64_t hi = floor_to(a->max_lead, step);
  if (lo > hi) return other_end;
  // The lowest candidate >= this one whose lead is allowed, if it still
  // overlaps the other buffer (beyond that, other_end is free of it anyway).
  int64_t next = other_end;
  if (a->output == self) {
    // lead = self - other grows with the candidate.
    const int64_t lead = candidate - other_begin;
    const int64_t allowed = lead < lo ? lo : ceil_to(lead, step);
    if (allowed <= hi) next = other_begin + allowed;
  } else {
    // self is the input: lead = other - self shrinks as the candidate grows.
    const int64_t lead = other_begin - candidate;
    const int64_t allowed = lead > hi ? hi : floor_to(lead, step);
    if (allowed >= lo) next = other_begin - allowed;
  }
  return next < other_end ? next : other_end;
}

// Greedy placement in the given order: each buffer goes to the lowest offset
// where it does not overlap any already placed buffer that is alive at the
// same time (unless an allowance permits it). Returns the block size; offsets
// go to `offsets`.
uint32_t place(const PlanBuffer* buffers, int n, uint32_t alignment, int order, const PlanOverlap* overlaps,
               int num_overlaps, int32_t* sequence, uint32_t* offsets) {
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
    const int32_t self = sequence[k];
    const PlanBuffer& b = buffers[self];
    const uint32_t size = align_up(b.size, alignment);
    int64_t candidate = 0;
    // Raise the candidate past every conflict until it fits: each step moves
    // it to the lowest offset that resolves one conflict, so the result is the
    // lowest offset that resolves all of them.
    bool moved = true;
    while (moved) {
      moved = false;
      for (int p = 0; p < k; ++p) {
        const int32_t other = sequence[p];
        const PlanBuffer& o = buffers[other];
        if (!lifetimes_overlap(b, o) || o.size == 0 || b.size == 0) continue;
        const int64_t o_begin = offsets[other], o_end = o_begin + align_up(o.size, alignment);
        if (candidate < o_end && o_begin < candidate + size) {
          const int64_t next = resolve(find_overlap(overlaps, num_overlaps, self, other), self, candidate, o_begin,
                                       o_end, alignment);
          if (next != candidate) {
            candidate = next;
            moved = true;
          }
        }
      }
    }
    offsets[self] = uint32_t(candidate);
    if (uint32_t(candidate) + size > total) total = uint32_t(candidate) + size;
  }
  return total;
}

}  // namespace

size_t planner_work_bytes(int n) { return size_t(n) * (sizeof(int32_t) + 2 * sizeof(uint32_t)); }

uint32_t plan_buffers(PlanBuffer* buffers, int n, uint32_t alignment, void* work, const PlanOverlap* overlaps,
                      int num_overlaps) {
  int32_t* sequence = static_cast<int32_t*>(work);
  uint32_t* offsets = reinterpret_cast<uint32_t*>(sequence + n);
  uint32_t* best_offsets = offsets + n;
  uint32_t best = 0;
  bool have_best = false;
  // With the allowances first; the plain placements too, so that allowing
  // overlaps never makes a plan larger.
  for (int with_overlaps = num_overlaps > 0 ? 1 : 0; with_overlaps >= 0; --with_overlaps) {
    for (int order = 0; order < kNumOrders; ++order) {
      const uint32_t total = place(buffers, n, alignment, order, overlaps, with_overlaps ? num_overlaps : 0, sequence,
                                   offsets);
      if (!have_best || total < best) {
        have_best = true;
        best = total;
        for (int i = 0; i < n; ++i) best_offsets[i] = offsets[i];
      }
    }
  }
  for (int i = 0; i < n; ++i) buffers[i].offset = best_offsets[i];
  return best;
}

bool plan_has_overlap(const PlanBuffer* buffers, int n, const PlanOverlap* overlaps, int num_overlaps) {
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      const PlanBuffer& a = buffers[i];
      const PlanBuffer& b = buffers[j];
      if (a.size == 0 || b.size == 0 || !lifetimes_overlap(a, b)) continue;
      if (!(a.offset < b.offset + b.size && b.offset < a.offset + a.size)) continue;
      const PlanOverlap* allowed = find_overlap(overlaps, num_overlaps, i, j);
      if (allowed == nullptr) return true;
      const int64_t lead = int64_t(buffers[allowed->output].offset) - int64_t(buffers[allowed->input].offset);
      const bool low_ok = allowed->min_lead == kUnboundedLead || lead >= allowed->min_lead;
      const bool step_ok = allowed->lead_step <= 1 || lead % allowed->lead_step == 0;
      if (!low_ok || !step_ok || lead > allowed->max_lead) return true;
    }
  }
  return false;
}

}  // namespace mote
