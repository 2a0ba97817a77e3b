// The model bytes in flash: a 16-byte aligned C array (--embed array), or
// accessors for the model.tflite that model_embed.S includes (--embed file).
#pragma once

#include <string>

#include "tools/exporter/export_context.h"

namespace mote {
namespace exporter {

std::string model_data_array(const Context& c);
std::string model_data_embedded(const Context& c);

}  // namespace exporter
}  // namespace mote
