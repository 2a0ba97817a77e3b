// `mote export --sample`: the given input data (read by the CLI as `mote run`
// reads inputs), checked against the model's inputs, and model_sample (their
// bytes, returned by sample_input()).
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "tools/exporter/export_context.h"

namespace mote {
namespace exporter {

// The bytes of one sample per input, in input order (fewer than the inputs is
// fine); throws UserError for more samples than inputs or bytes that do not
// fit their input.
std::vector<std::vector<uint8_t>> checked_samples(const std::vector<InputSample>& samples, const ModelAnalysis& model);

std::string model_sample(const Context& c);

}  // namespace exporter
}  // namespace mote
