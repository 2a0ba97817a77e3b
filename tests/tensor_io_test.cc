#include "tools/tensor_io.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "op_harness.h"
#include "tools/common/conformance_manifest.h"
#include "tools/common/json.h"

namespace {

using mote::DType;
using namespace mote::tools;
namespace fs = std::filesystem;

class TensorIo : public TempDirTest {
 protected:
  void write_raw(const std::string& name, const std::string& bytes) const { write_file(dir_ / name, bytes); }
  // The message of the runtime_error `f` throws ("" when it does not throw).
  template <typename F>
  static std::string error_of(F f) {
    try {
      f();
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  }
};

// A .npy file as NumPy writes it: format 1.0, header padded with spaces to a
// multiple of 64 bytes and ended by '\n'.
std::string npy_file(const std::string& dict, const std::string& data, char major = 1) {
  const size_t prefix = major == 1 ? 10 : 12;
  std::string header = dict;
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = std::string("\x93NUMPY", 6) + char(major) + '\0';
  out += char(header.size() & 0xFF);
  out += char(header.size() >> 8);
  if (major != 1) out += std::string(2, '\0');
  return out + header + data;
}

TEST_F(TensorIo, BinRoundTripAndExactSize) {
  std::vector<uint8_t> data = bytes_of<int16_t>({1, -2, 300, -32768});
  write_bin(path("t.bin"), data);
  EXPECT_EQ(read_bin(path("t.bin"), 8), data);
  EXPECT_EQ(read_tensor_file(path("t.bin"), DType::kInt16, {1, 4}), data);

  std::string short_error = error_of([&] { read_bin(path("t.bin"), 9); });
  EXPECT_NE(short_error.find("has 8 bytes, expected exactly 9"), std::string::npos) << short_error;
  std::string typed_error = error_of([&] { read_tensor_file(path("t.bin"), DType::kInt8, {1, 4}); });
  EXPECT_NE(typed_error.find("expected exactly 4"), std::string::npos) << typed_error;
  EXPECT_NE(typed_error.find("int8 [1, 4]"), std::string::npos) << typed_error;
  EXPECT_NE(error_of([&] { read_bin(path("missing.bin"), 1); }).find("cannot open"), std::string::npos);
}

TEST_F(TensorIo, EncodesLikeNumPy) {
  // numpy.save of numpy.array([[1, 2, 3]], dtype='<i2').
  std::string expected = npy_file("{'descr': '<i2', 'fortran_order': False, 'shape': (1, 3), }",
                                  std::string("\x01\x00\x02\x00\x03\x00", 6));
  ASSERT_EQ(expected.size(), 128u + 6u);
  EXPECT_EQ(expected[8], 'v');  // header length 118
  std::vector<uint8_t> file = encode_npy(DType::kInt16, {1, 3}, bytes_of<int16_t>({1, 2, 3}));
  EXPECT_EQ(std::string(file.begin(), file.end()), expected);

  // One-dimensional shapes keep Python's trailing comma; scalars are ().
  std::vector<uint8_t> vec = encode_npy(DType::kInt8, {4}, {1, 2, 3, 4});
  EXPECT_NE(std::string(vec.begin(), vec.end()).find("'descr': '|i1', 'fortran_order': False, 'shape': (4,), }"),
            std::string::npos);
  std::vector<uint8_t> scalar = encode_npy(DType::kFloat32, {}, bytes_of<float>({2.5f}));
  EXPECT_NE(std::string(scalar.begin(), scalar.end()).find("'shape': (), }"), std::string::npos);
  EXPECT_EQ(vec.size() % 64, 4u);
}

TEST_F(TensorIo, NpyRoundTripEveryDtype) {
  struct Case {
    DType type;
    std::vector<uint8_t> data;
  };
  const std::vector<int32_t> shape = {2, 3};
  const std::vector<Case> cases = {
      {DType::kFloat32, bytes_of<float>({1.5f, -2, 0, 3.25f, 1e-7f, -1e9f})},
      {DType::kInt8, bytes_of<int8_t>({-128, -1, 0, 1, 2, 127})},
      {DType::kUInt8, bytes_of<uint8_t>({0, 1, 2, 128, 254, 255})},
      {DType::kInt16, bytes_of<int16_t>({-32768, -1, 0, 1, 2, 32767})},
      {DType::kInt32, bytes_of<int32_t>({INT32_MIN, -1, 0, 1, 2, INT32_MAX})},
      {DType::kInt64, bytes_of<int64_t>({INT64_MIN, -1, 0, 1, 2, INT64_MAX})},
      {DType::kFloat64, bytes_of<double>({0.1, -0.2, 3, 4, 5, 6})},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(mote::dtype_name(c.type));
    write_npy(path("a.npy"), c.type, shape, c.data);
    NpyArray back = read_npy(path("a.npy"));
    EXPECT_EQ(back.type, c.type);
    EXPECT_EQ(back.shape, shape);
    EXPECT_EQ(back.data, c.data);
    EXPECT_EQ(read_tensor_file(path("a.npy"), c.type, shape), c.data);
    write_tensor_file(path("b.npy"), c.type, shape, c.data);
    EXPECT_EQ(read_npy(path("b.npy"), c.type, shape), c.data);
  }
}

TEST_F(TensorIo, ReadsHandWrittenHeaders) {
  // Format 2.0, double quotes, keys in another order, no trailing comma.
  write_raw("v2.npy", npy_file("{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<f4\"}",
                               std::string("\x00\x00\x80\x3f\x00\x00\x00\xc0", 8), 2));
  NpyArray a = read_npy(path("v2.npy"));
  EXPECT_EQ(a.type, DType::kFloat32);
  EXPECT_EQ(a.shape, (std::vector<int32_t>{2}));
  EXPECT_EQ(values_of<float>(a.data), (std::vector<float>{1.0f, -2.0f}));

  // '<u1' is accepted as well as NumPy's '|u1'.
  write_raw("u1.npy", npy_file("{'descr': '<u1', 'fortran_order': False, 'shape': (1, 2), }", "\x07\x08"));
  EXPECT_EQ(read_npy(path("u1.npy"), DType::kUInt8, {1, 2}), (std::vector<uint8_t>{7, 8}));
}

TEST_F(TensorIo, ShapeCheck) {
  write_npy(path("x.npy"), DType::kInt8, {4}, {1, 2, 3, 4});
  // Leading 1s don't matter.
  EXPECT_EQ(read_npy(path("x.npy"), DType::kInt8, {1, 4}).size(), 4u);
  EXPECT_EQ(read_npy(path("x.npy"), DType::kInt8, {1, 1, 4}).size(), 4u);
  std::string e = error_of([&] { read_npy(path("x.npy"), DType::kInt8, {2, 2}); });
  EXPECT_NE(e.find("shape [4] does not match the expected shape [2, 2]"), std::string::npos) << e;
  EXPECT_NE(e.find("x.npy"), std::string::npos) << e;
  EXPECT_FALSE(error_of([&] { read_npy(path("x.npy"), DType::kInt8, {4, 1}); }).empty());
}

TEST_F(TensorIo, WrongDtype) {
  write_npy(path("x.npy"), DType::kInt16, {1, 2}, bytes_of<int16_t>({1, 2}));
  std::string e = error_of([&] { read_tensor_file(path("x.npy"), DType::kInt8, {1, 4}); });
  EXPECT_NE(e.find("holds int16 (<i2), expected int8"), std::string::npos) << e;

  write_raw("be.npy", npy_file("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", "\x3f\x80\x00\x00"));
  e = error_of([&] { read_npy(path("be.npy")); });
  EXPECT_NE(e.find("big-endian"), std::string::npos) << e;

  write_raw("bool.npy", npy_file("{'descr': '|b1', 'fortran_order': False, 'shape': (1,), }", "\x01"));
  e = error_of([&] { read_npy(path("bool.npy")); });
  EXPECT_NE(e.find("dtype '|b1' is not supported"), std::string::npos) << e;

  EXPECT_FALSE(error_of([&] { npy_descr(DType::kString); }).empty());
}

TEST_F(TensorIo, FortranOrderIsRejected) {
  write_raw("f.npy", npy_file("{'descr': '|i1', 'fortran_order': True, 'shape': (2, 2), }", "\x01\x02\x03\x04"));
  std::string e = error_of([&] { read_npy(path("f.npy")); });
  EXPECT_NE(e.find("Fortran-order"), std::string::npos) << e;
}

TEST_F(TensorIo, BadFilesAreRejected) {
  struct Case {
    const char* what;
    std::string bytes;
    const char* message;
  };
  const std::string ok_dict = "{'descr': '|i1', 'fortran_order': False, 'shape': (2,), }";
  std::string truncated_header = npy_file(ok_dict, "\x01\x02").substr(0, 40);
  std::string v9 = npy_file(ok_dict, "\x01\x02");
  v9[6] = 9;
  const std::vector<Case> cases = {
      {"no magic", "NUMPY\x01\x00\x10\x00{}", "missing the"},
      {"empty", "", "missing the"},
      {"truncated header", truncated_header, "truncated"},
      {"unknown version", v9, "version 9.0"},
      {"missing key", npy_file("{'descr': '|i1', 'shape': (2,), }", "\x01\x02"), "needs the keys"},
      {"unknown key", npy_file("{'descr': '|i1', 'fortran_order': False, 'shape': (2,), 'x': 1}", "\x01\x02"),
       "unexpected key"},
      {"bad shape", npy_file("{'descr': '|i1', 'fortran_order': False, 'shape': (2, x), }", "\x01\x02"),
       "expected a dimension"},
      {"bad bool", npy_file("{'descr': '|i1', 'fortran_order': Nope, 'shape': (2,), }", "\x01\x02"),
       "expected True or False"},
      {"unterminated", npy_file("{'descr': '|i1, 'fortran_order': False}", ""), "malformed"},
      {"short data", npy_file(ok_dict, "\x01"), "data has 1 bytes, but |i1 [2] needs 2"},
      {"long data", npy_file(ok_dict, "\x01\x02\x03"), "data has 3 bytes"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    std::vector<uint8_t> bytes(c.bytes.begin(), c.bytes.end());
    std::string e = error_of([&] { parse_npy(bytes, "in.npy"); });
    EXPECT_NE(e.find(c.message), std::string::npos) << e;
    EXPECT_EQ(e.rfind("in.npy: ", 0), 0u) << e;
  }
}

TEST_F(TensorIo, EncodeChecksDataSize) {
  EXPECT_THROW(encode_npy(DType::kInt32, {2}, {1, 2, 3}), std::runtime_error);
}

TEST_F(TensorIo, DtypeNames) {
  EXPECT_EQ(dtype_from_name("int8"), DType::kInt8);
  EXPECT_EQ(dtype_from_name("float32"), DType::kFloat32);
  EXPECT_EQ(dtype_from_name("int16"), DType::kInt16);
  EXPECT_THROW(dtype_from_name("qint8"), std::runtime_error);
}

TEST_F(TensorIo, ReadsConformanceInputsFromTheirManifest) {
  MOTE_REQUIRE_SHARED();
  const mote::tools::ConformanceModel model = mote::tools::read_conformance_model(shared_dir(), "hello_world_int8");
  const mote::tools::ConformanceTensor& input = model.inputs.at(0);
  const DType type = dtype_from_name(input.dtype);
  EXPECT_EQ(type, DType::kInt8);
  const std::vector<uint8_t> data = read_tensor_file(model.samples.at(0).inputs.at(0), type, input.shape);
  EXPECT_EQ(data.size(), input.bytes);
  EXPECT_THROW(read_json_file(model.samples.at(0).inputs.at(0)), std::runtime_error);
}

}  // namespace
