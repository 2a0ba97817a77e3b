// `mote export --sample`: the given input files, checked against the model's
// inputs, and model_sample (their bytes, returned by sample_input()).
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "tools/exporter/export_context.h"

namespace mote {
namespace exporter {

// One file per input, in input order (fewer than the inputs is fine); throws
// UserError for more files than inputs or a file that does not fit its input.
std::vector<std::vector<uint8_t>> read_samples(const std::vector<std::string>& paths, const ModelAnalysis& model);

std::string model_sample(const Context& c);

}  // namespace exporter
}  // namespace mote
