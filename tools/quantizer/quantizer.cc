#include "tools/quantizer/quantizer.h"

#include <map>

#include "tools/quantizer/model_runner.h"

namespace mote {
namespace tools {
namespace quantizer {

QuantizedModel quantize_model(const FloatModel& model, const std::vector<Sample>& samples,
                              const QuantizeOptions& options) {
  QuantizedModel result;
  result.calibration = calibrate(model, samples, options.calibration);
  QuantizedGraph q = build_quantized_graph(model, result.calibration, options.rewrite);
  q.graph.description = std::string("mote quantize: int8 (") + method_name(options.calibration.method) +
                        " calibration, " + std::to_string(result.calibration.samples) + " samples)";
  q.graph.metadata = options.metadata;
  result.bytes = write_graph(q.graph);
  result.tensor_map = std::move(q.tensor_map);
  result.requantize_ops = q.requantize_ops;
  result.io_ops = q.io_ops;

  std::map<std::string, int> counts;
  for (const Operator& op : model.graph.ops) ++counts[op_name(op)];
  result.quantized_ops.assign(counts.begin(), counts.end());

  // The result must at least load and prepare in mote.
  ModelRunner check(result.bytes, "the quantized model");
  return result;
}

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
