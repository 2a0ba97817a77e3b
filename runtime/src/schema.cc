#include "mote/schema.h"

namespace mote {
namespace schema {

const char* builtin_op_name(int32_t code) {
  // Names of the operators real TinyML models contain; the rest print as a number.
  switch (code) {
    case 0: return "ADD";
    case 1: return "AVERAGE_POOL_2D";
    case 2: return "CONCATENATION";
    case 3: return "CONV_2D";
    case 4: return "DEPTHWISE_CONV_2D";
    case 5: return "DEPTH_TO_SPACE";
    case 6: return "DEQUANTIZE";
    case 8: return "FLOOR";
    case 9: return "FULLY_CONNECTED";
    case 11: return "L2_NORMALIZATION";
    case 12: return "L2_POOL_2D";
    case 14: return "LOGISTIC";
    case 16: return "LSTM";
    case 17: return "MAX_POOL_2D";
    case 18: return "MUL";
    case 19: return "RELU";
    case 20: return "RELU_N1_TO_1";
    case 21: return "RELU6";
    case 22: return "RESHAPE";
    case 23: return "RESIZE_BILINEAR";
    case 24: return "RNN";
    case 25: return "SOFTMAX";
    case 26: return "SPACE_TO_DEPTH";
    case 27: return "SVDF";
    case 28: return "TANH";
    case 32: return "CUSTOM";
    case 34: return "PAD";
    case 36: return "GATHER";
    case 37: return "BATCH_TO_SPACE_ND";
    case 38: return "SPACE_TO_BATCH_ND";
    case 39: return "TRANSPOSE";
    case 40: return "MEAN";
    case 41: return "SUB";
    case 42: return "DIV";
    case 43: return "SQUEEZE";
    case 44: return "UNIDIRECTIONAL_SEQUENCE_LSTM";
    case 45: return "STRIDED_SLICE";
    case 47: return "EXP";
    case 49: return "SPLIT";
    case 50: return "LOG_SOFTMAX";
    case 53: return "CAST";
    case 54: return "PRELU";
    case 55: return "MAXIMUM";
    case 56: return "ARG_MAX";
    case 57: return "MINIMUM";
    case 58: return "LESS";
    case 59: return "NEG";
    case 60: return "PADV2";
    case 61: return "GREATER";
    case 65: return "SLICE";
    case 67: return "TRANSPOSE_CONV";
    case 69: return "TILE";
    case 70: return "EXPAND_DIMS";
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
    case 98: return "LEAKY_RELU";
    case 101: return "ABS";
    case 102: return "SPLIT_V";
    case 114: return "QUANTIZE";
    case 117: return "HARD_SWISH";
    case 126: return "BATCH_MATMUL";
    case 150: return "GELU";
    default: return "UNKNOWN";
  }
}

}  // namespace schema
}  // namespace mote
