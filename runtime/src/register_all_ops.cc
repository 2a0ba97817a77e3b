// register_all_ops() in a file of its own: firmware that registers only its
// model's ops never links this object, so it does not pull in every op.
#include "mote/op_resolver.h"
#include "mote/ops.h"

namespace mote {

Status register_all_ops(OpResolver& resolver) {
#define MOTE_OP(NAME, function, ...) MOTE_RETURN_IF_ERROR(resolver.add(ops::function()));
#include "mote/op_registry.def"
#undef MOTE_OP
  return Status::kOk;
}

}  // namespace mote
