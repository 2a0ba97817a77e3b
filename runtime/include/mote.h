// The whole public API of the mote runtime in one include. Arduino finds a
// library by a header at the root of its src/ folder, so this is the header a
// sketch includes once the mote library sits in the Arduino libraries folder.
#pragma once

#include "mote/build_config.h"
#include "mote/flatbuffer.h"
#include "mote/interpreter.h"
#include "mote/memory_planner.h"
#include "mote/model.h"
#include "mote/op.h"
#include "mote/op_resolver.h"
#include "mote/ops.h"
#include "mote/schema.h"
#include "mote/status.h"
#include "mote/tensor.h"
