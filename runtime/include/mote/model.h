// A validated, zero-copy view of a .tflite model.
//
// Model::load() walks every part of the model the runtime uses (subgraph 0,
// its tensors, operators, operator codes and buffers) and checks each offset,
// length, index and shape against the buffer. After a successful load the
// accessors below cannot read out of bounds; they are still checked, so a bug
// gives empty values rather than a wild read.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mote/flatbuffer.h"
#include "mote/schema.h"
#include "mote/status.h"
#include "mote/tensor.h"

namespace mote {

struct TensorInfo {
  DType type = DType::kFloat32;
  Shape shape;
  uint32_t shape_offset = 0;     // position of dims[0] in the model (0 when rank 0)
  uint32_t bytes = 0;            // num_elements * dtype_size
  const uint8_t* data = nullptr;  // constant data in the model, else nullptr
  uint32_t buffer = 0;           // index into the model's buffers
  bool is_variable = false;
  fb::Bytes name;
  QuantView quant;
};

struct OperatorInfo {
  int32_t builtin_code = 0;  // max(deprecated_builtin_code, builtin_code)
  int32_t version = 1;
  uint32_t opcode_index = 0;
  fb::Bytes custom_code;  // for CUSTOM ops
  fb::Vector<int32_t> inputs;
  fb::Vector<int32_t> outputs;
  fb::Vector<int32_t> intermediates;
  schema::OptionsType options_type = schema::OptionsType::kNone;
  fb::Table options;
  fb::Bytes custom_options;
};

struct MetadataInfo {
  fb::Bytes name;
  fb::Bytes data;
};

class Model {
 public:
  // Checks the whole model. On failure writes a message (NUL-terminated, cut
  // to error_size) and returns kError.
  Status load(const uint8_t* data, size_t size, char* error, size_t error_size);

  bool loaded() const { return loaded_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  uint32_t schema_version() const { return version_; }
  fb::Bytes description() const;

  uint32_t num_tensors() const { return tensors_.size(); }
  uint32_t num_operators() const { return operators_.size(); }
  uint32_t num_inputs() const { return inputs_.size(); }
  uint32_t num_outputs() const { return outputs_.size(); }
  uint32_t num_buffers() const { return buffers_.size(); }
  uint32_t num_operator_codes() const { return opcodes_.size(); }
  uint32_t num_metadata() const { return metadata_.size(); }
  uint32_t num_subgraphs() const { return num_subgraphs_; }

  int32_t input(uint32_t i) const { return inputs_[i]; }
  int32_t output(uint32_t i) const { return outputs_[i]; }
  TensorInfo tensor(uint32_t index) const;
  // The part of tensor() a kernel needs: type, shape, bytes, and the data when
  // it is a constant in the model (else nullptr).
  TensorView tensor_view(uint32_t index) const;
  OperatorInfo op(uint32_t index) const;
  MetadataInfo metadata(uint32_t index) const;

 private:
  Status check_tensor(uint32_t index, char* error, size_t error_size) const;
  Status check_operator(uint32_t index, char* error, size_t error_size) const;
  Status buffer_bytes(uint32_t buffer_index, fb::Bytes* out) const;
  const uint8_t* constant_data(const fb::Table& tensor, uint32_t bytes) const;

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  bool loaded_ = false;
  uint32_t version_ = 0;
  uint32_t num_subgraphs_ = 0;
  fb::Table root_;
  fb::Table subgraph_;
  fb::Vector<uint32_t> opcodes_;
  fb::Vector<uint32_t> buffers_;
  fb::Vector<uint32_t> metadata_;
  fb::Vector<uint32_t> tensors_;
  fb::Vector<uint32_t> operators_;
  fb::Vector<int32_t> inputs_;
  fb::Vector<int32_t> outputs_;
};

}  // namespace mote
