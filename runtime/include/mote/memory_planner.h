// Places buffers with known lifetimes in one block of memory so that buffers
// alive at the same time never overlap, keeping the block small.
//
// Lifetimes are node indices in execution order, inclusive: a buffer written
// by node 2 and last read by node 5 has first = 2, last = 5. Several
// placement orders are tried (largest first, longest-lived first, ...) and the
// smallest result is kept, which is never worse than the largest-first greedy
// placement TFLM uses.
//
// Overlaps: a node whose kernel can write its output over an input that dies
// at that node declares it (PlanOverlap); the planner may then place the two
// so that they share memory, within the offsets the kernel allows.
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
// writes less than it has consumed allows [-inf, max_lead].
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
// aligned to 4. The result is never larger than without the overlaps.
uint32_t plan_buffers(PlanBuffer* buffers, int n, uint32_t alignment, void* work, const PlanOverlap* overlaps = nullptr,
                      int num_overlaps = 0);

// True when two buffers with overlapping lifetimes overlap in memory in a way
// the overlaps do not allow.
bool plan_has_overlap(const PlanBuffer* buffers, int n, const PlanOverlap* overlaps = nullptr, int num_overlaps = 0);

// A window op over NHWC tensors (pooling, DEPTHWISE_CONV_2D, CONV_2D).
struct WindowGeometry {
  int32_t batches = 1;
  int32_t input_height = 0, input_width = 0;
  int32_t input_pixel_bytes = 0;  // channels * element size
  int32_t output_height = 0, output_width = 0;
  int32_t output_pixel_bytes = 0;
  int32_t stride_height = 1, stride_width = 1;
  int32_t pad_top = 0, pad_left = 0;  // rows/columns of padding before the input
};

// The largest lead (output start - input start, in bytes) at which the output
// of a window op may overlap its input. It holds for any filter size and
// dilation, and is negative: the output starts at least one output pixel
// below the input. Two kinds of kernels may use it:
//  - pixel order: the kernel produces output pixels in (batch, row, column)
//    order and, once it has written any byte of output pixel p, reads only
//    input that output pixels >= p need; any lead <= the bound is safe.
//  - channel-separable (pooling, depthwise with multiplier 1; input and
//    output pixels the same size): output channel c reads only input channel
//    c, and for each channel (or block of channels) the kernel visits output
//    pixels in that order, reading a pixel's window before writing it. Pixel
//    or channel blocks outermost, both qualify, with leads that are also
//    multiples of the pixel size: then output (p, c) lands on input (p - k,
//    c), which no output >= p of channel c reads.
int32_t window_op_max_lead(const WindowGeometry& g);

// The same for a kernel that walks `steps` equal steps front to back (an RNN
// over time, rows of a matrix), reads all of step k's input before writing
// any of step k's output, and afterwards reads only later steps' input.
int32_t streaming_max_lead(int32_t steps, int32_t input_step_bytes, int32_t output_step_bytes);

}  // namespace mote
