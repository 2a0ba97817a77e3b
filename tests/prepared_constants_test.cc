// The "mote" metadata of `mote prepare` (mote/prepared_constants.h): a model
// with it allocates in less arena and reads its constants from the model;
// anything wrong with it (corrupt, another version, out of bounds, values no
// prepare could give, left in a model edited afterwards) fails allocate()
// with a message, never a wrong result. Bit-exactness with the metadata on
// every shared model: conformance_test.cc.
#include <gtest/gtest.h>
#include <string.h>

#include <string>
#include <vector>

#include "mote/interpreter.h"
#include "mote/model.h"
#include "mote/op_resolver.h"
#include "mote/ops.h"
#include "mote/prepared_constants.h"
#include "op_harness.h"
#include "tools/common/host_interpreter.h"
#include "tools/prepared_constants_writer.h"

namespace {

namespace prepared = mote::prepared;

std::string conv_model() { return shared_dir() + "/models/test_conv_model_int8_floatio.tflite"; }

struct Allocated {
  bool ok = false;
  std::string error;
  size_t used = 0;
  bool from_model = false;
};

Allocated allocate(const std::vector<uint8_t>& model) {
  mote::tools::AlignedBuffer aligned = mote::tools::aligned_buffer(model.size());
  memcpy(aligned.get(), model.data(), model.size());
  mote::OpResolver resolver;
  mote::register_all_ops(resolver);
  std::vector<uint8_t> arena(1 << 20);
  mote::Interpreter interp(aligned.get(), model.size(), resolver, arena.data(), arena.size());
  Allocated a;
  a.ok = interp.allocate() == mote::Status::kOk;
  a.error = interp.error_message();
  a.used = interp.arena_used_bytes();
  a.from_model = interp.has_prepared_constants();
  return a;
}

// Where the "mote" entry's bytes are in `model`.
size_t payload_offset(const std::vector<uint8_t>& model) {
  mote::tools::AlignedBuffer aligned = mote::tools::aligned_buffer(model.size());
  memcpy(aligned.get(), model.data(), model.size());
  mote::Model m;
  char error[256];
  EXPECT_EQ(m.load(aligned.get(), model.size(), error, sizeof(error)), mote::Status::kOk) << error;
  for (uint32_t i = 0; i < m.num_metadata(); ++i) {
    const mote::MetadataInfo info = m.metadata(i);
    if (info.name.size == 4 && memcmp(info.name.data, "mote", 4) == 0) return size_t(info.data.data - aligned.get());
  }
  ADD_FAILURE() << "no mote metadata";
  return 0;
}

uint32_t word_at(const std::vector<uint8_t>& v, size_t at) {
  uint32_t w;
  memcpy(&w, v.data() + at, 4);
  return w;
}
void set_word(std::vector<uint8_t>* v, size_t at, uint32_t w) { memcpy(v->data() + at, &w, 4); }

// Rewrites the entry's checksum, as a crafted file would.
void reseal(std::vector<uint8_t>* model, size_t payload) {
  const uint32_t size = word_at(*model, payload + 8);
  set_word(model, payload + 12,
           prepared::hash_bytes(prepared::kHashSeed, model->data() + payload + prepared::kChecksumStart,
                                size - prepared::kChecksumStart));
}

// The first node entry with constants: its position in the model.
size_t first_entry(const std::vector<uint8_t>& model, size_t payload) {
  const uint32_t nodes = word_at(model, payload + 16);
  for (uint32_t n = 0; n < nodes; ++n) {
    const size_t at = payload + sizeof(prepared::Header) + n * sizeof(prepared::NodeEntry);
    if (word_at(model, at) != 0) return at;
  }
  ADD_FAILURE() << "no entry with constants";
  return 0;
}

class PreparedConstants : public ::testing::Test {
 protected:
  void SetUp() override {
    MOTE_REQUIRE_SHARED();
    plain_ = read_file(conv_model());
    const mote::tools::PreparedModel p = mote::tools::add_prepared_constants(plain_.data(), plain_.size());
    ASSERT_GT(p.nodes_with_constants, 0);
    model_ = p.bytes;
    moved_ = p.constant_bytes;
    payload_ = payload_offset(model_);
  }
  void expect_rejected(const std::vector<uint8_t>& model, const std::string& words) {
    const Allocated a = allocate(model);
    EXPECT_FALSE(a.ok) << "allocated with a broken \"mote\" entry";
    EXPECT_NE(a.error.find(words), std::string::npos) << a.error;
    EXPECT_NE(a.error.find("mote prepare"), std::string::npos) << "says what to do: " << a.error;
  }
  std::vector<uint8_t> plain_, model_;
  size_t moved_ = 0;
  size_t payload_ = 0;
};

TEST_F(PreparedConstants, ReadFromTheModelTheArenaShrinksByTheArrays) {
  const Allocated plain = allocate(plain_), with = allocate(model_);
  ASSERT_TRUE(plain.ok && with.ok) << plain.error << with.error;
  EXPECT_FALSE(plain.from_model);
  EXPECT_TRUE(with.from_model);
  EXPECT_EQ(plain.used - with.used, moved_);
  EXPECT_EQ(payload_ % 16, 0u) << "the flatbuffer aligns buffer data to 16 bytes";
}

TEST_F(PreparedConstants, PreparingAgainOrRemovingGivesTheSameModels) {
  EXPECT_EQ(mote::tools::add_prepared_constants(model_.data(), model_.size()).bytes, model_);
  const std::vector<uint8_t> removed = mote::tools::remove_prepared_constants(model_.data(), model_.size());
  EXPECT_FALSE(mote::tools::has_prepared_constants(removed.data(), removed.size()));
  EXPECT_EQ(allocate(removed).used, allocate(plain_).used);
}

TEST_F(PreparedConstants, ACorruptByteFailsTheChecksum) {
  std::vector<uint8_t> m = model_;
  m[payload_ + word_at(m, payload_ + 8) - 1] ^= 0x10;  // last shift word
  expect_rejected(m, "checksum");
}

TEST_F(PreparedConstants, AnotherVersionOrMagicIsRejected) {
  std::vector<uint8_t> m = model_;
  set_word(&m, payload_ + 4, prepared::kVersion + 1);
  expect_rejected(m, "version 2");
  m = model_;
  m[payload_] = 'X';
  expect_rejected(m, "MOTE");
}

TEST_F(PreparedConstants, AnEntryOutsideTheBufferIsRejected) {
  std::vector<uint8_t> m = model_;
  const size_t entry = first_entry(m, payload_);
  set_word(&m, entry + 12, word_at(m, payload_ + 8) - 4);  // arrays run past the end
  reseal(&m, payload_);
  expect_rejected(m, "outside its bounds");
  m = model_;
  set_word(&m, entry + 4, 0x40000000u);  // channels: 8 GiB of arrays
  reseal(&m, payload_);
  expect_rejected(m, "outside its bounds");
  m = model_;
  set_word(&m, payload_ + 16, 1000);  // node count
  reseal(&m, payload_);
  expect_rejected(m, "operators");
}

TEST_F(PreparedConstants, ImpossibleValuesAreRejectedEvenWithAValidChecksum) {
  std::vector<uint8_t> m = model_;
  const size_t entry = first_entry(m, payload_);
  const size_t arrays = payload_ + word_at(m, entry + 12);
  set_word(&m, arrays, 12345);  // multiplier below 2^30
  reseal(&m, payload_);
  expect_rejected(m, "impossible multiplier");
}

TEST_F(PreparedConstants, AModelEditedAfterPreparingIsRejected) {
  // A weight of the first op with constants changes, the entry stays.
  mote::tools::AlignedBuffer aligned = mote::tools::aligned_buffer(model_.size());
  memcpy(aligned.get(), model_.data(), model_.size());
  mote::Model m;
  char error[256];
  ASSERT_EQ(m.load(aligned.get(), model_.size(), error, sizeof(error)), mote::Status::kOk) << error;
  const uint32_t entry_node = uint32_t((first_entry(model_, payload_) - payload_ - sizeof(prepared::Header)) /
                                       sizeof(prepared::NodeEntry));
  const mote::TensorInfo filter = m.tensor(uint32_t(m.op(entry_node).inputs[1]));
  ASSERT_NE(filter.data, nullptr);
  std::vector<uint8_t> edited = model_;
  edited[size_t(filter.data - aligned.get())] ^= 1;
  expect_rejected(edited, "other weights");
  // A scale of the filter changes.
  edited = model_;
  edited[size_t(filter.quant.scales - aligned.get())] ^= 1;
  expect_rejected(edited, "other weights");
}

TEST_F(PreparedConstants, AnotherKernelFormIsComputedInstead) {
  // An entry for another kernel variant (a runtime built with other kernels
  // wrote it) is not used: the node computes its constants into the arena.
  std::vector<uint8_t> m = model_;
  const size_t entry = first_entry(m, payload_);
  set_word(&m, entry, word_at(m, entry) + 7);
  reseal(&m, payload_);
  const Allocated a = allocate(m);
  ASSERT_TRUE(a.ok) << a.error;
  EXPECT_GT(a.used, allocate(model_).used);
}

}  // namespace
