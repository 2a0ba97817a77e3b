// Text for the self-contained HTML reports (quantize, eval).
#pragma once

#include <string>

namespace mote {
namespace tools {

// `s` with & < > " ' as entities, safe in element text and attribute values.
std::string html_escape(const std::string& s);

// The CSS every report page starts with: page, headings, the meta list
// (dl.meta), verdict boxes (.verdict.ok / .warn), tables (td.num, td.name),
// notes (p.note).
const char* report_base_style();

}  // namespace tools
}  // namespace mote
