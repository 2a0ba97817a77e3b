// The model builder's output, read back field by field with the runtime's
// checked flatbuffer reader (mote/flatbuffer.h) with the schema defaults (the
// builder, like the TFLite converter, omits fields equal to their default),
// and the reader checked against facts about the shared real models (from
// shared/models/README.md).
#include "tools/model_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "mote/flatbuffer.h"
#include "mote/model.h"
#include "mote/schema.h"
#include "op_harness.h"

namespace {

using mote::DType;
using mote::fb::Table;
using mote::fb::Vector;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
namespace schema = mote::schema;

std::string str(mote::fb::Bytes b) { return b.data ? std::string(reinterpret_cast<const char*>(b.data), b.size) : ""; }

template <typename T>
std::vector<T> values(const Vector<T>& v) {
  std::vector<T> out;
  for (uint32_t i = 0; i < v.size(); ++i) out.push_back(v[i]);
  return out;
}

// Root, subgraph 0 and the main vectors of a serialized model.
struct Parsed {
  explicit Parsed(const std::vector<uint8_t>& bytes) : bytes(bytes) {
    root = Table::root(this->bytes.data(), this->bytes.size());
    subgraphs = root.vector<uint32_t>(schema::model::subgraphs);
    subgraph = root.table_in(subgraphs, 0);
    buffers = root.vector<uint32_t>(schema::model::buffers);
    opcodes = root.vector<uint32_t>(schema::model::operator_codes);
    tensors = subgraph.vector<uint32_t>(schema::subgraph::tensors);
    operators = subgraph.vector<uint32_t>(schema::subgraph::operators);
  }
  Table tensor(uint32_t i) const { return root.table_in(tensors, i); }
  Table op(uint32_t i) const { return root.table_in(operators, i); }
  Table opcode(uint32_t i) const { return root.table_in(opcodes, i); }
  Table buffer(uint32_t i) const { return root.table_in(buffers, i); }
  // Code the TFLite runtime uses: max(deprecated_builtin_code, builtin_code).
  int32_t builtin_code(uint32_t opcode_index) const {
    Table c = opcode(opcode_index);
    return std::max<int32_t>(c.scalar<int8_t>(schema::operator_code::deprecated_builtin_code, 0),
                             c.scalar<int32_t>(schema::operator_code::builtin_code, 0));
  }

  std::vector<uint8_t> bytes;
  Table root, subgraph;
  Vector<uint32_t> subgraphs, buffers, opcodes, tensors, operators;
};

TensorSpec activation(std::string name, std::vector<int32_t> shape, float scale, int64_t zero_point) {
  TensorSpec t;
  t.name = std::move(name);
  t.type = DType::kInt8;
  t.shape = std::move(shape);
  t.scales = {scale};
  t.zero_points = {zero_point};
  return t;
}

// A fully connected layer: int8 input, per-channel int8 weights, int32 bias.
struct FcModel {
  FcModel() {
    in = b.add_tensor(activation("x", {1, 4}, 0.5f, -1));
    weights = b.add_tensor(TensorSpec::constant<int8_t>("w", DType::kInt8, {3, 4}, weight_values,
                                                        {0.1f, 0.2f, 0.3f}, {0, 0, 0}, 0));
    bias = b.add_tensor(TensorSpec::constant<int32_t>("b", DType::kInt32, {3}, bias_values, {0.05f}, {0}));
    out = b.add_tensor(activation("y", {1, 3}, 0.25f, 2));
    b.add_operator(schema::BuiltinOp::kFullyConnected, {in, weights, bias}, {out},
                   Options(schema::OptionsType::kFullyConnected)
                       .i8(schema::fully_connected_options::fused_activation_function, 0)
                       .boolean(schema::fully_connected_options::keep_num_dims, true),
                   4);
    b.set_inputs({in});
    b.set_outputs({out});
  }
  std::vector<int8_t> weight_values{1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -127};
  std::vector<int32_t> bias_values{100, -200, 300000};
  ModelBuilder b;
  int in, weights, bias, out;
};

TEST(ModelBuilder, FileHeaderAndVersion) {
  FcModel m;
  std::vector<uint8_t> bytes = m.b.serialize();
  ASSERT_GE(bytes.size(), 8u);
  EXPECT_EQ(std::string(bytes.begin() + 4, bytes.begin() + 8), "TFL3");
  Parsed p(bytes);
  ASSERT_TRUE(p.root.valid());
  EXPECT_EQ(p.root.scalar<uint32_t>(schema::model::version, 0), 3u);
  EXPECT_EQ(p.subgraphs.size(), 1u);
  EXPECT_EQ(str(p.root.string(schema::model::description)), "mote");
}

TEST(ModelBuilder, TensorsAndConstantBuffers) {
  FcModel m;
  Parsed p(m.b.serialize());
  ASSERT_EQ(p.tensors.size(), 4u);
  ASSERT_EQ(p.buffers.size(), 3u);  // empty sentinel + weights + bias

  Table b0 = p.buffer(0);
  ASSERT_TRUE(b0.valid());
  EXPECT_FALSE(b0.has(schema::buffer::data));

  // Activations point at buffer 0.
  for (int t : {m.in, m.out}) EXPECT_EQ(p.tensor(t).scalar<uint32_t>(schema::tensor::buffer, 0), 0u) << t;

  struct Expected {
    int tensor;
    std::vector<uint8_t> data;
  };
  for (const Expected& e : {Expected{m.weights, bytes_of(m.weight_values)}, Expected{m.bias, bytes_of(m.bias_values)}}) {
    uint32_t buffer_index = p.tensor(e.tensor).scalar<uint32_t>(schema::tensor::buffer, 0);
    ASSERT_GT(buffer_index, 0u);
    ASSERT_LT(buffer_index, p.buffers.size());
    Vector<uint8_t> data = p.buffer(buffer_index).vector<uint8_t>(schema::buffer::data);
    ASSERT_TRUE(data.valid());
    EXPECT_EQ(data.position() % 16, 0u) << "constant data of tensor " << e.tensor << " is not 16-byte aligned";
    EXPECT_EQ(values(data), e.data);
  }
  EXPECT_NE(p.tensor(m.weights).scalar<uint32_t>(schema::tensor::buffer, 0),
            p.tensor(m.bias).scalar<uint32_t>(schema::tensor::buffer, 0));

  Table w = p.tensor(m.weights);
  EXPECT_EQ(str(w.string(schema::tensor::name)), "w");
  EXPECT_EQ(w.scalar<int8_t>(schema::tensor::type, 0), int8_t(DType::kInt8));
  EXPECT_EQ(values(w.vector<int32_t>(schema::tensor::shape)), (std::vector<int32_t>{3, 4}));
  Table wq = w.table(schema::tensor::quantization);
  ASSERT_TRUE(wq.valid());
  EXPECT_EQ(values(wq.vector<float>(schema::quantization::scale)), (std::vector<float>{0.1f, 0.2f, 0.3f}));
  EXPECT_EQ(values(wq.vector<int64_t>(schema::quantization::zero_point)), (std::vector<int64_t>{0, 0, 0}));
  EXPECT_EQ(wq.scalar<int32_t>(schema::quantization::quantized_dimension, 0), 0);

  Table bias = p.tensor(m.bias);
  EXPECT_EQ(bias.scalar<int8_t>(schema::tensor::type, 0), int8_t(DType::kInt32));
  EXPECT_EQ(values(bias.vector<int32_t>(schema::tensor::shape)), (std::vector<int32_t>{3}));

  Table x = p.tensor(m.in);
  EXPECT_EQ(str(x.string(schema::tensor::name)), "x");
  EXPECT_EQ(x.scalar<int8_t>(schema::tensor::type, 0), int8_t(DType::kInt8));
  EXPECT_EQ(values(x.vector<int32_t>(schema::tensor::shape)), (std::vector<int32_t>{1, 4}));
  Table xq = x.table(schema::tensor::quantization);
  EXPECT_EQ(values(xq.vector<float>(schema::quantization::scale)), (std::vector<float>{0.5f}));
  EXPECT_EQ(values(xq.vector<int64_t>(schema::quantization::zero_point)), (std::vector<int64_t>{-1}));
  EXPECT_EQ(x.scalar<uint8_t>(schema::tensor::is_variable, 0), 0);
}

TEST(ModelBuilder, EveryConstantBufferIsAligned) {
  // Odd sizes push later buffers to odd offsets unless the builder pads.
  ModelBuilder b;
  for (int i = 1; i <= 9; ++i) {
    std::vector<uint8_t> data(size_t(i * 7), uint8_t(i));
    b.add_tensor(TensorSpec::constant<uint8_t>("c" + std::to_string(i), DType::kUInt8, {i * 7}, data));
  }
  Parsed p(b.serialize());
  ASSERT_EQ(p.buffers.size(), 10u);
  for (uint32_t t = 0; t < 9; ++t) {
    uint32_t buffer_index = p.tensor(t).scalar<uint32_t>(schema::tensor::buffer, 0);
    EXPECT_EQ(buffer_index, t + 1);
    Vector<uint8_t> data = p.buffer(buffer_index).vector<uint8_t>(schema::buffer::data);
    ASSERT_EQ(data.size(), (t + 1) * 7);
    EXPECT_EQ(data.position() % 16, 0u) << "buffer " << buffer_index;
    EXPECT_EQ(data[0], t + 1);
    EXPECT_EQ(data[data.size() - 1], t + 1);
  }
}

TEST(ModelBuilder, FloatAndVariableTensorsWithoutQuantization) {
  ModelBuilder b;
  TensorSpec state;
  state.name = "state";
  state.type = DType::kInt16;
  state.shape = {1, 8};
  state.is_variable = true;
  int s = b.add_tensor(state);
  int f = b.add_tensor({"f", DType::kFloat32, {}, {}, {}, 0, {}, false});  // a scalar
  Parsed p(b.serialize());
  Table st = p.tensor(s);
  EXPECT_EQ(st.scalar<uint8_t>(schema::tensor::is_variable, 0), 1);
  EXPECT_EQ(st.scalar<int8_t>(schema::tensor::type, 0), int8_t(DType::kInt16));
  EXPECT_FALSE(st.has(schema::tensor::quantization));
  Table ft = p.tensor(f);
  EXPECT_EQ(ft.scalar<int8_t>(schema::tensor::type, 0), int8_t(DType::kFloat32));
  // Empty vectors are not stored: a scalar has no shape field, read as rank 0.
  EXPECT_FALSE(ft.has(schema::tensor::shape));
  EXPECT_EQ(ft.vector<int32_t>(schema::tensor::shape).size(), 0u);
}

TEST(ModelBuilder, OperatorFieldsAndOptions) {
  FcModel m;
  int extra = m.b.add_tensor(activation("scratch", {4}, 1.0f, 0));
  m.b.add_operator(schema::BuiltinOp::kConv2D, {m.in, m.weights, -1}, {m.out, extra},
                   Options(schema::OptionsType::kConv2D)
                       .i8(schema::conv2d_options::padding, int8_t(schema::Padding::kValid))
                       .i32(schema::conv2d_options::stride_w, 2)
                       .i32(schema::conv2d_options::stride_h, 3)
                       .i32(schema::conv2d_options::stride_w, 5)  // set again: last value wins
                       .i8(schema::conv2d_options::fused_activation_function, int8_t(schema::Activation::kRelu6)),
                   3, {extra});
  m.b.add_operator(schema::BuiltinOp::kReshape, {m.out}, {m.in},
                   Options(schema::OptionsType::kReshape).i32_vector(schema::reshape_options::new_shape, {1, -1, 3}));
  m.b.add_operator(schema::BuiltinOp::kLeakyRelu, {m.in}, {m.out},
                   Options(schema::OptionsType::kLeakyRelu).f32(schema::leaky_relu_options::alpha, 0.125f));
  m.b.add_operator(schema::BuiltinOp::kCustom, {m.in}, {m.out}, Options(), 1, {}, "MyOp", {7, 0, 255});

  Parsed p(m.b.serialize());
  ASSERT_EQ(p.operators.size(), 5u);

  Table fc = p.op(0);
  EXPECT_EQ(values(fc.vector<int32_t>(schema::operator_::inputs)), (std::vector<int32_t>{m.in, m.weights, m.bias}));
  EXPECT_EQ(values(fc.vector<int32_t>(schema::operator_::outputs)), (std::vector<int32_t>{m.out}));
  EXPECT_EQ(fc.scalar<uint8_t>(schema::operator_::builtin_options_type, 0),
            uint8_t(schema::OptionsType::kFullyConnected));
  Table fco = fc.table(schema::operator_::builtin_options);
  ASSERT_TRUE(fco.valid());
  // Set to the schema default: not stored, a reader takes the default.
  EXPECT_FALSE(fco.has(schema::fully_connected_options::fused_activation_function));
  EXPECT_EQ(fco.scalar<uint8_t>(schema::fully_connected_options::keep_num_dims, 0), 1);
  EXPECT_FALSE(fco.has(schema::fully_connected_options::weights_format));
  EXPECT_FALSE(fc.has(schema::operator_::intermediates));
  EXPECT_FALSE(fc.has(schema::operator_::custom_options));

  Table conv = p.op(1);
  EXPECT_EQ(values(conv.vector<int32_t>(schema::operator_::inputs)), (std::vector<int32_t>{m.in, m.weights, -1}));
  EXPECT_EQ(values(conv.vector<int32_t>(schema::operator_::outputs)), (std::vector<int32_t>{m.out, extra}));
  EXPECT_EQ(values(conv.vector<int32_t>(schema::operator_::intermediates)), (std::vector<int32_t>{extra}));
  EXPECT_EQ(conv.scalar<uint8_t>(schema::operator_::builtin_options_type, 0), uint8_t(schema::OptionsType::kConv2D));
  Table co = conv.table(schema::operator_::builtin_options);
  EXPECT_EQ(co.scalar<int8_t>(schema::conv2d_options::padding, -1), int8_t(schema::Padding::kValid));
  EXPECT_EQ(co.scalar<int32_t>(schema::conv2d_options::stride_w, 0), 5);
  EXPECT_EQ(co.scalar<int32_t>(schema::conv2d_options::stride_h, 0), 3);
  EXPECT_EQ(co.scalar<int8_t>(schema::conv2d_options::fused_activation_function, 0),
            int8_t(schema::Activation::kRelu6));
  EXPECT_FALSE(co.has(schema::conv2d_options::dilation_w_factor));

  Table reshape = p.op(2);
  Table ro = reshape.table(schema::operator_::builtin_options);
  EXPECT_EQ(values(ro.vector<int32_t>(schema::reshape_options::new_shape)), (std::vector<int32_t>{1, -1, 3}));

  Table leaky = p.op(3);
  EXPECT_EQ(leaky.table(schema::operator_::builtin_options).scalar<float>(schema::leaky_relu_options::alpha, 0.0f),
            0.125f);

  Table custom = p.op(4);
  EXPECT_EQ(custom.scalar<uint8_t>(schema::operator_::builtin_options_type, 0), 0);
  EXPECT_FALSE(custom.has(schema::operator_::builtin_options));
  EXPECT_EQ(values(custom.vector<uint8_t>(schema::operator_::custom_options)), (std::vector<uint8_t>{7, 0, 255}));
}

TEST(ModelBuilder, OperatorCodesAreDeduplicated) {
  ModelBuilder b;
  int t = b.add_tensor({"t", DType::kFloat32, {1}, {}, {}, 0, {}, false});
  const auto fc = schema::BuiltinOp::kFullyConnected;
  const auto big = static_cast<schema::BuiltinOp>(150);  // past the int8 deprecated code
  b.add_operator(fc, {t}, {t}, Options(), 4);                                   // code 0
  b.add_operator(fc, {t}, {t}, Options(), 4);                                   // code 0
  b.add_operator(fc, {t}, {t}, Options(), 5);                                   // code 1
  b.add_operator(schema::BuiltinOp::kCustom, {t}, {t}, Options(), 1, {}, "A");  // code 2
  b.add_operator(schema::BuiltinOp::kCustom, {t}, {t}, Options(), 1, {}, "B");  // code 3
  b.add_operator(schema::BuiltinOp::kCustom, {t}, {t}, Options(), 1, {}, "A");  // code 2
  b.add_operator(big, {t}, {t});                                                // code 4
  b.add_operator(schema::BuiltinOp::kPlaceholderForGreaterOpCodes, {t}, {t});   // code 5
  Parsed p(b.serialize());

  ASSERT_EQ(p.opcodes.size(), 6u);
  std::vector<uint32_t> indices;
  for (uint32_t i = 0; i < p.operators.size(); ++i)
    indices.push_back(p.op(i).scalar<uint32_t>(schema::operator_::opcode_index, 0));
  EXPECT_EQ(indices, (std::vector<uint32_t>{0, 0, 1, 2, 3, 2, 4, 5}));

  struct Code {
    int deprecated;
    int32_t builtin;
    int32_t version;
    std::string custom;
  };
  const std::vector<Code> expected = {{9, 9, 4, ""}, {9, 9, 5, ""},   {32, 32, 1, "A"},
                                      {32, 32, 1, "B"}, {127, 150, 1, ""}, {127, 127, 1, ""}};
  for (uint32_t i = 0; i < expected.size(); ++i) {
    Table c = p.opcode(i);
    EXPECT_EQ(c.scalar<int8_t>(schema::operator_code::deprecated_builtin_code, -1), expected[i].deprecated) << i;
    EXPECT_EQ(c.scalar<int32_t>(schema::operator_code::builtin_code, -1), expected[i].builtin) << i;
    EXPECT_EQ(c.scalar<int32_t>(schema::operator_code::version, 1), expected[i].version) << i;
    EXPECT_EQ(str(c.string(schema::operator_code::custom_code)), expected[i].custom) << i;
    EXPECT_EQ(p.builtin_code(i), expected[i].builtin) << i;
  }
}

TEST(ModelBuilder, SubgraphIoDescriptionAndMetadata) {
  FcModel m;
  m.b.set_inputs({m.in, m.bias});
  m.b.set_outputs({m.out});
  m.b.set_description("hello");
  m.b.add_metadata("min_runtime_version", {'1', '.', '5', 0});
  m.b.add_metadata("extra", {1, 2, 3, 4, 5});
  Parsed p(m.b.serialize());

  EXPECT_EQ(values(p.subgraph.vector<int32_t>(schema::subgraph::inputs)), (std::vector<int32_t>{m.in, m.bias}));
  EXPECT_EQ(values(p.subgraph.vector<int32_t>(schema::subgraph::outputs)), (std::vector<int32_t>{m.out}));
  EXPECT_EQ(str(p.root.string(schema::model::description)), "hello");

  Vector<uint32_t> meta = p.root.vector<uint32_t>(schema::model::metadata);
  ASSERT_EQ(meta.size(), 2u);
  const std::vector<std::pair<std::string, std::vector<uint8_t>>> expected = {
      {"min_runtime_version", {'1', '.', '5', 0}}, {"extra", {1, 2, 3, 4, 5}}};
  for (uint32_t i = 0; i < 2; ++i) {
    Table entry = p.root.table_in(meta, i);
    EXPECT_EQ(str(entry.string(schema::metadata::name)), expected[i].first);
    uint32_t buffer_index = entry.scalar<uint32_t>(schema::metadata::buffer, 0);
    ASSERT_GT(buffer_index, 0u);
    ASSERT_LT(buffer_index, p.buffers.size());
    EXPECT_EQ(values(p.buffer(buffer_index).vector<uint8_t>(schema::buffer::data)), expected[i].second);
  }
}

TEST(ModelBuilder, EmptyModelIsWellFormed) {
  ModelBuilder b;
  Parsed p(b.serialize());
  ASSERT_TRUE(p.root.valid());
  ASSERT_TRUE(p.subgraph.valid());
  EXPECT_EQ(p.tensors.size(), 0u);
  EXPECT_EQ(p.operators.size(), 0u);
  EXPECT_EQ(p.opcodes.size(), 0u);
  EXPECT_EQ(p.buffers.size(), 1u);
}

TEST(ModelBuilder, ModelLoadReadsBuiltModel) {
  FcModel m;
  m.b.add_metadata("min_runtime_version", {'1', 0});
  std::vector<uint8_t> bytes = m.b.serialize();
  mote::Model model;
  char error[256] = {};
  ASSERT_EQ(model.load(bytes.data(), bytes.size(), error, sizeof(error)), mote::Status::kOk) << error;
  EXPECT_EQ(model.schema_version(), 3u);
  EXPECT_EQ(str(model.description()), "mote");
  ASSERT_EQ(model.num_tensors(), 4u);
  ASSERT_EQ(model.num_operators(), 1u);
  ASSERT_EQ(model.num_inputs(), 1u);
  ASSERT_EQ(model.num_outputs(), 1u);
  EXPECT_EQ(model.input(0), m.in);
  EXPECT_EQ(model.output(0), m.out);
  EXPECT_EQ(model.num_metadata(), 1u);
  EXPECT_EQ(str(model.metadata(0).name), "min_runtime_version");

  mote::TensorInfo w = model.tensor(m.weights);
  EXPECT_EQ(w.type, DType::kInt8);
  EXPECT_EQ(w.shape.rank, 2);
  EXPECT_EQ(w.shape.dims[0], 3);
  EXPECT_EQ(w.shape.dims[1], 4);
  EXPECT_EQ(w.bytes, 12u);
  ASSERT_NE(w.data, nullptr);
  EXPECT_EQ(memcmp(w.data, m.weight_values.data(), 12), 0);
  EXPECT_EQ(w.quant.count, 3);
  EXPECT_FLOAT_EQ(w.quant.scale(2), 0.3f);

  mote::TensorInfo x = model.tensor(m.in);
  EXPECT_EQ(x.data, nullptr);
  EXPECT_EQ(x.quant.count, 1);
  EXPECT_EQ(x.quant.zero_point(0), -1);

  mote::OperatorInfo op = model.op(0);
  EXPECT_EQ(op.builtin_code, int32_t(schema::BuiltinOp::kFullyConnected));
  EXPECT_EQ(op.version, 4);
  EXPECT_EQ(op.options_type, schema::OptionsType::kFullyConnected);
  EXPECT_EQ(op.options.scalar<uint8_t>(schema::fully_connected_options::keep_num_dims, 0), 1);
  EXPECT_EQ(values(op.inputs), (std::vector<int32_t>{m.in, m.weights, m.bias}));
}

// The reader's view of real converter output agrees with the facts recorded in
// shared/models/README.md, and every index in every model is in range.
TEST(ModelBuilder, ReaderUnderstandsSharedModels) {
  MOTE_REQUIRE_SHARED();
  namespace fs = std::filesystem;
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(shared_dir()) / "models")) {
    if (entry.path().extension() != ".tflite") continue;
    SCOPED_TRACE(entry.path().filename().string());
    Parsed p(read_file(entry.path().string()));
    ASSERT_GE(p.bytes.size(), 8u);
    EXPECT_EQ(std::string(p.bytes.begin() + 4, p.bytes.begin() + 8), "TFL3");
    ASSERT_TRUE(p.root.valid());
    EXPECT_EQ(p.root.scalar<uint32_t>(schema::model::version, 0), 3u);
    ASSERT_TRUE(p.subgraph.valid());
    ASSERT_TRUE(p.tensors.valid());
    ASSERT_TRUE(p.operators.valid());
    ASSERT_TRUE(p.buffers.valid());
    ASSERT_GE(p.buffers.size(), 1u);

    for (uint32_t t = 0; t < p.tensors.size(); ++t) {
      Table tensor = p.tensor(t);
      ASSERT_TRUE(tensor.valid()) << "tensor " << t;
      uint32_t buffer_index = tensor.scalar<uint32_t>(schema::tensor::buffer, 0);
      ASSERT_LT(buffer_index, p.buffers.size()) << "tensor " << t;
      Vector<uint8_t> data = p.buffer(buffer_index).vector<uint8_t>(schema::buffer::data);
      if (!data.valid() || data.size() == 0) continue;
      // Constant data holds exactly num_elements * element size bytes.
      auto type = static_cast<DType>(tensor.scalar<int8_t>(schema::tensor::type, 0));
      if (mote::dtype_size(type) == 0) continue;
      int64_t elements = 1;
      Vector<int32_t> shape = tensor.vector<int32_t>(schema::tensor::shape);
      for (uint32_t d = 0; d < shape.size(); ++d) elements *= shape[d];
      EXPECT_EQ(int64_t(data.size()), elements * int64_t(mote::dtype_size(type))) << "tensor " << t;
    }
    for (uint32_t o = 0; o < p.operators.size(); ++o) {
      Table op = p.op(o);
      ASSERT_TRUE(op.valid()) << "operator " << o;
      EXPECT_LT(op.scalar<uint32_t>(schema::operator_::opcode_index, 0), p.opcodes.size());
      for (int field : {schema::operator_::inputs, schema::operator_::outputs}) {
        Vector<int32_t> ids = op.vector<int32_t>(field);
        ASSERT_TRUE(ids.valid()) << "operator " << o;
        for (uint32_t i = 0; i < ids.size(); ++i) {
          EXPECT_GE(ids[i], -1);
          EXPECT_LT(ids[i], int32_t(p.tensors.size()));
        }
      }
    }
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST(ModelBuilder, ReaderMatchesReadmeFacts) {
  MOTE_REQUIRE_SHARED();
  {
    // hello_world_int8: FULLY_CONNECTED x3, input [1,1] int8 s=0.0244801156 zp=-128.
    Parsed p(read_file(shared_dir() + "/models/hello_world_int8.tflite"));
    ASSERT_EQ(p.operators.size(), 3u);
    for (uint32_t o = 0; o < 3; ++o)
      EXPECT_EQ(p.builtin_code(p.op(o).scalar<uint32_t>(schema::operator_::opcode_index, 0)),
                int32_t(schema::BuiltinOp::kFullyConnected));
    Vector<int32_t> inputs = p.subgraph.vector<int32_t>(schema::subgraph::inputs);
    ASSERT_EQ(inputs.size(), 1u);
    Table in = p.tensor(uint32_t(inputs[0]));
    EXPECT_EQ(in.scalar<int8_t>(schema::tensor::type, 0), int8_t(DType::kInt8));
    EXPECT_EQ(values(in.vector<int32_t>(schema::tensor::shape)), (std::vector<int32_t>{1, 1}));
    Table q = in.table(schema::tensor::quantization);
    ASSERT_EQ(q.vector<float>(schema::quantization::scale).size(), 1u);
    EXPECT_FLOAT_EQ(q.vector<float>(schema::quantization::scale)[0], 0.0244801156f);
    EXPECT_EQ(q.vector<int64_t>(schema::quantization::zero_point)[0], -128);
  }
  {
    // simple_add_model: ADD x1, inputs [1,128,128,1] int8 zp=-2 and zp=-1, output zp=-3.
    Parsed p(read_file(shared_dir() + "/models/simple_add_model.tflite"));
    ASSERT_EQ(p.operators.size(), 1u);
    EXPECT_EQ(p.builtin_code(p.op(0).scalar<uint32_t>(schema::operator_::opcode_index, 0)),
              int32_t(schema::BuiltinOp::kAdd));
    Vector<int32_t> inputs = p.subgraph.vector<int32_t>(schema::subgraph::inputs);
    Vector<int32_t> outputs = p.subgraph.vector<int32_t>(schema::subgraph::outputs);
    ASSERT_EQ(inputs.size(), 2u);
    ASSERT_EQ(outputs.size(), 1u);
    const int64_t zero_points[] = {-2, -1, -3};
    const int32_t tensors[] = {inputs[0], inputs[1], outputs[0]};
    for (int i = 0; i < 3; ++i) {
      Table t = p.tensor(uint32_t(tensors[i]));
      EXPECT_EQ(values(t.vector<int32_t>(schema::tensor::shape)), (std::vector<int32_t>{1, 128, 128, 1}));
      EXPECT_EQ(t.table(schema::tensor::quantization).vector<int64_t>(schema::quantization::zero_point)[0],
                zero_points[i]);
    }
  }
  {
    // audio_preprocessor_float: CUSTOM ops named Signal*.
    Parsed p(read_file(shared_dir() + "/models/audio_preprocessor_float.tflite"));
    int signal_ops = 0;
    for (uint32_t c = 0; c < p.opcodes.size(); ++c) {
      if (p.builtin_code(c) != int32_t(schema::BuiltinOp::kCustom)) continue;
      EXPECT_EQ(str(p.opcode(c).string(schema::operator_code::custom_code)).rfind("Signal", 0), 0u);
      ++signal_ops;
    }
    EXPECT_GE(signal_ops, 9);
  }
}

}  // namespace
