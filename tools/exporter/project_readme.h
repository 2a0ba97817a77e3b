// README.md of a generated project: what it runs, how to build and flash it,
// and what each file is.
#pragma once

#include <string>

#include "tools/exporter/build_files.h"
#include "tools/exporter/export_context.h"

namespace mote {
namespace exporter {

std::string readme(const Context& c, const FlashPlan& plan);

}  // namespace exporter
}  // namespace mote
