// A model embedded in a device image with its reference inputs and outputs
// (and, for stateful models, a sequence of invokes with the state after each).
// scripts/device-conformance.sh generates the definitions (model_data.cc in
// the build directory) from ../shared with device/embed_model.cc.
#pragma once

#include <stdint.h>

#include "mote/op_resolver.h"
#include "mote/status.h"

struct DeviceBlob {
  const uint8_t* data;
  uint32_t size;
};

struct DeviceSample {
  const DeviceBlob* inputs;   // one per model input
  const DeviceBlob* outputs;  // one per model output (reference bytes)
};

// A variable (state) tensor's reference bytes.
struct DeviceState {
  int32_t tensor;  // index in subgraph 0
  DeviceBlob bytes;
};

// One step of a sequence of consecutive invokes on one interpreter: its
// inputs, then the outputs and state after that invoke.
struct DeviceStep {
  DeviceSample sample;
  const DeviceState* state_after;
  int num_state;
};

struct DeviceModel {
  const char* name;
  const uint8_t* model;  // the .tflite flatbuffer, 16-byte aligned
  uint32_t model_size;
  int num_inputs;
  int num_outputs;
  int num_samples;
  const DeviceSample* samples;  // each the first invoke after allocation
  int num_steps;                // 0 when the model has no sequence
  const DeviceStep* steps;
  int32_t reference_arena_bytes;  // TFLM's arena_used_bytes on ILP32, -1 if unknown
  // Registers exactly the ops the model uses.
  mote::Status (*add_ops)(mote::OpResolver& resolver);
};

extern const DeviceModel kDeviceModel;
// Statically allocated arena; its size is chosen by the generator.
extern uint8_t device_arena[];
extern const uint32_t device_arena_bytes;
