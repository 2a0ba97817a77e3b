#include "tools/exporter/model_analysis.h"

#include <string.h>

#include "mote/interpreter.h"
#include "mote/model.h"
#include "mote/op_resolver.h"
#include "tools/common/host_interpreter.h"
#include "tools/common/shapes.h"
#include "tools/exporter/sha256.h"
#include "tools/model_stats.h"
#include "tools/prepared_constants_writer.h"

namespace mote {
namespace exporter {
namespace {

ModelTensor describe(const Model& model, int32_t index) {
  const TensorInfo info = model.tensor(uint32_t(index));
  ModelTensor t;
  t.name = tools::name_of(info.name);
  t.type = info.type;
  t.shape = tools::dims_of(info.shape);
  t.bytes = info.bytes;
  t.quantized = info.quant.quantized();
  t.per_channel = info.quant.count > 1;
  if (t.quantized) {
    t.scale = info.quant.scale(0);
    t.zero_point = info.quant.zero_point(0);
  }
  return t;
}

}  // namespace

ModelAnalysis analyze_model(const uint8_t* data, size_t size) {
  Model model;
  char error[256] = {};
  if (!ok(model.load(data, size, error, sizeof(error))))
    throw tools::UserError(std::string("not a usable model: ") + error,
                           "check the file with `mote inspect MODEL`; mote reads binary .tflite flatbuffers");

  ModelAnalysis a;
  a.model_bytes = size;
  a.sha256 = sha256_hex(data, size);
  a.description = tools::name_of(model.description());
  a.num_operators = model.num_operators();
  a.total_macs = tools::total_macs(model);
  for (uint32_t i = 0; i < model.num_inputs(); ++i) a.inputs.push_back(describe(model, model.input(i)));
  for (uint32_t i = 0; i < model.num_outputs(); ++i) a.outputs.push_back(describe(model, model.output(i)));

  tools::HostInterpreter host(data, size);
  OpResolver model_ops;
  for (const tools::RequiredOp& r : tools::required_ops(model)) {
    if (r.builtin_code == int32_t(schema::BuiltinOp::kCustom))
      throw tools::UserError("the model uses the custom op '" + r.custom_code + "', which mote does not implement",
                             "implement it as a mote::OpRegistration whose custom_name is '" + r.custom_code +
                                 "', or convert the model without custom ops");
    const std::string function = tools::op_registration_function(r.builtin_code);
    fb::Bytes no_name{nullptr, 0};
    const OpRegistration* registration = host.resolver().find(r.builtin_code, no_name);
    if (function.empty() || registration == nullptr)
      throw tools::UserError("the model uses " + r.name + " (" + std::to_string(r.count) +
                                 " nodes), which this build of mote has no kernel for",
                             "`mote inspect MODEL` lists every op the model needs and marks the missing ones; "
                             "convert the model with ops mote supports or add a kernel in runtime/ops/");
    if (!ok(model_ops.add(*registration)))
      throw tools::UserError("the model uses more than " + std::to_string(OpResolver::kCapacity) +
                             " different ops, more than one mote::OpResolver holds");
    a.ops.push_back({r.name, function, r.count, r.max_version});
  }

  if (!ok(host.allocate()))
    throw tools::UserError(std::string("the model does not allocate on mote: ") + host.error_message(),
                           "run `mote inspect MODEL` for the operator table and the node the message names");
  a.arena_bytes = host.interpreter().arena_used_bytes();
  a.arena_planned_bytes = host.interpreter().arena_planned_bytes();
  a.arena_persistent_bytes = host.interpreter().arena_persistent_bytes();
  a.plain_arena_bytes = a.arena_bytes;
  if (tools::has_prepared_constants(data, size)) {
    const std::vector<uint8_t> plain = tools::remove_prepared_constants(data, size);
    tools::AlignedBuffer aligned = tools::aligned_buffer(plain.size());
    memcpy(aligned.get(), plain.data(), plain.size());
    tools::HostInterpreter plain_host(aligned.get(), plain.size());
    if (ok(plain_host.allocate())) a.plain_arena_bytes = plain_host.interpreter().arena_used_bytes();
  }

  // The firmware's situation: only the model's ops, exactly arena_bytes.
  tools::AlignedBuffer exact_arena = tools::aligned_buffer(a.arena_bytes);
  Interpreter firmware(data, size, model_ops, exact_arena.get(), a.arena_bytes);
  if (!ok(firmware.allocate()) || firmware.arena_used_bytes() != a.arena_bytes)
    throw tools::UserError(
        std::string("internal error: the model does not allocate with only its own ops in exactly ") +
            std::to_string(a.arena_bytes) + " bytes: " + firmware.error_message(),
        "please report this with the model");
  return a;
}

}  // namespace exporter
}  // namespace mote
