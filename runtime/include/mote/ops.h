// Registrations of mote's builtin operators, one function per line of
// mote/op_registry.def. Register only what a model uses (mote export generates
// exactly that list) or all of them with register_all_ops().
#pragma once

#include "mote/op.h"

namespace mote {
class OpResolver;

namespace ops {

#define MOTE_OP(NAME, function, ...) const OpRegistration& function();
#include "mote/op_registry.def"
#undef MOTE_OP

}  // namespace ops

// Adds every builtin operator mote implements to `resolver`.
Status register_all_ops(OpResolver& resolver);

// "conv_2d" for CONV_2D, "pad_v2" for PADV2: the name of the mote::ops
// function registering builtin `builtin_code`; nullptr when mote has no
// kernel for it.
const char* registration_function_name(int32_t builtin_code);

}  // namespace mote
