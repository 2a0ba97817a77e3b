// One case of the window-kernel differential tests (optimized_conv_test,
// optimized_dwconv_test): NHWC input, filter size, strides, dilations, SAME
// or VALID padding, bias or not, and how far the buffers sit off alignment.
// Each test adds its output channels (CONV_2D's count, DEPTHWISE_CONV_2D's
// multiplier) and its filter layout.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <string>

#include "kernels/conv_params.h"

struct WindowCase {
  int32_t batches = 1, in_h = 5, in_w = 5, in_c = 8;
  int32_t filter_h = 3, filter_w = 3;
  int32_t stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  bool same = true;
  bool bias = true;
  size_t misalign = 0;

  // The case as a trace line; `channels` names the output channels ("->4", " dm2").
  std::string describe(const std::string& channels) const {
    char buf[200];
    snprintf(buf, sizeof(buf), "n%d %dx%dx%d%s f%dx%d s%d,%d d%d,%d %s%s misalign%zu", int(batches), int(in_h),
             int(in_w), int(in_c), channels.c_str(), int(filter_h), int(filter_w), int(stride_h), int(stride_w),
             int(dilation_h), int(dilation_w), same ? "SAME" : "VALID", bias ? "" : " nobias", misalign);
    return buf;
  }

  // Input and output dims, strides, dilations and padding as the ops' prepare
  // computes them; false when the output would be empty.
  bool window_geometry(int32_t out_channels, mote::ConvParams* p, mote::Dims4* in, mote::Dims4* out) const {
    const auto padding = same ? mote::schema::Padding::kSame : mote::schema::Padding::kValid;
    *in = mote::Dims4{batches, in_h, in_w, in_c};
    out->n = batches;
    out->h = mote::conv_output_size(padding, in_h, filter_h, stride_h, dilation_h);
    out->w = mote::conv_output_size(padding, in_w, filter_w, stride_w, dilation_w);
    out->c = out_channels;
    if (out->h <= 0 || out->w <= 0) return false;
    p->stride_h = stride_h;
    p->stride_w = stride_w;
    p->dilation_h = dilation_h;
    p->dilation_w = dilation_w;
    p->pad_h = mote::conv_padding_before(in_h, filter_h, stride_h, dilation_h, out->h);
    p->pad_w = mote::conv_padding_before(in_w, filter_w, stride_w, dilation_w, out->w);
    return true;
  }
};

inline size_t elements(const mote::Dims4& d) { return size_t(d.n) * d.h * d.w * d.c; }
