#include "tools/common/shapes.h"

namespace mote {
namespace tools {
namespace {

std::string joined(const std::vector<int32_t>& dims, const char* separator) {
  std::string s;
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? separator : "") + std::to_string(dims[i]);
  return s;
}

}  // namespace

std::vector<int32_t> dims_of(const Shape& shape) { return std::vector<int32_t>(shape.dims, shape.dims + shape.rank); }

std::string shape_text(const std::vector<int32_t>& dims) { return "[" + joined(dims, ",") + "]"; }

std::string shape_text(const Shape& shape) { return shape_text(dims_of(shape)); }

std::string spaced_shape_text(const std::vector<int32_t>& dims) { return "[" + joined(dims, ", ") + "]"; }

std::string python_shape_tuple(const std::vector<int32_t>& dims) {
  return "(" + joined(dims, ", ") + (dims.size() == 1 ? ",)" : ")");
}

}  // namespace tools
}  // namespace mote
