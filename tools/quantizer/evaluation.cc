#include "tools/quantizer/evaluation.h"

#include <math.h>

#include <algorithm>
#include <limits>
#include <map>

#include "tools/common/error_statistics.h"
#include "tools/model_stats.h"
#include "tools/quantizer/model_runner.h"
#include "tools/quantizer/quantizer.h"

namespace mote {
namespace tools {
namespace quantizer {
namespace {

struct ErrorSums {
  double signal = 0;  // sum of float^2
  double noise = 0;   // sum of (float - dequantized)^2
  double abs_error = 0;
  double max_abs_error = 0;
  int64_t count = 0;
  TensorRange range;

  void add(const std::vector<float>& reference, const std::vector<float>& approx) {
    const size_t n = std::min(reference.size(), approx.size());
    for (size_t i = 0; i < n; ++i) {
      const double f = reference[i];
      const double d = f - double(approx[i]);
      signal += f * f;
      noise += d * d;
      abs_error += fabs(d);
      if (fabs(d) > max_abs_error) max_abs_error = fabs(d);
      range.add(reference[i]);
    }
    count += int64_t(n);
  }
  double sqnr_db() const {
    if (noise == 0)
      return signal == 0 ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
    return 10.0 * log10(signal / noise);
  }
};

// Tensors each node writes: outputs and the variables it updates.
std::vector<std::vector<int32_t>> written_by_node(const Model& m) {
  std::vector<std::vector<int32_t>> result(m.num_operators());
  for (uint32_t n = 0; n < m.num_operators(); ++n) {
    const OperatorInfo op = m.op(n);
    for (uint32_t i = 0; i < op.outputs.size(); ++i)
      if (op.outputs[i] >= 0) result[n].push_back(op.outputs[i]);
    for (uint32_t i = 0; i < op.inputs.size(); ++i) {
      const int32_t t = op.inputs[i];
      if (t >= 0 && m.tensor(uint32_t(t)).is_variable) result[n].push_back(t);
    }
  }
  return result;
}

size_t argmax(const std::vector<float>& v, size_t begin, size_t length) {
  size_t best = begin;
  for (size_t i = begin + 1; i < begin + length; ++i)
    if (v[i] > v[best]) best = i;
  return best - begin;
}

std::string producer_name(const Model& m, int32_t tensor) {
  for (uint32_t n = 0; n < m.num_operators(); ++n) {
    const OperatorInfo op = m.op(n);
    for (uint32_t i = 0; i < op.outputs.size(); ++i)
      if (op.outputs[i] == tensor) return op_display_name(m, n);
  }
  if (m.tensor(uint32_t(tensor)).is_variable) return "variable";
  return "input";
}

}  // namespace

QuantizeReport evaluate_quantization(const FloatModel& model, const QuantizedModel& quantized,
                                     const std::vector<Sample>& samples, const ProgressCallback& progress,
                                     OutputTask task) {
  check_samples(model, samples);
  const Graph& fg = model.graph;
  ModelRunner float_runner(model.bytes, "the float model");
  ModelRunner int8_runner(quantized.bytes, "the quantized model");
  const Model& qm = int8_runner.model();

  // Quantized tensor -> float tensor it approximates.
  std::map<int32_t, int32_t> source;
  for (size_t t = 0; t < quantized.tensor_map.size(); ++t)
    if (quantized.tensor_map[t] >= 0) source[quantized.tensor_map[t]] = int32_t(t);

  const std::vector<std::vector<int32_t>> float_written = written_by_node(float_runner.model());
  const std::vector<std::vector<int32_t>> int8_written = written_by_node(qm);
  std::map<int32_t, ErrorSums> tensor_errors;
  std::vector<ErrorSums> output_errors(fg.outputs.size());
  std::vector<int64_t> top1_rows(fg.outputs.size(), 0), top1_agree(fg.outputs.size(), 0);
  std::vector<OutputTask> tasks(fg.outputs.size());
  std::vector<std::string> reasons(fg.outputs.size());
  std::vector<int> recon_input(fg.outputs.size(), -1);
  std::vector<std::vector<double>> float_recon(fg.outputs.size()), int8_recon(fg.outputs.size());
  for (size_t j = 0; j < fg.outputs.size(); ++j) {
    const OutputKind kind = output_kind(fg, j, task);
    tasks[j] = kind.task;
    reasons[j] = kind.reason;
    if (kind.task == OutputTask::kReconstruction) recon_input[j] = kind.reconstructs;
  }

  const int total = int(samples.size());
  for (size_t k = 0; k < samples.size(); ++k) {
    float_runner.reset_state();
    int8_runner.reset_state();
    std::map<int32_t, std::vector<float>> float_values;
    for (size_t i = 0; i < fg.inputs.size(); ++i) {
      float_runner.set_input(i, samples[k][i]);
      int8_runner.set_input(i, samples[k][i]);
      float_values[fg.inputs[i]] = samples[k][i];
    }
    float_runner.run([&](int node) {
      for (int32_t t : float_written[size_t(node)])
        if (size_t(t) < quantized.tensor_map.size() && quantized.tensor_map[size_t(t)] >= 0)
          float_values[t] = float_runner.tensor_values(t);
    });
    auto compare = [&](int32_t q) {
      auto s = source.find(q);
      if (s == source.end()) return;
      auto f = float_values.find(s->second);
      if (f == float_values.end()) return;
      tensor_errors[s->second].add(f->second, int8_runner.tensor_values(q));
    };
    for (uint32_t i = 0; i < qm.num_inputs(); ++i) compare(qm.input(i));
    int8_runner.run([&](int node) {
      for (int32_t t : int8_written[size_t(node)]) compare(t);
    });

    for (size_t j = 0; j < fg.outputs.size(); ++j) {
      const std::vector<float> reference = float_runner.tensor_values(fg.outputs[j]);
      const std::vector<float> approx = int8_runner.tensor_values(qm.output(uint32_t(j)));
      output_errors[j].add(reference, approx);
      const std::vector<int32_t>& shape = fg.tensors[size_t(fg.outputs[j])].shape;
      const size_t classes = shape.empty() ? 1 : size_t(shape.back());
      if (recon_input[j] >= 0) {
        const std::vector<float>& original = samples[k][size_t(recon_input[j])];
        float_recon[j].push_back(mean_squared_error(reference, original));
        int8_recon[j].push_back(mean_squared_error(approx, original));
      }
      if (tasks[j] == OutputTask::kClassification && classes > 1 && reference.size() == approx.size()) {
        for (size_t row = 0; row + classes <= reference.size(); row += classes) {
          ++top1_rows[j];
          if (argmax(reference, row, classes) == argmax(approx, row, classes)) ++top1_agree[j];
        }
      }
    }
    if (progress) progress("evaluating", int(k) + 1, total);
  }

  QuantizeReport report;
  report.evaluation_samples = total;
  for (const auto& [float_tensor, sums] : tensor_errors) {
    const int32_t q = quantized.tensor_map[size_t(float_tensor)];
    const TensorInfo info = qm.tensor(uint32_t(q));
    TensorQuality tq;
    tq.name = fg.tensors[size_t(float_tensor)].name;
    tq.tensor = q;
    tq.producer_op = producer_name(qm, q);
    tq.sqnr_db = sums.sqnr_db();
    tq.float_min = sums.range.seen() ? sums.range.min : 0.0f;
    tq.float_max = sums.range.seen() ? sums.range.max : 0.0f;
    tq.scale = info.quant.quantized() ? info.quant.scale() : 0.0f;
    tq.zero_point = info.quant.quantized() ? info.quant.zero_point() : 0;
    report.tensors.push_back(tq);
  }
  for (size_t j = 0; j < fg.outputs.size(); ++j) {
    OutputQuality oq;
    oq.name = fg.tensors[size_t(fg.outputs[j])].name;
    const ErrorSums& e = output_errors[j];
    oq.mean_abs_error = e.count > 0 ? e.abs_error / double(e.count) : 0.0;
    oq.max_abs_error = e.max_abs_error;
    oq.sqnr_db = e.sqnr_db();
    oq.mse = e.count > 0 ? e.noise / double(e.count) : 0.0;
    oq.task = task_name(tasks[j]);
    oq.task_reason = reasons[j];
    if (recon_input[j] >= 0) {
      oq.reconstructs = "input '" + fg.tensors[size_t(fg.inputs[size_t(recon_input[j])])].name + "'";
      oq.float_reconstruction = error_distribution(float_recon[j]);
      oq.int8_reconstruction = error_distribution(int8_recon[j]);
    }
    oq.top1_agreement = top1_rows[j] > 0 ? double(top1_agree[j]) / double(top1_rows[j]) : -1.0;
    report.outputs.push_back(oq);
  }
  return report;
}

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
