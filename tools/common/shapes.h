// Tensor shapes on the host: as a vector of dims, and as the text mote prints.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "mote/tensor.h"

namespace mote {
namespace tools {

std::vector<int32_t> dims_of(const Shape& shape);

// "[1,96,96,1]": tables, reports, generated code, "int8[1,96,96,1]".
std::string shape_text(const std::vector<int32_t>& dims);
std::string shape_text(const Shape& shape);
// "[1, 96, 96, 1]": in a sentence (messages about data files).
std::string spaced_shape_text(const std::vector<int32_t>& dims);
// "(1, 96, 96, 1)", "(5,)": a Python tuple, as .npy headers and NumPy write it.
std::string python_shape_tuple(const std::vector<int32_t>& dims);

}  // namespace tools
}  // namespace mote
