// Builds a .tflite file (schema version 3) as the typed host model
// (mote::tflite::ModelT, tools/model/tflite_model.h) and packs it with the
// flatc-generated code. Used by the kernel tests (one-op models with chosen
// parameters), the bundled default model and the quantizer.
//
//   ModelBuilder b;
//   int in  = b.add_tensor({"x", DType::kInt8, {1, 4}, {0.5f}, {-1}});
//   int w   = b.add_tensor(TensorSpec::constant<int8_t>("w", {3, 4}, weights, {0.1f}, {0}));
//   int out = b.add_tensor({"y", DType::kInt8, {1, 3}, {0.25f}, {2}});
//   b.add_operator(schema::BuiltinOp::kFullyConnected, {in, w, -1}, {out},
//                  Options(schema::OptionsType::kFullyConnected)
//                      .i8(schema::fully_connected_options::fused_activation_function, 1),
//                  /*version=*/4);
//   b.set_inputs({in});
//   b.set_outputs({out});
//   std::vector<uint8_t> bytes = b.serialize();
#pragma once

#include <stdint.h>
#include <string.h>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "mote/schema.h"
#include "mote/tensor.h"
#include "tools/model/tflite_model.h"

namespace mote {
namespace tools {

// One tensor of a model as the host tools edit it: the model builder writes it,
// the quantizer's graph reads a model into it and changes it.
struct TensorSpec {
  TensorSpec() = default;
  // Lets `{"x", DType::kInt8, {1, 4}, {0.5f}, {-1}}` name only the leading
  // fields (without -Wmissing-field-initializers warnings).
  TensorSpec(std::string name_, DType type_, std::vector<int32_t> shape_, std::vector<float> scales_ = {},
             std::vector<int64_t> zero_points_ = {}, int32_t quantized_dimension_ = 0, std::vector<uint8_t> data_ = {},
             bool is_variable_ = false)
      : name(std::move(name_)),
        type(type_),
        shape(std::move(shape_)),
        scales(std::move(scales_)),
        zero_points(std::move(zero_points_)),
        quantized_dimension(quantized_dimension_),
        data(std::move(data_)),
        is_variable(is_variable_) {}

  std::string name;
  DType type = DType::kFloat32;
  std::vector<int32_t> shape;
  std::vector<float> scales;         // empty: not quantized
  std::vector<int64_t> zero_points;  // same length as scales
  int32_t quantized_dimension = 0;
  std::vector<uint8_t> data;  // non-empty: constant tensor stored in the model
  bool is_variable = false;

  template <typename T>
  static TensorSpec constant(std::string name, DType type, std::vector<int32_t> shape, const std::vector<T>& values,
                             std::vector<float> scales = {}, std::vector<int64_t> zero_points = {},
                             int32_t quantized_dimension = 0) {
    TensorSpec s;
    s.name = std::move(name);
    s.type = type;
    s.shape = std::move(shape);
    s.scales = std::move(scales);
    s.zero_points = std::move(zero_points);
    s.quantized_dimension = quantized_dimension;
    s.data.resize(values.size() * sizeof(T));
    if (!values.empty()) memcpy(s.data.data(), values.data(), s.data.size());
    return s;
  }

  bool is_constant() const { return !data.empty(); }
  bool quantized() const { return !scales.empty(); }
  int64_t num_elements() const;
};

// Builtin options of one operator: a typed options table of the host model.
// Tests may also give the fields by TFLite field id (mote/schema.h, the
// numbers the device reader uses); the generated code decodes them, so a field
// id or options type mote's schema does not declare throws
// std::invalid_argument. A field set to its schema default is not stored
// (flatbuffers omits defaults, as TFLite's converter does).
class Options {
 public:
  Options() = default;
  Options(tflite::BuiltinOptionsUnion value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  template <typename Table, typename = std::enable_if_t<std::is_base_of<flatbuffers::NativeTable, Table>::value>>
  Options(Table table) {  // NOLINT: e.g. Options(tflite::SoftmaxOptionsT())
    static_assert(tflite::BuiltinOptionsUnionTraits<Table>::enum_value != tflite::BuiltinOptions_NONE,
                  "not a BuiltinOptions table");
    value_.Set(std::move(table));
  }
  explicit Options(schema::OptionsType type);

  Options& i8(int field, int8_t v);
  Options& u8(int field, uint8_t v);
  Options& boolean(int field, bool v);
  Options& i32(int field, int32_t v);
  Options& f32(int field, float v);
  Options& i32_vector(int field, std::vector<int32_t> v);

  schema::OptionsType type() const { return schema::OptionsType(value_.type); }
  const tflite::BuiltinOptionsUnion& value() const { return value_; }

 private:
  struct Field {
    enum Kind { kInt8, kUInt8, kBool, kInt32, kFloat, kInt32Vector } kind;
    int id;
    int64_t i = 0;
    float f = 0;
    std::vector<int32_t> vec;
  };
  // The entry for field `id` (setting a field again replaces it).
  Field& field(int id, Field::Kind kind);
  // Writes fields_ as a flatbuffer table and unpacks it into value_.
  void decode_fields();

  tflite::BuiltinOptionsUnion value_;
  std::vector<Field> fields_;
};

class ModelBuilder {
 public:
  // Returns the tensor index.
  int add_tensor(const TensorSpec& spec);
  // Returns the operator index. Optional inputs are -1. A custom op takes
  // builtin code kCustom and a non-empty custom_code.
  int add_operator(schema::BuiltinOp op, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
                   Options options = Options(), int32_t version = 1, std::vector<int32_t> intermediates = {},
                   std::string custom_code = std::string(), std::vector<uint8_t> custom_options = {});
  void set_inputs(std::vector<int32_t> inputs) { inputs_ = std::move(inputs); }
  void set_outputs(std::vector<int32_t> outputs) { outputs_ = std::move(outputs); }
  void set_description(std::string d) { description_ = std::move(d); }
  void add_metadata(std::string name, std::vector<uint8_t> data);

  // A complete .tflite file: identifier "TFL3", buffer 0 empty, constant data
  // 16-byte aligned.
  std::vector<uint8_t> serialize() const;

 private:
  std::vector<TensorSpec> tensors_;
  std::vector<tflite::OperatorT> operators_;
  std::vector<tflite::OperatorCodeT> opcodes_;
  std::vector<int32_t> inputs_, outputs_;
  std::string description_ = "mote";
  std::vector<std::pair<std::string, std::vector<uint8_t>>> metadata_;
};

}  // namespace tools
}  // namespace mote
