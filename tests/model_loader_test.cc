// The model reader and interpreter treat every .tflite as untrusted input:
// these tests feed them truncated, bit-flipped and malformed models and
// require an error (never a crash; the sanitizer run makes any out-of-bounds
// access fatal), and check that the arena figure is exact.
#include <gtest/gtest.h>
#include <string.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "mote/interpreter.h"
#include "mote/model.h"
#include "mote/op_resolver.h"
#include "mote/ops.h"
#include "op_harness.h"

namespace fs = std::filesystem;

namespace {

std::vector<std::string> shared_models() {
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(shared_dir() + "/models", ec))
    if (e.path().extension() == ".tflite") paths.push_back(e.path().string());
  std::sort(paths.begin(), paths.end());
  return paths;
}

// What became of an untrusted model: kOk when it loaded, allocated and
// invoked; otherwise the interpreter's status and message.
struct Outcome {
  mote::Status status = mote::Status::kError;
  std::string error;
};

// Loads, allocates and (when that works) invokes with zeroed inputs. For
// corrupted models the point is that it returns at all.
Outcome try_run(const std::vector<uint8_t>& model) {
  static mote::OpResolver resolver = [] {
    mote::OpResolver r;
    mote::register_all_ops(r);
    return r;
  }();
  // Copy into a fresh, exactly sized allocation so any read past the end is
  // caught by the address sanitizer.
  std::unique_ptr<uint8_t[]> bytes(new uint8_t[model.size() ? model.size() : 1]);
  if (!model.empty()) memcpy(bytes.get(), model.data(), model.size());
  std::vector<uint8_t> arena(256 * 1024);
  mote::Interpreter interp(bytes.get(), model.size(), resolver, arena.data(), arena.size());
  Outcome outcome;
  outcome.status = interp.allocate();
  if (outcome.status == mote::Status::kOk) {
    for (size_t i = 0; i < interp.num_inputs(); ++i) {
      mote::TensorView v = interp.input(i);
      if (v.data) memset(v.data, 0, v.bytes);
    }
    outcome.status = interp.invoke();
  }
  if (outcome.status != mote::Status::kOk) {
    outcome.error = interp.error_message();
    EXPECT_FALSE(outcome.error.empty()) << "a failure must come with a message";
  }
  return outcome;
}

std::string load_error(const std::vector<uint8_t>& bytes) {
  mote::Model m;
  char error[256] = {};
  if (m.load(bytes.data(), bytes.size(), error, sizeof(error)) == mote::Status::kOk) return "";
  return error;
}

TEST(ModelLoader, RejectsEmptyAndForeignFiles) {
  EXPECT_NE(load_error({}).find("empty"), std::string::npos);
  std::vector<uint8_t> junk(64, 0xab);
  EXPECT_NE(load_error(junk).find("TFL3"), std::string::npos) << load_error(junk);
  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0};
  EXPECT_NE(load_error(png).find("not a TensorFlow Lite model"), std::string::npos);
}

TEST(ModelLoader, LoadsEverySharedModel) {
  MOTE_REQUIRE_SHARED();
  auto paths = shared_models();
  ASSERT_FALSE(paths.empty());
  for (const auto& p : paths) {
    auto bytes = read_file(p);
    EXPECT_EQ(load_error(bytes), "") << p;
  }
}

TEST(ModelLoader, TruncatedModelsGiveErrors) {
  MOTE_REQUIRE_SHARED();
  for (const auto& p : shared_models()) {
    auto bytes = read_file(p);
    if (bytes.size() > 64 * 1024) continue;
    // Every length for small files, ~400 evenly spread lengths for larger ones.
    size_t step = bytes.size() <= 4096 ? 1 : bytes.size() / 400;
    for (size_t len = 0; len < bytes.size(); len += step) {
      std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + long(len));
      const Outcome outcome = try_run(cut);
      // The loader itself must reject the cut file, with the message allocate() reports.
      const std::string load_message = load_error(cut);
      if (outcome.status == mote::Status::kOk || outcome.error.empty() || load_message != outcome.error) {
        ADD_FAILURE() << p << " cut to " << len << " of " << bytes.size() << " bytes: allocate/invoke "
                      << (outcome.status == mote::Status::kOk ? "succeeded" : "failed") << " with '" << outcome.error
                      << "', the loader said '" << load_message << "'";
        break;  // one report per model
      }
    }
  }
}

TEST(ModelLoader, BitFlippedModelsNeverCrash) {
  MOTE_REQUIRE_SHARED();
  std::mt19937 rng(20261123);
  for (const auto& p : shared_models()) {
    auto bytes = read_file(p);
    if (bytes.size() > 64 * 1024) continue;
    for (int trial = 0; trial < 300; ++trial) {
      std::vector<uint8_t> m = bytes;
      int flips = 1 + int(rng() % 4);
      for (int f = 0; f < flips; ++f) {
        size_t at = rng() % m.size();
        // Mostly small changes to offsets and lengths, sometimes whole bytes.
        if (rng() % 2) m[at] ^= uint8_t(1u << (rng() % 8));
        else m[at] = uint8_t(rng());
      }
      try_run(m);
    }
  }
}

TEST(ModelLoader, ArenaFigureIsExact) {
  MOTE_REQUIRE_SHARED();
  mote::OpResolver resolver;
  ASSERT_EQ(mote::register_all_ops(resolver), mote::Status::kOk);
  int checked = 0;
  for (const auto& p : shared_models()) {
    auto model = read_file(p);
    std::vector<uint8_t> big(4 << 20);
    size_t used;
    {
      mote::Interpreter interp(model.data(), model.size(), resolver, big.data(), big.size());
      if (interp.allocate() != mote::Status::kOk) continue;  // e.g. custom ops
      used = interp.arena_used_bytes();
    }
    ++checked;
    alignas(16) static uint8_t exact[4 << 20];
    {
      mote::Interpreter interp(model.data(), model.size(), resolver, exact, used);
      ASSERT_EQ(interp.allocate(), mote::Status::kOk) << p << " with exactly " << used << " bytes: "
                                                      << interp.error_message();
      EXPECT_EQ(interp.arena_used_bytes(), used) << p;
    }
    {
      mote::Interpreter interp(model.data(), model.size(), resolver, exact, used - 16);
      ASSERT_NE(interp.allocate(), mote::Status::kOk) << p << " should not fit in " << used - 16 << " bytes";
      EXPECT_NE(std::string(interp.error_message()).find("arena"), std::string::npos) << interp.error_message();
    }
  }
  EXPECT_GT(checked, 0);
}

TEST(Interpreter, InvokeBeforeAllocateIsAnError) {
  mote::OpResolver resolver;
  uint8_t arena[64];
  uint8_t model[8] = {};
  mote::Interpreter interp(model, sizeof(model), resolver, arena, sizeof(arena));
  EXPECT_NE(interp.invoke(), mote::Status::kOk);
  EXPECT_NE(std::string(interp.error_message()).find("allocate"), std::string::npos);
}

TEST(Interpreter, MissingOpNamesTheRegistrationToAdd) {
  MOTE_REQUIRE_SHARED();
  auto model = read_file(shared_dir() + "/models/person_detect.tflite");
  mote::OpResolver resolver;  // nothing registered
  std::vector<uint8_t> arena(1 << 20);
  mote::Interpreter interp(model.data(), model.size(), resolver, arena.data(), arena.size());
  ASSERT_NE(interp.allocate(), mote::Status::kOk);
  std::string e = interp.error_message();
  EXPECT_NE(e.find("node 0"), std::string::npos) << e;
  EXPECT_NE(e.find("DEPTHWISE_CONV_2D"), std::string::npos) << e;
  EXPECT_NE(e.find("mote::ops::depthwise_conv_2d()"), std::string::npos) << e;
}

}  // namespace
