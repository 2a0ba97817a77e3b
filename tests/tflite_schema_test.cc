// The two views of the TFLite schema agree: runtime/include/mote/schema.h (the
// device reader's hand-checked numbers) and tools/model/tflite.fbs (the host
// model flatc generates). Also: the host model refuses data its schema does
// not declare instead of dropping it when a model is rewritten.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "mote/schema.h"
#include "op_harness.h"
#include "tools/model/tflite_model.h"
#include "tools/model_builder.h"
#include "tools/quantizer/graph.h"

namespace {

namespace s = mote::schema;
namespace t = mote::tflite;
using flatbuffers::FieldIndexToOffset;
using mote::DType;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;

int slot(int field_id) { return FieldIndexToOffset(flatbuffers::voffset_t(field_id)); }

TEST(TfliteSchema, TensorTypes) {
  const std::vector<std::pair<s::TensorType, t::TensorType>> pairs = {
      {s::TensorType::kFloat32, t::TensorType_FLOAT32},     {s::TensorType::kFloat16, t::TensorType_FLOAT16},
      {s::TensorType::kInt32, t::TensorType_INT32},         {s::TensorType::kUInt8, t::TensorType_UINT8},
      {s::TensorType::kInt64, t::TensorType_INT64},         {s::TensorType::kString, t::TensorType_STRING},
      {s::TensorType::kBool, t::TensorType_BOOL},           {s::TensorType::kInt16, t::TensorType_INT16},
      {s::TensorType::kComplex64, t::TensorType_COMPLEX64}, {s::TensorType::kInt8, t::TensorType_INT8},
      {s::TensorType::kFloat64, t::TensorType_FLOAT64},     {s::TensorType::kComplex128, t::TensorType_COMPLEX128},
      {s::TensorType::kUInt64, t::TensorType_UINT64},       {s::TensorType::kResource, t::TensorType_RESOURCE},
      {s::TensorType::kVariant, t::TensorType_VARIANT},     {s::TensorType::kUInt32, t::TensorType_UINT32},
      {s::TensorType::kUInt16, t::TensorType_UINT16},       {s::TensorType::kInt4, t::TensorType_INT4}};
  for (const auto& p : pairs) EXPECT_EQ(int(p.first), int(p.second)) << t::EnumNameTensorType(p.second);
  EXPECT_EQ(pairs.size(), size_t(t::TensorType_MAX) + 1) << "a TensorType is missing on one side";
}

TEST(TfliteSchema, BuiltinOperatorsAndTheirNames) {
  const std::vector<std::pair<s::BuiltinOp, t::BuiltinOperator>> pairs = {
      {s::BuiltinOp::kAdd, t::BuiltinOperator_ADD},
      {s::BuiltinOp::kAveragePool2D, t::BuiltinOperator_AVERAGE_POOL_2D},
      {s::BuiltinOp::kConcatenation, t::BuiltinOperator_CONCATENATION},
      {s::BuiltinOp::kConv2D, t::BuiltinOperator_CONV_2D},
      {s::BuiltinOp::kDepthwiseConv2D, t::BuiltinOperator_DEPTHWISE_CONV_2D},
      {s::BuiltinOp::kDequantize, t::BuiltinOperator_DEQUANTIZE},
      {s::BuiltinOp::kFullyConnected, t::BuiltinOperator_FULLY_CONNECTED},
      {s::BuiltinOp::kLogistic, t::BuiltinOperator_LOGISTIC},
      {s::BuiltinOp::kMaxPool2D, t::BuiltinOperator_MAX_POOL_2D},
      {s::BuiltinOp::kMul, t::BuiltinOperator_MUL},
      {s::BuiltinOp::kRelu, t::BuiltinOperator_RELU},
      {s::BuiltinOp::kReluN1To1, t::BuiltinOperator_RELU_N1_TO_1},
      {s::BuiltinOp::kRelu6, t::BuiltinOperator_RELU6},
      {s::BuiltinOp::kReshape, t::BuiltinOperator_RESHAPE},
      {s::BuiltinOp::kSoftmax, t::BuiltinOperator_SOFTMAX},
      {s::BuiltinOp::kSvdf, t::BuiltinOperator_SVDF},
      {s::BuiltinOp::kTanh, t::BuiltinOperator_TANH},
      {s::BuiltinOp::kCustom, t::BuiltinOperator_CUSTOM},
      {s::BuiltinOp::kPad, t::BuiltinOperator_PAD},
      {s::BuiltinOp::kTranspose, t::BuiltinOperator_TRANSPOSE},
      {s::BuiltinOp::kMean, t::BuiltinOperator_MEAN},
      {s::BuiltinOp::kSub, t::BuiltinOperator_SUB},
      {s::BuiltinOp::kDiv, t::BuiltinOperator_DIV},
      {s::BuiltinOp::kSqueeze, t::BuiltinOperator_SQUEEZE},
      {s::BuiltinOp::kUnidirectionalSequenceLstm, t::BuiltinOperator_UNIDIRECTIONAL_SEQUENCE_LSTM},
      {s::BuiltinOp::kStridedSlice, t::BuiltinOperator_STRIDED_SLICE},
      {s::BuiltinOp::kCast, t::BuiltinOperator_CAST},
      {s::BuiltinOp::kMaximum, t::BuiltinOperator_MAXIMUM},
      {s::BuiltinOp::kMinimum, t::BuiltinOperator_MINIMUM},
      {s::BuiltinOp::kPadV2, t::BuiltinOperator_PADV2},
      {s::BuiltinOp::kExpandDims, t::BuiltinOperator_EXPAND_DIMS},
      {s::BuiltinOp::kQuantize, t::BuiltinOperator_QUANTIZE},
      {s::BuiltinOp::kLeakyRelu, t::BuiltinOperator_LEAKY_RELU},
      {s::BuiltinOp::kHardSwish, t::BuiltinOperator_HARD_SWISH},
      {s::BuiltinOp::kPlaceholderForGreaterOpCodes, t::BuiltinOperator_PLACEHOLDER_FOR_GREATER_OP_CODES}};
  for (const auto& p : pairs) {
    EXPECT_EQ(int(p.first), int(p.second)) << t::EnumNameBuiltinOperator(p.second);
    if (p.first != s::BuiltinOp::kPlaceholderForGreaterOpCodes)
      EXPECT_STREQ(s::builtin_op_name(int32_t(p.first)), t::EnumNameBuiltinOperator(p.second));
  }
  EXPECT_EQ(pairs.size(), sizeof(t::EnumValuesBuiltinOperator()) / sizeof(t::BuiltinOperator))
      << "an operator is missing on one side";
}

TEST(TfliteSchema, OptionsUnionPaddingActivation) {
  const std::vector<std::pair<s::OptionsType, t::BuiltinOptions>> pairs = {
      {s::OptionsType::kNone, t::BuiltinOptions_NONE},
      {s::OptionsType::kConv2D, t::BuiltinOptions_Conv2DOptions},
      {s::OptionsType::kDepthwiseConv2D, t::BuiltinOptions_DepthwiseConv2DOptions},
      {s::OptionsType::kPool2D, t::BuiltinOptions_Pool2DOptions},
      {s::OptionsType::kSvdf, t::BuiltinOptions_SVDFOptions},
      {s::OptionsType::kFullyConnected, t::BuiltinOptions_FullyConnectedOptions},
      {s::OptionsType::kSoftmax, t::BuiltinOptions_SoftmaxOptions},
      {s::OptionsType::kConcatenation, t::BuiltinOptions_ConcatenationOptions},
      {s::OptionsType::kAdd, t::BuiltinOptions_AddOptions},
      {s::OptionsType::kReshape, t::BuiltinOptions_ReshapeOptions},
      {s::OptionsType::kMul, t::BuiltinOptions_MulOptions},
      {s::OptionsType::kPad, t::BuiltinOptions_PadOptions},
      {s::OptionsType::kTranspose, t::BuiltinOptions_TransposeOptions},
      {s::OptionsType::kReducer, t::BuiltinOptions_ReducerOptions},
      {s::OptionsType::kSub, t::BuiltinOptions_SubOptions},
      {s::OptionsType::kDiv, t::BuiltinOptions_DivOptions},
      {s::OptionsType::kSqueeze, t::BuiltinOptions_SqueezeOptions},
      {s::OptionsType::kStridedSlice, t::BuiltinOptions_StridedSliceOptions},
      {s::OptionsType::kCast, t::BuiltinOptions_CastOptions},
      {s::OptionsType::kDequantize, t::BuiltinOptions_DequantizeOptions},
      {s::OptionsType::kMaximumMinimum, t::BuiltinOptions_MaximumMinimumOptions},
      {s::OptionsType::kPadV2, t::BuiltinOptions_PadV2Options},
      {s::OptionsType::kExpandDims, t::BuiltinOptions_ExpandDimsOptions},
      {s::OptionsType::kUnidirectionalSequenceLstm, t::BuiltinOptions_UnidirectionalSequenceLSTMOptions},
      {s::OptionsType::kLeakyRelu, t::BuiltinOptions_LeakyReluOptions},
      {s::OptionsType::kQuantize, t::BuiltinOptions_QuantizeOptions},
      {s::OptionsType::kHardSwish, t::BuiltinOptions_HardSwishOptions}};
  for (const auto& p : pairs) EXPECT_EQ(int(p.first), int(p.second)) << t::EnumNameBuiltinOptions(p.second);
  EXPECT_EQ(pairs.size(), sizeof(t::EnumValuesBuiltinOptions()) / sizeof(t::BuiltinOptions));

  EXPECT_EQ(int(s::Padding::kSame), int(t::Padding_SAME));
  EXPECT_EQ(int(s::Padding::kValid), int(t::Padding_VALID));
  EXPECT_EQ(int(s::Activation::kNone), int(t::ActivationFunctionType_NONE));
  EXPECT_EQ(int(s::Activation::kRelu), int(t::ActivationFunctionType_RELU));
  EXPECT_EQ(int(s::Activation::kReluN1To1), int(t::ActivationFunctionType_RELU_N1_TO_1));
  EXPECT_EQ(int(s::Activation::kRelu6), int(t::ActivationFunctionType_RELU6));
  EXPECT_EQ(int(s::Activation::kTanh), int(t::ActivationFunctionType_TANH));
  EXPECT_EQ(int(s::Activation::kSignBit), int(t::ActivationFunctionType_SIGN_BIT));
}

// schema.h field id N sits at vtable offset 4 + 2N, the generated VT_ value.
#define EXPECT_FIELD(ns, field, table, vt) \
  EXPECT_EQ(slot(s::ns::field), int(t::table::vt)) << #ns "::" #field

TEST(TfliteSchema, TableFieldIds) {
  EXPECT_FIELD(model, version, Model, VT_VERSION);
  EXPECT_FIELD(model, operator_codes, Model, VT_OPERATOR_CODES);
  EXPECT_FIELD(model, subgraphs, Model, VT_SUBGRAPHS);
  EXPECT_FIELD(model, description, Model, VT_DESCRIPTION);
  EXPECT_FIELD(model, buffers, Model, VT_BUFFERS);
  EXPECT_FIELD(model, metadata_buffer, Model, VT_METADATA_BUFFER);
  EXPECT_FIELD(model, metadata, Model, VT_METADATA);
  EXPECT_FIELD(model, signature_defs, Model, VT_SIGNATURE_DEFS);
  EXPECT_FIELD(subgraph, tensors, SubGraph, VT_TENSORS);
  EXPECT_FIELD(subgraph, inputs, SubGraph, VT_INPUTS);
  EXPECT_FIELD(subgraph, outputs, SubGraph, VT_OUTPUTS);
  EXPECT_FIELD(subgraph, operators, SubGraph, VT_OPERATORS);
  EXPECT_FIELD(subgraph, name, SubGraph, VT_NAME);
  EXPECT_FIELD(tensor, shape, Tensor, VT_SHAPE);
  EXPECT_FIELD(tensor, type, Tensor, VT_TYPE);
  EXPECT_FIELD(tensor, buffer, Tensor, VT_BUFFER);
  EXPECT_FIELD(tensor, name, Tensor, VT_NAME);
  EXPECT_FIELD(tensor, quantization, Tensor, VT_QUANTIZATION);
  EXPECT_FIELD(tensor, is_variable, Tensor, VT_IS_VARIABLE);
  EXPECT_FIELD(tensor, sparsity, Tensor, VT_SPARSITY);
  EXPECT_FIELD(tensor, shape_signature, Tensor, VT_SHAPE_SIGNATURE);
  EXPECT_FIELD(tensor, has_rank, Tensor, VT_HAS_RANK);
  EXPECT_FIELD(quantization, min, QuantizationParameters, VT_MIN);
  EXPECT_FIELD(quantization, max, QuantizationParameters, VT_MAX);
  EXPECT_FIELD(quantization, scale, QuantizationParameters, VT_SCALE);
  EXPECT_FIELD(quantization, zero_point, QuantizationParameters, VT_ZERO_POINT);
  EXPECT_FIELD(quantization, details_type, QuantizationParameters, VT_DETAILS_TYPE);
  EXPECT_FIELD(quantization, details, QuantizationParameters, VT_DETAILS);
  EXPECT_FIELD(quantization, quantized_dimension, QuantizationParameters, VT_QUANTIZED_DIMENSION);
  EXPECT_FIELD(operator_, opcode_index, Operator, VT_OPCODE_INDEX);
  EXPECT_FIELD(operator_, inputs, Operator, VT_INPUTS);
  EXPECT_FIELD(operator_, outputs, Operator, VT_OUTPUTS);
  EXPECT_FIELD(operator_, builtin_options_type, Operator, VT_BUILTIN_OPTIONS_TYPE);
  EXPECT_FIELD(operator_, builtin_options, Operator, VT_BUILTIN_OPTIONS);
  EXPECT_FIELD(operator_, custom_options, Operator, VT_CUSTOM_OPTIONS);
  EXPECT_FIELD(operator_, custom_options_format, Operator, VT_CUSTOM_OPTIONS_FORMAT);
  EXPECT_FIELD(operator_, mutating_variable_inputs, Operator, VT_MUTATING_VARIABLE_INPUTS);
  EXPECT_FIELD(operator_, intermediates, Operator, VT_INTERMEDIATES);
  EXPECT_FIELD(operator_code, deprecated_builtin_code, OperatorCode, VT_DEPRECATED_BUILTIN_CODE);
  EXPECT_FIELD(operator_code, custom_code, OperatorCode, VT_CUSTOM_CODE);
  EXPECT_FIELD(operator_code, version, OperatorCode, VT_VERSION);
  EXPECT_FIELD(operator_code, builtin_code, OperatorCode, VT_BUILTIN_CODE);
  EXPECT_FIELD(buffer, data, Buffer, VT_DATA);
  EXPECT_FIELD(buffer, offset, Buffer, VT_OFFSET);
  EXPECT_FIELD(buffer, size, Buffer, VT_SIZE);
  EXPECT_FIELD(metadata, name, Metadata, VT_NAME);
  EXPECT_FIELD(metadata, buffer, Metadata, VT_BUFFER);
}

TEST(TfliteSchema, OptionsFieldIds) {
  EXPECT_FIELD(conv2d_options, padding, Conv2DOptions, VT_PADDING);
  EXPECT_FIELD(conv2d_options, stride_w, Conv2DOptions, VT_STRIDE_W);
  EXPECT_FIELD(conv2d_options, stride_h, Conv2DOptions, VT_STRIDE_H);
  EXPECT_FIELD(conv2d_options, fused_activation_function, Conv2DOptions, VT_FUSED_ACTIVATION_FUNCTION);
  EXPECT_FIELD(conv2d_options, dilation_w_factor, Conv2DOptions, VT_DILATION_W_FACTOR);
  EXPECT_FIELD(conv2d_options, dilation_h_factor, Conv2DOptions, VT_DILATION_H_FACTOR);
  EXPECT_FIELD(conv2d_options, quantized_bias_type, Conv2DOptions, VT_QUANTIZED_BIAS_TYPE);
  EXPECT_FIELD(depthwise_conv2d_options, padding, DepthwiseConv2DOptions, VT_PADDING);
  EXPECT_FIELD(depthwise_conv2d_options, stride_w, DepthwiseConv2DOptions, VT_STRIDE_W);
  EXPECT_FIELD(depthwise_conv2d_options, stride_h, DepthwiseConv2DOptions, VT_STRIDE_H);
  EXPECT_FIELD(depthwise_conv2d_options, depth_multiplier, DepthwiseConv2DOptions, VT_DEPTH_MULTIPLIER);
  EXPECT_FIELD(depthwise_conv2d_options, fused_activation_function, DepthwiseConv2DOptions,
               VT_FUSED_ACTIVATION_FUNCTION);
  EXPECT_FIELD(depthwise_conv2d_options, dilation_w_factor, DepthwiseConv2DOptions, VT_DILATION_W_FACTOR);
  EXPECT_FIELD(depthwise_conv2d_options, dilation_h_factor, DepthwiseConv2DOptions, VT_DILATION_H_FACTOR);
  EXPECT_FIELD(pool2d_options, padding, Pool2DOptions, VT_PADDING);
  EXPECT_FIELD(pool2d_options, stride_w, Pool2DOptions, VT_STRIDE_W);
  EXPECT_FIELD(pool2d_options, stride_h, Pool2DOptions, VT_STRIDE_H);
  EXPECT_FIELD(pool2d_options, filter_width, Pool2DOptions, VT_FILTER_WIDTH);
  EXPECT_FIELD(pool2d_options, filter_height, Pool2DOptions, VT_FILTER_HEIGHT);
  EXPECT_FIELD(pool2d_options, fused_activation_function, Pool2DOptions, VT_FUSED_ACTIVATION_FUNCTION);
  EXPECT_FIELD(svdf_options, rank, SVDFOptions, VT_RANK);
  EXPECT_FIELD(svdf_options, fused_activation_function, SVDFOptions, VT_FUSED_ACTIVATION_FUNCTION);
  EXPECT_FIELD(svdf_options, asymmetric_quantize_inputs, SVDFOptions, VT_ASYMMETRIC_QUANTIZE_INPUTS);
  EXPECT_FIELD(fully_connected_options, fused_activation_function, FullyConnectedOptions,
               VT_FUSED_ACTIVATION_FUNCTION);
  EXPECT_FIELD(fully_connected_options, weights_format, FullyConnectedOptions, VT_WEIGHTS_FORMAT);
  EXPECT_FIELD(fully_connected_options, keep_num_dims, FullyConnectedOptions, VT_KEEP_NUM_DIMS);
  EXPECT_FIELD(fully_connected_options, asymmetric_quantize_inputs, FullyConnectedOptions,
               VT_ASYMMETRIC_QUANTIZE_INPUTS);
  EXPECT_FIELD(fully_connected_options, quantized_bias_type, FullyConnectedOptions, VT_QUANTIZED_BIAS_TYPE);
  EXPECT_FIELD(softmax_options, beta, SoftmaxOptions, VT_BETA);
  EXPECT_FIELD(concatenation_options, axis, ConcatenationOptions, VT_AXIS);
  EXPECT_FIELD(concatenation_options, fused_activation_function, ConcatenationOptions, VT_FUSED_ACTIVATION_FUNCTION);
  EXPECT_FIELD(add_options, fused_activation_function, AddOptions, VT_FUSED_ACTIVATION_FUNCTION);
  EXPECT_FIELD(add_options, pot_scale_int16, AddOptions, VT_POT_SCALE_INT16);
  EXPECT_FIELD(sub_options, fused_activation_function, SubOptions, VT_FUSED_ACTIVATION_FUNCTION);
  EXPECT_FIELD(sub_options, pot_scale_int16, SubOptions, VT_POT_SCALE_INT16);
  EXPECT_FIELD(mul_options, fused_activation_function, MulOptions, VT_FUSED_ACTIVATION_FUNCTION);
  EXPECT_FIELD(div_options, fused_activation_function, DivOptions, VT_FUSED_ACTIVATION_FUNCTION);
  EXPECT_FIELD(reshape_options, new_shape, ReshapeOptions, VT_NEW_SHAPE);
  EXPECT_FIELD(reducer_options, keep_dims, ReducerOptions, VT_KEEP_DIMS);
  EXPECT_FIELD(squeeze_options, squeeze_dims, SqueezeOptions, VT_SQUEEZE_DIMS);
  EXPECT_FIELD(strided_slice_options, begin_mask, StridedSliceOptions, VT_BEGIN_MASK);
  EXPECT_FIELD(strided_slice_options, end_mask, StridedSliceOptions, VT_END_MASK);
  EXPECT_FIELD(strided_slice_options, ellipsis_mask, StridedSliceOptions, VT_ELLIPSIS_MASK);
  EXPECT_FIELD(strided_slice_options, new_axis_mask, StridedSliceOptions, VT_NEW_AXIS_MASK);
  EXPECT_FIELD(strided_slice_options, shrink_axis_mask, StridedSliceOptions, VT_SHRINK_AXIS_MASK);
  EXPECT_FIELD(strided_slice_options, offset, StridedSliceOptions, VT_OFFSET);
  EXPECT_FIELD(cast_options, in_data_type, CastOptions, VT_IN_DATA_TYPE);
  EXPECT_FIELD(cast_options, out_data_type, CastOptions, VT_OUT_DATA_TYPE);
  EXPECT_FIELD(leaky_relu_options, alpha, LeakyReluOptions, VT_ALPHA);
  using Lstm = t::UnidirectionalSequenceLSTMOptions;
  EXPECT_EQ(slot(s::unidirectional_sequence_lstm_options::fused_activation_function),
            int(Lstm::VT_FUSED_ACTIVATION_FUNCTION));
  EXPECT_EQ(slot(s::unidirectional_sequence_lstm_options::cell_clip), int(Lstm::VT_CELL_CLIP));
  EXPECT_EQ(slot(s::unidirectional_sequence_lstm_options::proj_clip), int(Lstm::VT_PROJ_CLIP));
  EXPECT_EQ(slot(s::unidirectional_sequence_lstm_options::time_major), int(Lstm::VT_TIME_MAJOR));
  EXPECT_EQ(slot(s::unidirectional_sequence_lstm_options::asymmetric_quantize_inputs),
            int(Lstm::VT_ASYMMETRIC_QUANTIZE_INPUTS));
  EXPECT_EQ(slot(s::unidirectional_sequence_lstm_options::diagonal_recurrent_tensors),
            int(Lstm::VT_DIAGONAL_RECURRENT_TENSORS));
}

// A one-op SOFTMAX model whose options table is written by hand, so a test can
// add a field or change the union type mote's schema does not declare.
std::vector<uint8_t> softmax_model(uint8_t options_type, int extra_field) {
  flatbuffers::FlatBufferBuilder fbb;
  const flatbuffers::uoffset_t start = fbb.StartTable();
  fbb.AddElement<float>(FieldIndexToOffset(0), 0.5f, 0.0f);
  if (extra_field >= 0) fbb.AddElement<int32_t>(FieldIndexToOffset(flatbuffers::voffset_t(extra_field)), 7, 0);
  const flatbuffers::Offset<void> options(fbb.EndTable(start));
  const std::vector<int32_t> shape = {1, 4};
  std::vector<flatbuffers::Offset<t::Tensor>> tensors = {
      t::CreateTensorDirect(fbb, &shape, t::TensorType_FLOAT32, 0, "x"),
      t::CreateTensorDirect(fbb, &shape, t::TensorType_FLOAT32, 0, "y")};
  const std::vector<int32_t> in = {0}, out = {1};
  std::vector<flatbuffers::Offset<t::Operator>> ops = {
      t::CreateOperatorDirect(fbb, 0, &in, &out, t::BuiltinOptions(options_type), options)};
  std::vector<flatbuffers::Offset<t::SubGraph>> subgraphs = {
      t::CreateSubGraphDirect(fbb, &tensors, &in, &out, &ops, "main")};
  std::vector<flatbuffers::Offset<t::OperatorCode>> codes = {
      t::CreateOperatorCodeDirect(fbb, 25, nullptr, 1, t::BuiltinOperator_SOFTMAX)};
  std::vector<flatbuffers::Offset<t::Buffer>> buffers = {t::CreateBuffer(fbb)};
  t::FinishModelBuffer(fbb, t::CreateModelDirect(fbb, 3, &codes, &subgraphs, "hand-written", &buffers));
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

TEST(TfliteSchema, DeclaredDataUnpacksAndPacksBack) {
  const std::vector<uint8_t> bytes = softmax_model(t::BuiltinOptions_SoftmaxOptions, -1);
  std::string error;
  const auto model = mote::tools::unpack_model(bytes.data(), bytes.size(), &error);
  ASSERT_NE(model, nullptr) << error;
  const t::OperatorT& op = *model->subgraphs[0]->operators[0];
  ASSERT_NE(op.builtin_options.AsSoftmaxOptions(), nullptr);
  EXPECT_EQ(op.builtin_options.AsSoftmaxOptions()->beta, 0.5f);
  EXPECT_EQ(mote::tools::builtin_code(*model->operator_codes[0]), 25);
}

// export_fuzzer finding (CI run of ad5328d): a vtable of 0 bytes, which the
// verifier accepts, made the schema walk count 2^64 - 2 field slots.
TEST(TfliteSchema, EmptyVtableHasNoFields) {
  std::vector<uint8_t> bytes = softmax_model(t::BuiltinOptions_SoftmaxOptions, -1);
  const uint32_t root = flatbuffers::ReadScalar<uint32_t>(bytes.data());
  const int32_t to_vtable = flatbuffers::ReadScalar<int32_t>(bytes.data() + root);
  flatbuffers::WriteScalar<uint16_t>(bytes.data() + root - to_vtable, 0);
  EXPECT_EQ(mote::tools::find_undeclared_data(bytes.data()), "");
  std::string error;
  const auto model = mote::tools::unpack_model(bytes.data(), bytes.size(), &error);
  ASSERT_NE(model, nullptr) << error;
  EXPECT_TRUE(model->subgraphs.empty());
}

// export_fuzzer finding: the verifier accepts a vector of 8-byte zero points
// 4 bytes off alignment, which UnPack() then read in place (misaligned load).
// Here the zero point vector is moved to the end of the file, 4 bytes off.
TEST(TfliteSchema, MisalignedZeroPointsAreRefused) {
  ModelBuilder b;
  const int x = b.add_tensor(TensorSpec("x", DType::kInt8, {4}, {0.5f}, {3}));
  const int y = b.add_tensor(TensorSpec("y", DType::kInt8, {4}, {0.5f}, {3}));
  b.add_operator(s::BuiltinOp::kRelu, {x}, {y});
  b.set_inputs({x});
  b.set_outputs({y});
  std::vector<uint8_t> bytes = b.serialize();
  std::string error;
  ASSERT_NE(mote::tools::unpack_model(bytes.data(), bytes.size(), &error), nullptr) << error;

  bytes.resize((bytes.size() + 7) / 8 * 8);
  const size_t moved = bytes.size();  // length word here, values at moved + 4
  auto quantization = [&] { return t::GetModel(bytes.data())->subgraphs()->Get(0)->tensors()->Get(0)->quantization(); };
  const auto* table = reinterpret_cast<const flatbuffers::Table*>(quantization());
  const size_t field = size_t(reinterpret_cast<const uint8_t*>(table) - bytes.data()) +
                       table->GetOptionalFieldOffset(t::QuantizationParameters::VT_ZERO_POINT);
  for (uint8_t v : {1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0}) bytes.push_back(v);  // [3] as int64
  flatbuffers::WriteScalar<uint32_t>(bytes.data() + field, uint32_t(moved - field));
  ASSERT_EQ((quantization()->zero_point()->Data() - bytes.data()) % 8, 4);
  EXPECT_EQ(mote::tools::unpack_model(bytes.data(), bytes.size(), &error), nullptr);
  EXPECT_NE(error.find("subgraphs[0].tensors[0].quantization.zero_point is not 8-byte aligned"), std::string::npos)
      << error;
}

// Tables referenced from many places (a few KB holding hundreds of thousands
// of table visits) are refused as soon as the visits exceed what a buffer of
// that size can hold, before the schema walk and UnPack() visit them all.
TEST(TfliteSchema, TablesReferencedManyTimesAreRefusedQuickly) {
  flatbuffers::FlatBufferBuilder fbb;
  const auto op = t::CreateOperatorDirect(fbb, 0);
  const std::vector<flatbuffers::Offset<t::Operator>> ops(500, op);
  const auto subgraph = t::CreateSubGraphDirect(fbb, nullptr, nullptr, nullptr, &ops);
  std::vector<flatbuffers::Offset<t::SubGraph>> subgraphs(500, subgraph);
  std::vector<flatbuffers::Offset<t::OperatorCode>> codes = {t::CreateOperatorCode(fbb, 0, 0, 1, t::BuiltinOperator_ADD)};
  std::vector<flatbuffers::Offset<t::Buffer>> buffers = {t::CreateBuffer(fbb)};
  t::FinishModelBuffer(fbb, t::CreateModelDirect(fbb, 3, &codes, &subgraphs, "aliased", &buffers));
  ASSERT_LT(fbb.GetSize(), 8000u);
  std::string error;
  EXPECT_EQ(mote::tools::unpack_model(fbb.GetBufferPointer(), fbb.GetSize(), &error), nullptr);
  EXPECT_EQ(error, "not a valid TFLite flatbuffer");
}

TEST(TfliteSchema, UndeclaredOptionsFieldIsRefusedNotDropped) {
  const std::vector<uint8_t> bytes = softmax_model(t::BuiltinOptions_SoftmaxOptions, 3);
  EXPECT_EQ(mote::tools::find_undeclared_data(bytes.data()),
            "subgraphs[0].operators[0].builtin_options: field 3, which mote's schema does not declare");
  std::string error;
  EXPECT_EQ(mote::tools::unpack_model(bytes.data(), bytes.size(), &error), nullptr);
  EXPECT_NE(error.find("field 3"), std::string::npos) << error;
  try {
    mote::tools::quantizer::read_graph(bytes.data(), bytes.size());
    ADD_FAILURE() << "read_graph accepted a model it cannot write back";
  } catch (const mote::tools::UserError& e) {
    EXPECT_NE(std::string(e.what()).find("operators[0].builtin_options: field 3"), std::string::npos) << e.what();
  }
}

TEST(TfliteSchema, UndeclaredOptionsTableIsRefused) {
  // Union value 55 is TFLite's ShapeOptions, which mote does not declare.
  const std::vector<uint8_t> bytes = softmax_model(55, -1);
  EXPECT_EQ(mote::tools::find_undeclared_data(bytes.data()),
            "subgraphs[0].operators[0].builtin_options: union member 55, which mote's schema does not declare");
  EXPECT_THROW(mote::tools::quantizer::read_graph(bytes.data(), bytes.size()), mote::tools::UserError);
}

TEST(TfliteSchema, OptionsByFieldIdAreDecodedIntoTypedTables) {
  const Options conv = Options(s::OptionsType::kConv2D)
                           .i8(s::conv2d_options::padding, int8_t(s::Padding::kValid))
                           .i32(s::conv2d_options::stride_w, 2)
                           .i32(s::conv2d_options::dilation_h_factor, 3);
  const t::Conv2DOptionsT* typed = conv.value().AsConv2DOptions();
  ASSERT_NE(typed, nullptr);
  EXPECT_EQ(typed->padding, t::Padding_VALID);
  EXPECT_EQ(typed->stride_w, 2);
  EXPECT_EQ(typed->stride_h, 0);
  EXPECT_EQ(typed->dilation_w_factor, 1);  // TFLite's default
  EXPECT_EQ(typed->dilation_h_factor, 3);
  EXPECT_THROW(Options(s::OptionsType::kSoftmax).f32(1, 2.0f), std::invalid_argument);  // SoftmaxOptions has 1 field
  EXPECT_THROW(Options(s::OptionsType(55)), std::invalid_argument);                    // not declared by mote

  t::LeakyReluOptionsT leaky;
  leaky.alpha = 0.25f;
  const Options typed_options(leaky);
  EXPECT_EQ(typed_options.type(), s::OptionsType::kLeakyRelu);
  EXPECT_EQ(typed_options.value().AsLeakyReluOptions()->alpha, 0.25f);
}

// Every shared model (TensorFlow converter output) holds only data mote's
// schema declares, so the quantizer can rewrite any of them without loss.
TEST(TfliteSchema, SharedModelsHoldOnlyDeclaredData) {
  MOTE_REQUIRE_SHARED();
  namespace fs = std::filesystem;
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(shared_dir()) / "models")) {
    if (entry.path().extension() != ".tflite") continue;
    const std::vector<uint8_t> bytes = read_file(entry.path().string());
    std::string error;
    EXPECT_NE(mote::tools::unpack_model(bytes.data(), bytes.size(), &error), nullptr)
        << entry.path().filename() << ": " << error;
    ++checked;
  }
  EXPECT_GT(checked, 10);
}

}  // namespace
