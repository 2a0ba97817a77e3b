// Bare-metal conformance runner: runs the embedded model (device_model.h) on
// each embedded reference input with only the mote runtime, and compares
// every output byte with the embedded TFLM reference output. A stateful
// model's sequence then runs as consecutive invokes on the same interpreter,
// every output and state tensor compared after every step.
//
// Prints one machine-readable line that scripts/device-conformance.sh parses:
//   RESULT model=<name> core=<core> exact=yes|no arena=<bytes> planned=<bytes>
//          persistent=<bytes> ref_arena=<bytes> samples=<n> steps=<n> counter=<name>
//          count=<sample 0> count_max=<max over samples>
//          allocate_count=<allocate(), model load and memory plan included>
// Built with MOTE_DEVICE_PER_OP (scripts/device-conformance.sh --per-op), it
// then runs sample 0 once more with a node observer and prints one line per
// node, the counter's increase from the previous node's end to this node's end
// (the interpreter's per-node work included, the observer's own mostly not):
//   OP node=<index> op=<TFLite op name> count=<n>
// Exit status: 0 bit-exact, 1 an output differs, 2 the runtime failed.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "device_model.h"
#include "mote/interpreter.h"
#include "mote/op_resolver.h"
#include "mote/schema.h"
#include "platform.h"

namespace {

// Counter cost of an empty start/stop pair, subtracted from each measurement.
uint32_t counter_overhead() {
  platform_counter_start();
  return platform_counter_stop();
}

// Compares one tensor with its reference; prints where it differs (and, for
// float32, by how much). `what` says which tensor, e.g. "sample 1 output 0".
bool same_bytes(const char* what, const mote::TensorView& got, const DeviceBlob& want) {
  if (got.data == nullptr || got.bytes != want.size) {
    printf("MISMATCH %s: %lu bytes, reference has %lu\n", what, (unsigned long)got.bytes, (unsigned long)want.size);
    return false;
  }
  const uint8_t* bytes = static_cast<const uint8_t*>(got.data);
  uint32_t differing = 0, first = 0;
  for (uint32_t i = 0; i < want.size; ++i) {
    if (bytes[i] == want.data[i]) continue;
    if (differing++ == 0) first = i;
  }
  if (differing == 0) return true;
  printf("MISMATCH %s: %lu of %lu bytes differ, first at byte %lu (got 0x%02x, want 0x%02x)\n", what,
         (unsigned long)differing, (unsigned long)want.size, (unsigned long)first, bytes[first], want.data[first]);
  if (got.type == mote::DType::kFloat32) {
    // Largest difference in units of the reference value's last place.
    uint32_t max_ulp = 0;
    for (uint32_t i = 0; i + 4 <= want.size; i += 4) {
      int32_t a, b;
      memcpy(&a, bytes + i, 4);
      memcpy(&b, want.data + i, 4);
      const uint32_t ulp = a > b ? uint32_t(a) - uint32_t(b) : uint32_t(b) - uint32_t(a);
      if (ulp > max_ulp) max_ulp = ulp;
    }
    printf("MISMATCH %s: float32, max %lu ulp\n", what, (unsigned long)max_ulp);
  }
  return false;
}

// Copies one sample's inputs in; false (after saying why) when a size differs.
bool fill_inputs(mote::Interpreter& interpreter, const DeviceModel& model, const DeviceSample& sample) {
  for (int i = 0; i < model.num_inputs; ++i) {
    const mote::TensorView input = interpreter.input(i);
    if (input.bytes != sample.inputs[i].size) {
      printf("ERROR: input %d has %lu bytes, the reference input %lu\n", i, (unsigned long)input.bytes,
             (unsigned long)sample.inputs[i].size);
      return false;
    }
    memcpy(input.data, sample.inputs[i].data, input.bytes);
  }
  return true;
}

bool same_outputs(const char* kind, int index, mote::Interpreter& interpreter, const DeviceModel& model,
                  const DeviceSample& sample) {
  bool exact = true;
  char what[64];
  for (int j = 0; j < model.num_outputs; ++j) {
    snprintf(what, sizeof(what), "%s %d output %d", kind, index, j);
    exact &= same_bytes(what, interpreter.output(j), sample.outputs[j]);
  }
  return exact;
}

#ifdef MOTE_DEVICE_PER_OP
// Counter readings per node of one invoke (static: the runner has no heap).
struct NodeCounts {
  static constexpr int kMaxNodes = 1024;
  uint32_t last = 0;  // reading at the end of the previous observer call
  int nodes = 0;
  uint32_t count[kMaxNodes];
};
NodeCounts node_counts;

void count_node(void* user, int node, const mote::Interpreter&) {
  const uint32_t now = platform_counter_read();
  NodeCounts& counts = *static_cast<NodeCounts*>(user);
  if (node < NodeCounts::kMaxNodes) counts.count[node] = now - counts.last;
  counts.nodes = node + 1;
  counts.last = platform_counter_read();
}

// Sample 0 once more, counted per node; prints the OP lines. False when the
// runtime failed.
bool print_node_counts(mote::Interpreter& interpreter, const DeviceModel& model) {
  if (interpreter.reset_state() != mote::Status::kOk || !fill_inputs(interpreter, model, model.samples[0]))
    return false;
  node_counts.nodes = 0;
  node_counts.last = 0;
  interpreter.set_node_observer(count_node, &node_counts);
  platform_counter_start();
  const mote::Status status = interpreter.invoke();
  platform_counter_stop();
  interpreter.set_node_observer(nullptr, nullptr);
  if (status != mote::Status::kOk) {
    printf("ERROR: invoke: %s\n", interpreter.error_message());
    return false;
  }
  const int shown = node_counts.nodes < NodeCounts::kMaxNodes ? node_counts.nodes : NodeCounts::kMaxNodes;
  for (int j = 0; j < shown; ++j) {
    printf("OP node=%d op=%s count=%lu\n", j, mote::schema::builtin_op_name(interpreter.model().op(j).builtin_code),
           (unsigned long)node_counts.count[j]);
  }
  if (shown < node_counts.nodes) printf("OP nodes past %d not counted\n", shown);
  return true;
}
#endif

// The sequence: consecutive invokes from the initial state, no reset in
// between. Returns 1 exact, 0 a tensor differs, -1 the runtime failed.
int run_sequence(mote::Interpreter& interpreter, const DeviceModel& model) {
  if (interpreter.reset_state() != mote::Status::kOk) {
    printf("ERROR: reset_state: %s\n", interpreter.error_message());
    return -1;
  }
  for (int s = 0; s < model.num_steps; ++s) {
    const DeviceStep& step = model.steps[s];
    if (!fill_inputs(interpreter, model, step.sample)) return -1;
    if (interpreter.invoke() != mote::Status::kOk) {
      printf("ERROR: invoke at step %d: %s\n", s, interpreter.error_message());
      return -1;
    }
    bool exact = same_outputs("step", s, interpreter, model, step.sample);
    char what[64];
    for (int v = 0; v < step.num_state; ++v) {
      snprintf(what, sizeof(what), "step %d state tensor %ld", s, (long)step.state_after[v].tensor);
      exact &= same_bytes(what, interpreter.tensor(step.state_after[v].tensor), step.state_after[v].bytes);
    }
    // Later steps inherit this step's state: the first differing step is the one to report.
    if (!exact) return 0;
  }
  return 1;
}

int run(const DeviceModel& model) {
  const char* counter = platform_counter_name();
  printf("mote device conformance: %s on %s\n", model.name, platform_name());

  mote::OpResolver resolver;
  if (model.add_ops(resolver) != mote::Status::kOk) {
    printf("ERROR: could not register the model's ops\n");
    return 2;
  }
  const uint32_t overhead = counter_overhead();
  mote::Interpreter interpreter(model.model, model.model_size, resolver, device_arena, device_arena_bytes);
  platform_counter_start();
  const mote::Status allocated = interpreter.allocate();
  const uint32_t allocate_measured = platform_counter_stop();
  const uint32_t allocate_count = allocate_measured > overhead ? allocate_measured - overhead : 0;
  if (allocated != mote::Status::kOk) {
    printf("ERROR: allocate: %s\n", interpreter.error_message());
    return 2;
  }
  if (int(interpreter.num_inputs()) != model.num_inputs || int(interpreter.num_outputs()) != model.num_outputs) {
    printf("ERROR: the model has %d inputs / %d outputs, the reference data %d / %d\n", int(interpreter.num_inputs()),
           int(interpreter.num_outputs()), model.num_inputs, model.num_outputs);
    return 2;
  }

  uint32_t first_count = 0, max_count = 0;
  bool exact = true;
  for (int k = 0; k < model.num_samples; ++k) {
    const DeviceSample& sample = model.samples[k];
    // Every reference output is the first invoke after allocation.
    if (interpreter.reset_state() != mote::Status::kOk) {
      printf("ERROR: reset_state: %s\n", interpreter.error_message());
      return 2;
    }
    if (!fill_inputs(interpreter, model, sample)) return 2;
    platform_counter_start();
    const mote::Status status = interpreter.invoke();
    const uint32_t measured = platform_counter_stop();
    const uint32_t count = measured > overhead ? measured - overhead : 0;
    if (status != mote::Status::kOk) {
      printf("ERROR: invoke: %s\n", interpreter.error_message());
      return 2;
    }
    if (k == 0) first_count = count;
    if (count > max_count) max_count = count;
    exact &= same_outputs("sample", k, interpreter, model, sample);
  }
  const int sequence = run_sequence(interpreter, model);
  if (sequence < 0) return 2;
  exact &= sequence == 1;
#ifdef MOTE_DEVICE_PER_OP
  // After the measured invokes, so that they are the same with and without it.
  if (model.num_samples > 0 && !print_node_counts(interpreter, model)) return 2;
#endif

  printf(
      "RESULT model=%s core=%s exact=%s arena=%lu planned=%lu persistent=%lu ref_arena=%ld samples=%d steps=%d "
      "counter=%s count=%lu count_max=%lu allocate_count=%lu\n",
      model.name, platform_name(), exact ? "yes" : "no", (unsigned long)interpreter.arena_used_bytes(),
      (unsigned long)interpreter.arena_planned_bytes(), (unsigned long)interpreter.arena_persistent_bytes(),
      (long)model.reference_arena_bytes, model.num_samples, model.num_steps, counter ? counter : "none",
      (unsigned long)first_count, (unsigned long)max_count, (unsigned long)allocate_count);
  return exact ? 0 : 1;
}

}  // namespace

int main() { return run(kDeviceModel); }
