// The host's typed model of a .tflite file: the object API that flatc
// generates from tools/model/tflite.fbs (mote::tflite::ModelT, TensorT,
// OperatorT, BuiltinOptionsUnion, ...), and reading a file into it.
//
// mote's schema declares the fields and options tables mote knows, not all of
// TFLite's. Unpacking ignores anything undeclared, and packing would then lose
// it without a word; so reading refuses a model that holds undeclared data
// (a field past the last one mote declares, an options table outside the
// BuiltinOptions members), naming where it is. Data mote declares but its
// quantizer does not carry over is listed in docs/architecture.md.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <memory>
#include <string>

#include "tools/model/tflite_generated.h"

namespace mote {
namespace tools {

// Where `model` (a verified TFLite flatbuffer) holds data mote's schema does
// not declare, e.g. "subgraphs[0].operators[3].builtin_options: options table
// 55"; empty when it holds none.
std::string find_undeclared_data(const uint8_t* model);

// The same check for one table of the given type (its mini-reflection table,
// e.g. mote::tflite::Conv2DOptionsTypeTable()).
std::string find_undeclared_data(const flatbuffers::Table* table, const flatbuffers::TypeTable* type,
                                 const std::string& where);

// The table type of union member `value` (e.g. BuiltinOptionsTypeTable() and
// a BuiltinOptions value); nullptr when mote's schema does not declare it.
const flatbuffers::TypeTable* union_member_type(const flatbuffers::TypeTable* union_type, uint8_t value);

// Verifies and unpacks a .tflite file. Returns nullptr and sets `error` when
// the bytes are not a TFLite flatbuffer or hold undeclared data.
std::unique_ptr<tflite::ModelT> unpack_model(const uint8_t* data, size_t size, std::string* error);

// The operator code TFLite runs: the larger of the two code fields (older
// files set only the deprecated byte, codes above 127 only the int32).
int32_t builtin_code(const tflite::OperatorCodeT& code);

}  // namespace tools
}  // namespace mote
