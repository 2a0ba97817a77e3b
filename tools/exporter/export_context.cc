#include "tools/exporter/export_context.h"

namespace mote {
namespace exporter {

Layout layout_for(const ExportOptions& o) {
  switch (o.format) {
    case Format::kEspIdf:
      return {o.format, Framework::kEspIdf, "main", ".cc", "components/mote", true, false, false};
    case Format::kPlatformIo:
      if (o.framework == Framework::kArduino)
        return {o.format, o.framework, "src", ".cpp", "lib/mote", false, true, false};
      return {o.format, o.framework, "src", ".cc", "components/mote", true, false, false};
    case Format::kArduino:
      return {o.format, Framework::kArduino, "src", ".cpp", "src/mote", false, true, true};
  }
  return {};
}

}  // namespace exporter
}  // namespace mote
