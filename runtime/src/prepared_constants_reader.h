// The checked view of a model's "mote" metadata (mote/prepared_constants.h),
// private to the interpreter and OpContext.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mote/model.h"
#include "mote/prepared_constants.h"
#include "mote/status.h"

namespace mote {


// Finds the "mote" entry among the model's metadata and checks its header,
// checksum and every node entry's bounds. Absent: kOk and an empty view.
// Present but corrupt or from another version: kError with a message.
// Present and intact but not 4-byte aligned in memory: kOk and an empty view
// (the arrays could not be read in place), so ops compute the constants.
Status read_prepared_constants(const Model& model, prepared::View* view, char* error, size_t error_size);

}  // namespace mote
