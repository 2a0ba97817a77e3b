// Names of builtin operators: those of op_registry.def, and of other TFLite
// builtins real TinyML models contain, so that errors can name an op mote has
// no kernel for.
#include "mote/ops.h"
#include "mote/schema.h"

namespace mote {
namespace {

const char* unimplemented_builtin_name(int32_t code) {
  switch (code) {
    case 5: return "DEPTH_TO_SPACE";
    case 8: return "FLOOR";
    case 11: return "L2_NORMALIZATION";
    case 12: return "L2_POOL_2D";
    case 16: return "LSTM";
    case 20: return "RELU_N1_TO_1";
    case 23: return "RESIZE_BILINEAR";
    case 24: return "RNN";
    case 26: return "SPACE_TO_DEPTH";
    case 32: return "CUSTOM";
    case 36: return "GATHER";
    case 37: return "BATCH_TO_SPACE_ND";
    case 38: return "SPACE_TO_BATCH_ND";
    case 47: return "EXP";
    case 49: return "SPLIT";
    case 50: return "LOG_SOFTMAX";
    case 54: return "PRELU";
    case 56: return "ARG_MAX";
    case 58: return "LESS";
    case 59: return "NEG";
    case 61: return "GREATER";
    case 65: return "SLICE";
    case 67: return "TRANSPOSE_CONV";
    case 69: return "TILE";
    case 71: return "EQUAL";
    case 74: return "SUM";
    case 75: return "SQRT";
    case 76: return "RSQRT";
    case 77: return "SHAPE";
    case 79: return "ARG_MIN";
    case 82: return "REDUCE_MAX";
    case 83: return "PACK";
    case 88: return "UNPACK";
    case 92: return "SQUARE";
    case 97: return "RESIZE_NEAREST_NEIGHBOR";
    case 101: return "ABS";
    case 102: return "SPLIT_V";
    case 126: return "BATCH_MATMUL";
    case 150: return "GELU";
    default: return "UNKNOWN";
  }
}

}  // namespace

namespace schema {

const char* builtin_op_name(int32_t code) {
  switch (code) {
#define MOTE_OP(NAME, function, Enum, code, ...) \
  case code: return #NAME;
#include "mote/op_registry.def"
#undef MOTE_OP
    default: return unimplemented_builtin_name(code);
  }
}

}  // namespace schema

const char* registration_function_name(int32_t builtin_code) {
  switch (builtin_code) {
#define MOTE_OP(NAME, function, Enum, code, ...) \
  case code: return #function;
#include "mote/op_registry.def"
#undef MOTE_OP
    default: return nullptr;
  }
}

}  // namespace mote
