// Numbers of the TFLite flatbuffer schema (schema version 3) that mote reads
// and writes: enum values and table field ids. Both the device-side reader and
// the host-side model builder use these, so there is one place to look them up.
//
// A field id N lives at vtable slot 4 + 2*N. A union field takes two ids: the
// type byte first, then the table offset.
#pragma once

#include <stdint.h>

namespace mote {
namespace schema {

enum class TensorType : int8_t {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt32 = 2,
  kUInt8 = 3,
  kInt64 = 4,
  kString = 5,
  kBool = 6,
  kInt16 = 7,
  kComplex64 = 8,
  kInt8 = 9,
  kFloat64 = 10,
  kComplex128 = 11,
  kUInt64 = 12,
  kResource = 13,
  kVariant = 14,
  kUInt32 = 15,
  kUInt16 = 16,
  kInt4 = 17,
};

enum class BuiltinOp : int32_t {
#define MOTE_OP(NAME, function, Enum, code, ...) k##Enum = code,
#include "mote/op_registry.def"
#undef MOTE_OP
  // Codes mote has no kernel for but names in code (tests, statistics). When
  // one of these joins op_registry.def, its line here goes.
  kReluN1To1 = 20,
  kCustom = 32,
  kPlaceholderForGreaterOpCodes = 127,
};

// Human-readable name of a builtin operator code ("CONV_2D"); "UNKNOWN" for
// codes mote has no name for.
const char* builtin_op_name(int32_t code);

// Values of the BuiltinOptions union type byte (position in the union + 1):
// every member of TFLite's union, so that an op added to op_registry.def finds
// its options type here.
enum class OptionsType : uint8_t {
  kNone = 0, kConv2D = 1, kDepthwiseConv2D = 2, kConcatEmbeddings = 3, kLshProjection = 4, kPool2D = 5, kSvdf = 6,
  kRnn = 7, kFullyConnected = 8, kSoftmax = 9, kConcatenation = 10, kAdd = 11, kL2Norm = 12,
  kLocalResponseNormalization = 13, kLstm = 14, kResizeBilinear = 15, kCall = 16, kReshape = 17, kSkipGram = 18,
  kSpaceToDepth = 19, kEmbeddingLookupSparse = 20, kMul = 21, kPad = 22, kGather = 23, kBatchToSpaceNd = 24,
  kSpaceToBatchNd = 25, kTranspose = 26, kReducer = 27, kSub = 28, kDiv = 29, kSqueeze = 30, kSequenceRnn = 31,
  kStridedSlice = 32, kExp = 33, kTopKV2 = 34, kSplit = 35, kLogSoftmax = 36, kCast = 37, kDequantize = 38,
  kMaximumMinimum = 39, kArgMax = 40, kLess = 41, kNeg = 42, kPadV2 = 43, kGreater = 44, kGreaterEqual = 45,
  kLessEqual = 46, kSelect = 47, kSlice = 48, kTransposeConv = 49, kSparseToDense = 50, kTile = 51,
  kExpandDims = 52, kEqual = 53, kNotEqual = 54, kShape = 55, kPow = 56, kArgMin = 57, kFakeQuant = 58, kPack = 59,
  kLogicalOr = 60, kOneHot = 61, kLogicalAnd = 62, kLogicalNot = 63, kUnpack = 64, kFloorDiv = 65, kSquare = 66,
  kZerosLike = 67, kFill = 68, kBidirectionalSequenceLstm = 69, kBidirectionalSequenceRnn = 70,
  kUnidirectionalSequenceLstm = 71, kFloorMod = 72, kRange = 73, kResizeNearestNeighbor = 74, kLeakyRelu = 75,
  kSquaredDifference = 76, kMirrorPad = 77, kAbs = 78, kSplitV = 79, kUnique = 80, kReverseV2 = 81, kAddN = 82,
  kGatherNd = 83, kCos = 84, kWhere = 85, kRank = 86, kReverseSequence = 87, kMatrixDiag = 88, kQuantize = 89,
  kMatrixSetDiag = 90, kHardSwish = 91, kIf = 92, kWhile = 93, kDepthToSpace = 94, kNonMaxSuppressionV4 = 95,
  kNonMaxSuppressionV5 = 96, kScatterNd = 97, kSelectV2 = 98, kDensify = 99, kSegmentSum = 100, kBatchMatMul = 101,
  kCumsum = 102, kCallOnce = 103, kBroadcastTo = 104, kRfft2d = 105, kConv3D = 106, kHashtable = 107,
  kHashtableFind = 108, kHashtableImport = 109, kHashtableSize = 110, kVarHandle = 111, kReadVariable = 112,
  kAssignVariable = 113, kRandom = 114, kBucketize = 115, kGelu = 116, kDynamicUpdateSlice = 117,
  kUnsortedSegmentProd = 118, kUnsortedSegmentMax = 119, kUnsortedSegmentMin = 120, kUnsortedSegmentSum = 121,
  kATan2 = 122, kSign = 123, kBitcast = 124, kBitwiseXor = 125, kRightShift = 126,
};

enum class Padding : int8_t { kSame = 0, kValid = 1 };

enum class Activation : int8_t {
  kNone = 0,
  kRelu = 1,
  kReluN1To1 = 2,
  kRelu6 = 3,
  kTanh = 4,
  kSignBit = 5,
};

// Table field ids.
namespace model { enum : int { version = 0, operator_codes = 1, subgraphs = 2, description = 3, buffers = 4, metadata_buffer = 5, metadata = 6, signature_defs = 7 }; }
namespace subgraph { enum : int { tensors = 0, inputs = 1, outputs = 2, operators = 3, name = 4 }; }
namespace tensor { enum : int { shape = 0, type = 1, buffer = 2, name = 3, quantization = 4, is_variable = 5, sparsity = 6, shape_signature = 7, has_rank = 8 }; }
namespace quantization { enum : int { min = 0, max = 1, scale = 2, zero_point = 3, details_type = 4, details = 5, quantized_dimension = 6 }; }
namespace operator_ { enum : int { opcode_index = 0, inputs = 1, outputs = 2, builtin_options_type = 3, builtin_options = 4, custom_options = 5, custom_options_format = 6, mutating_variable_inputs = 7, intermediates = 8 }; }
namespace operator_code { enum : int { deprecated_builtin_code = 0, custom_code = 1, version = 2, builtin_code = 3 }; }
namespace buffer { enum : int { data = 0, offset = 1, size = 2 }; }
namespace metadata { enum : int { name = 0, buffer = 1 }; }

// Builtin options tables.
namespace conv2d_options { enum : int { padding = 0, stride_w = 1, stride_h = 2, fused_activation_function = 3, dilation_w_factor = 4, dilation_h_factor = 5, quantized_bias_type = 6 }; }
namespace depthwise_conv2d_options { enum : int { padding = 0, stride_w = 1, stride_h = 2, depth_multiplier = 3, fused_activation_function = 4, dilation_w_factor = 5, dilation_h_factor = 6 }; }
namespace pool2d_options { enum : int { padding = 0, stride_w = 1, stride_h = 2, filter_width = 3, filter_height = 4, fused_activation_function = 5 }; }
namespace svdf_options { enum : int { rank = 0, fused_activation_function = 1, asymmetric_quantize_inputs = 2 }; }
namespace fully_connected_options { enum : int { fused_activation_function = 0, weights_format = 1, keep_num_dims = 2, asymmetric_quantize_inputs = 3, quantized_bias_type = 4 }; }
namespace softmax_options { enum : int { beta = 0 }; }
namespace concatenation_options { enum : int { axis = 0, fused_activation_function = 1 }; }
namespace add_options { enum : int { fused_activation_function = 0, pot_scale_int16 = 1 }; }
namespace sub_options { enum : int { fused_activation_function = 0, pot_scale_int16 = 1 }; }
namespace mul_options { enum : int { fused_activation_function = 0 }; }
namespace div_options { enum : int { fused_activation_function = 0 }; }
namespace reshape_options { enum : int { new_shape = 0 }; }
namespace reducer_options { enum : int { keep_dims = 0 }; }
namespace squeeze_options { enum : int { squeeze_dims = 0 }; }
namespace strided_slice_options { enum : int { begin_mask = 0, end_mask = 1, ellipsis_mask = 2, new_axis_mask = 3, shrink_axis_mask = 4, offset = 5 }; }
namespace cast_options { enum : int { in_data_type = 0, out_data_type = 1 }; }
namespace leaky_relu_options { enum : int { alpha = 0 }; }
namespace unidirectional_sequence_lstm_options { enum : int { fused_activation_function = 0, cell_clip = 1, proj_clip = 2, time_major = 3, asymmetric_quantize_inputs = 4, diagonal_recurrent_tensors = 5 }; }

}  // namespace schema
}  // namespace mote
