// The model's API in the app folder: model.h (arena size, inputs, outputs,
// the functions below) and model_ops (a resolver with only the model's ops).
#pragma once

#include <string>

#include "tools/exporter/export_context.h"

namespace mote {
namespace exporter {

std::string model_header(const Context& c);
std::string model_ops(const Context& c);

}  // namespace exporter
}  // namespace mote
