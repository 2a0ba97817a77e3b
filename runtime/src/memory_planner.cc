#include "mote/memory_planner.h"

namespace mote {
namespace {

uint32_t align_up(uint32_t v, uint32_t a) { return (v + a - 1) / a * a; }

// Rounds toward -inf / +inf to a multiple of a (a > 0), for signed leads.
int64_t floor_to(int64_t v, int64_t a) { return (v >= 0 ? v / a : -((-v + a - 1) / a)) * a; }
int64_t ceil_to(int64_t v, int64_t a) { return -floor_to(-v, a); }

bool lifetimes_overlap(const PlanBuffer& a, const PlanBuffer& b) { return a.first <= b.last && b.first <= a.last; }

enum Order { kLargestFirst, kLongestFirst, kEarliestFirst, kAreaFirst, kLatestFirst, kNumOrders };
// Placements the search after the greedy orders may try (each costs as much
// as one greedy order).
constexpr int kSearchSteps = 32;

// A fixed pseudo-random value for step `step` of the search (deterministic:
// the same plan on every run and every core).
uint32_t jitter(int step) {
  uint32_t x = uint32_t(step + 1) * 0x9E3779B1u;
  x ^= x >> 15;
  x *= 0x2C1B3C6Du;
  x ^= x >> 12;
  x *= 0x297A2D39u;
  return x ^ (x >> 15);
}

// True when buffer i should be placed before buffer j in this order.
bool before(const PlanBuffer* buffers, int32_t i, int32_t j, int order) {
  const PlanBuffer& a = buffers[i];
  const PlanBuffer& b = buffers[j];
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

// The leads allowance `a` permits between offsets that are multiples of the
// alignment: multiples of `step` in [lo, hi]. False when there are none.
bool lead_range(const PlanOverlap& a, uint32_t alignment, int64_t* step, int64_t* lo, int64_t* hi) {
  *step = alignment;
  if (a.lead_step > 1) {
    int64_t x = a.lead_step, y = alignment;
    while (y != 0) {
      const int64_t r = x % y;
      x = y;
      y = r;
    }
    *step = int64_t(a.lead_step) / x * alignment;
  }
  *lo = a.min_lead == kUnboundedLead ? floor_to(INT64_MIN / 4, *step) : ceil_to(a.min_lead, *step);
  *hi = floor_to(a.max_lead, *step);
  return *lo <= *hi;
}

// Lowest offset >= candidate where buffer `self` can start without breaking
// the allowance `a` with the placed buffer `other` (which starts at
// other_begin and ends at other_end), given that at `candidate` they overlap.
// Returns candidate itself when the overlap is allowed.
int64_t resolve(const PlanOverlap& a, int32_t self, int64_t candidate, int64_t other_begin, int64_t other_end,
                uint32_t alignment) {
  int64_t step = 0, lo = 0, hi = 0;
  if (!lead_range(a, alignment, &step, &lo, &hi)) return other_end;
  // The lowest candidate >= this one whose lead is allowed, if it still
  // overlaps the other buffer (beyond that, other_end is free of it anyway).
  int64_t next = other_end;
  if (a.output == self) {
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

bool same_pair(const PlanOverlap& a, int32_t i, int32_t j) {
  return (a.input == i && a.output == j) || (a.input == j && a.output == i);
}

// The same over every allowance between self and other (a kernel that can
// walk front to back or back to front allows two ranges): the lowest offset
// any of them permits, other_end when there is none.
int64_t resolve_pair(const PlanOverlap* overlaps, int num_overlaps, int32_t self, int32_t other, int64_t candidate,
                     int64_t other_begin, int64_t other_end, uint32_t alignment) {
  int64_t next = other_end;
  for (int k = 0; k < num_overlaps; ++k) {
    if (!same_pair(overlaps[k], self, other)) continue;
    const int64_t r = resolve(overlaps[k], self, candidate, other_begin, other_end, alignment);
    if (r < next) next = r;
  }
  return next;
}

// Puts the buffer indices in `sequence` in the given order.
void sort_sequence(const PlanBuffer* buffers, int n, int order, int32_t* sequence) {
  for (int i = 0; i < n; ++i) sequence[i] = i;
  // Insertion sort: n is small (one entry per activation tensor) and this keeps
  // the code free of library calls that may allocate.
  for (int i = 1; i < n; ++i) {
    int32_t cur = sequence[i];
    int j = i - 1;
    while (j >= 0 && before(buffers, cur, sequence[j], order)) {
      sequence[j + 1] = sequence[j];
      --j;
    }
    sequence[j + 1] = cur;
  }
}

// Greedy placement in the order of `sequence`: each buffer goes to the lowest
// offset where it does not overlap any already placed buffer that is alive at
// the same time (unless an allowance permits it). Returns the block size;
// offsets go to `offsets`.
uint32_t place(const PlanBuffer* buffers, int n, uint32_t alignment, const PlanOverlap* overlaps, int num_overlaps,
               const int32_t* sequence, uint32_t* offsets) {
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
          const int64_t next =
              resolve_pair(overlaps, num_overlaps, self, other, candidate, o_begin, o_end, alignment);
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
                      int num_overlaps, uint32_t* lower_bound) {
  int32_t* sequence = static_cast<int32_t*>(work);
  uint32_t* offsets = reinterpret_cast<uint32_t*>(sequence + n);
  uint32_t* best_offsets = offsets + n;
  const uint32_t bound = plan_lower_bound(buffers, n, alignment, overlaps, num_overlaps);
  if (lower_bound != nullptr) *lower_bound = bound;
  uint32_t best = 0;
  bool have_best = false;
  // Places `sequence`, keeps the plan if it is the best so far; returns its size.
  auto try_sequence = [&](int num_allowed) {
    const uint32_t total = place(buffers, n, alignment, overlaps, num_allowed, sequence, offsets);
    if (!have_best || total < best) {
      have_best = true;
      best = total;
      for (int i = 0; i < n; ++i) best_offsets[i] = offsets[i];
    }
    return total;
  };
  auto reached_bound = [&] { return have_best && best <= bound; };
  // With the allowances first, then without, so that allowing overlaps never
  // makes a plan larger; each pass stops once the bound is reached, as no
  // placement can be smaller.
  for (int with_overlaps = num_overlaps > 0 ? 1 : 0; with_overlaps >= 0 && !reached_bound(); --with_overlaps) {
    const int num_allowed = with_overlaps ? num_overlaps : 0;
    int pass_order = 0;
    uint32_t pass_best = 0;
    for (int order = 0; order < kNumOrders && !reached_bound(); ++order) {
      sort_sequence(buffers, n, order, sequence);
      const uint32_t total = try_sequence(num_allowed);
      if (order == 0 || total < pass_best) {
        pass_best = total;
        pass_order = order;
      }
    }
    // Branching graphs (skip connections) can need a buffer placed before
    // others that no order by size or lifetime puts first. From the pass's best
    // order, move the buffer that ends highest earlier (alternately to the
    // front and to a pseudo-random earlier position) and place again, a fixed
    // number of times or until the bound is reached.
    if (reached_bound() || n < 2) continue;
    sort_sequence(buffers, n, pass_order, sequence);
    place(buffers, n, alignment, overlaps, num_allowed, sequence, offsets);
    for (int step = 0; step < kSearchSteps && !reached_bound(); ++step) {
      int highest = 0;
      uint32_t top = 0;
      for (int k = 0; k < n; ++k) {
        const uint32_t end = offsets[sequence[k]] + align_up(buffers[sequence[k]].size, alignment);
        if (end > top) {
          top = end;
          highest = k;
        }
      }
      const int32_t moved = sequence[highest];
      const int to = (step & 1) || highest == 0 ? 0 : int(jitter(step) % uint32_t(highest));
      for (int k = highest; k > to; --k) sequence[k] = sequence[k - 1];
      sequence[to] = moved;
      try_sequence(num_allowed);
    }
  }
  for (int i = 0; i < n; ++i) buffers[i].offset = best_offsets[i];
  return best;
}

namespace {

// The most bytes the two buffers of allowance `a` (aligned sizes) can share:
// at the allowed lead nearest 0, as their union only grows away from it.
int64_t max_shared_bytes(const PlanOverlap& a, int64_t in_size, int64_t out_size, uint32_t alignment) {
  int64_t step = 0, lo = 0, hi = 0;
  if (!lead_range(a, alignment, &step, &lo, &hi)) return 0;
  const int64_t lead = lo > 0 ? lo : (hi < 0 ? hi : 0);
  const int64_t end = lead + out_size > in_size ? lead + out_size : in_size;
  const int64_t begin = lead < 0 ? lead : 0;
  const int64_t shared = in_size + out_size - (end - begin);
  return shared > 0 ? shared : 0;
}

// The buffers and allowances plan_lower_bound() looks at, at one node.
struct BoundView {
  const PlanBuffer* buffers;
  const PlanOverlap* overlaps;
  int num_overlaps;
  uint32_t alignment;

  bool alive(int32_t i, int32_t t) const {
    return buffers[i].size > 0 && buffers[i].first <= t && t <= buffers[i].last;
  }
  bool alive(const PlanOverlap& o, int32_t t) const { return alive(o.input, t) && alive(o.output, t); }
  int64_t size(int32_t i) const { return align_up(buffers[i].size, alignment); }
  static int32_t side(const PlanOverlap& o, bool output) { return output ? o.output : o.input; }

  // The most the two buffers of `a` can share under any allowance between them.
  int64_t pair_shared(const PlanOverlap& a) const {
    int64_t best = 0;
    for (int f = 0; f < num_overlaps; ++f) {
      const PlanOverlap& o = overlaps[f];
      if (!same_pair(o, a.input, a.output)) continue;
      const int64_t shared = max_shared_bytes(o, size(o.input), size(o.output), alignment);
      if (shared > best) best = shared;
    }
    return best;
  }

  // What buffer `side(overlaps[k], output)` shares with all its partners of
  // allowances alive at t, counted once: at the first such allowance (0 at
  // the others). At most the sum of what each pair can share; at most the
  // buffer's size when its partners cannot overlap each other (none of them
  // is on the same side of another allowance alive at t: a node's inputs, or
  // its outputs).
  int64_t group_shared(int k, bool output, int32_t t) const {
    const int32_t self = side(overlaps[k], output);
    for (int e = 0; e < k; ++e)
      if (side(overlaps[e], output) == self && alive(overlaps[e], t)) return 0;
    int64_t sum = 0;
    bool disjoint = true;
    for (int e = k; e < num_overlaps; ++e) {
      const PlanOverlap& o = overlaps[e];
      if (side(o, output) != self || !alive(o, t)) continue;
      bool counted = false;  // another allowance of the same pair (the other walk direction)
      for (int f = k; f < e && !counted; ++f) counted = same_pair(overlaps[f], o.input, o.output);
      if (counted) continue;
      sum += pair_shared(o);
      const int32_t partner = side(o, !output);
      for (int f = 0; f < num_overlaps; ++f)
        if (side(overlaps[f], output) == partner && alive(overlaps[f], t)) disjoint = false;
    }
    return disjoint && sum > size(self) ? size(self) : sum;
  }
};

int64_t bound_at(const BoundView& v, int n, int32_t t) {
  int64_t live = 0;
  for (int i = 0; i < n; ++i)
    if (v.alive(i, t)) live += v.size(i);
  // Less what the allowances alive at t may share: the smaller of the totals
  // counted per output and per input.
  int64_t by_output = 0, by_input = 0;
  for (int k = 0; k < v.num_overlaps; ++k) {
    if (!v.alive(v.overlaps[k], t)) continue;
    by_output += v.group_shared(k, true, t);
    by_input += v.group_shared(k, false, t);
  }
  return live - (by_output < by_input ? by_output : by_input);
}

}  // namespace

uint32_t plan_lower_bound(const PlanBuffer* buffers, int n, uint32_t alignment, const PlanOverlap* overlaps,
                          int num_overlaps) {
  const BoundView v{buffers, overlaps, num_overlaps, alignment};
  int64_t peak = 0;
  // The live set changes only where a buffer starts or ends.
  for (int s = 0; s < 2 * n; ++s) {
    const int64_t live = bound_at(v, n, s < n ? buffers[s].first : buffers[s - n].last);
    if (live > peak) peak = live;
  }
  return uint32_t(peak);
}

uint32_t plan_bound_at(const PlanBuffer* buffers, int n, uint32_t alignment, int32_t node,
                       const PlanOverlap* overlaps, int num_overlaps) {
  const BoundView v{buffers, overlaps, num_overlaps, alignment};
  const int64_t live = bound_at(v, n, node);
  return live > 0 ? uint32_t(live) : 0;
}

bool plan_has_overlap(const PlanBuffer* buffers, int n, const PlanOverlap* overlaps, int num_overlaps) {
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      const PlanBuffer& a = buffers[i];
      const PlanBuffer& b = buffers[j];
      if (a.size == 0 || b.size == 0 || !lifetimes_overlap(a, b)) continue;
      if (!(a.offset < b.offset + b.size && b.offset < a.offset + a.size)) continue;
      bool allowed = false;
      for (int k = 0; k < num_overlaps && !allowed; ++k) {
        const PlanOverlap& o = overlaps[k];
        if (!same_pair(o, i, j)) continue;
        const int64_t lead = int64_t(buffers[o.output].offset) - int64_t(buffers[o.input].offset);
        const bool low_ok = o.min_lead == kUnboundedLead || lead >= o.min_lead;
        const bool step_ok = o.lead_step <= 1 || lead % o.lead_step == 0;
        allowed = low_ok && step_ok && lead <= o.max_lead;
      }
      if (!allowed) return true;
    }
  }
  return false;
}

}  // namespace mote
