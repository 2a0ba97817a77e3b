// A bounds-checked, zero-copy view of flatbuffer tables and vectors.
//
// A .tflite file is untrusted input, so nothing here trusts an offset: every
// table, vtable, field, vector and string is checked against the buffer before
// it is read. A failed check gives an empty Table / Vector (valid() == false),
// never an out-of-bounds read. Scalars are read with memcpy, so no access
// depends on the alignment of the buffer (unaligned loads trap on Xtensa).
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

namespace mote {
namespace fb {

struct Bytes {
  const uint8_t* data = nullptr;
  size_t size = 0;
};

template <typename T>
inline T load(const uint8_t* p) {
  T v;
  memcpy(&v, p, sizeof(T));
  return v;
}

// A vector of scalars of type T (int32, float, int64, uint8, ...), or of
// uoffsets when T is uint32 and the vector holds tables/strings.
template <typename T>
class Vector {
 public:
  Vector() = default;
  Vector(const uint8_t* buf, size_t buf_size, size_t elems_pos, uint32_t length)
      : buf_(buf), buf_size_(buf_size), pos_(elems_pos), length_(length), valid_(true) {}

  bool valid() const { return valid_; }
  uint32_t size() const { return length_; }
  T operator[](uint32_t i) const { return i < length_ ? load<T>(buf_ + pos_ + size_t(i) * sizeof(T)) : T(); }
  // Pointer to the elements; only for byte data or after checking alignment.
  const T* data() const { return valid_ ? reinterpret_cast<const T*>(buf_ + pos_) : nullptr; }
  size_t position() const { return pos_; }
  bool aligned() const { return (reinterpret_cast<uintptr_t>(buf_ + pos_) % alignof(T)) == 0; }

 private:
  friend class Table;
  const uint8_t* buf_ = nullptr;
  size_t buf_size_ = 0;
  size_t pos_ = 0;
  uint32_t length_ = 0;
  bool valid_ = false;
};

class Table {
 public:
  Table() = default;

  // The root table of a flatbuffer (uoffset at position 0).
  static Table root(const uint8_t* buf, size_t size) {
    if (buf == nullptr || size < 8) return Table();
    return at(buf, size, load<uint32_t>(buf));
  }

  // The table starting at absolute position `pos`.
  static Table at(const uint8_t* buf, size_t size, size_t pos) {
    Table t;
    if (pos > size || size - pos < 4 || (pos & 3) != 0) return t;
    int64_t vt = int64_t(pos) - int64_t(load<int32_t>(buf + pos));
    if (vt < 0 || (vt & 1) != 0 || size_t(vt) > size - 4) return t;
    uint16_t vt_size = load<uint16_t>(buf + vt);
    uint16_t table_size = load<uint16_t>(buf + vt + 2);
    if (vt_size < 4 || (vt_size & 1) != 0 || size_t(vt) + vt_size > size) return t;
    if (table_size < 4 || pos + table_size > size) return t;
    t.buf_ = buf;
    t.size_ = size;
    t.pos_ = pos;
    t.vtable_ = size_t(vt);
    t.vtable_size_ = vt_size;
    t.table_size_ = table_size;
    return t;
  }

  bool valid() const { return buf_ != nullptr; }
  bool has(int field) const { return field_offset(field, 1) != 0; }

  template <typename T>
  T scalar(int field, T default_value) const {
    uint16_t off = field_offset(field, sizeof(T));
    return off ? load<T>(buf_ + pos_ + off) : default_value;
  }

  Table table(int field) const {
    size_t target;
    if (!follow(field, &target)) return Table();
    return at(buf_, size_, target);
  }

  template <typename T>
  Vector<T> vector(int field) const {
    size_t target;
    if (!follow(field, &target)) return Vector<T>();
    return vector_at<T>(target);
  }

  // A string field: pointer to its bytes (not necessarily NUL-terminated) and
  // length; {nullptr, 0} when absent or malformed.
  Bytes string(int field) const {
    Vector<uint8_t> v = vector<uint8_t>(field);
    if (!v.valid()) return Bytes();
    return Bytes{v.data(), v.size()};
  }

  // Element i of a vector of tables.
  Table table_in(const Vector<uint32_t>& v, uint32_t i) const {
    if (!v.valid() || i >= v.size()) return Table();
    size_t elem = v.position() + size_t(i) * 4;
    return at(buf_, size_, elem + load<uint32_t>(buf_ + elem));
  }

  const uint8_t* buffer() const { return buf_; }
  size_t buffer_size() const { return size_; }
  size_t position() const { return pos_; }

 private:
  // Offset of the field within the table, 0 if absent or if `bytes` bytes at
  // it would run past the table.
  uint16_t field_offset(int field, size_t bytes) const {
    if (!valid() || field < 0) return 0;
    size_t slot = 4 + 2 * size_t(field);
    if (slot + 2 > vtable_size_) return 0;
    uint16_t off = load<uint16_t>(buf_ + vtable_ + slot);
    if (off == 0 || size_t(off) + bytes > table_size_) return 0;
    return off;
  }

  bool follow(int field, size_t* target) const {
    uint16_t off = field_offset(field, 4);
    if (!off) return false;
    size_t at_pos = pos_ + off;
    uint64_t t = uint64_t(at_pos) + load<uint32_t>(buf_ + at_pos);
    if (t >= size_) return false;
    *target = size_t(t);
    return true;
  }

  template <typename T>
  Vector<T> vector_at(size_t pos) const {
    if (pos > size_ || size_ - pos < 4 || (pos & 3) != 0) return Vector<T>();
    uint32_t len = load<uint32_t>(buf_ + pos);
    uint64_t bytes = uint64_t(len) * sizeof(T);
    if (bytes > size_ - pos - 4) return Vector<T>();
    return Vector<T>(buf_, size_, pos + 4, len);
  }

  const uint8_t* buf_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 0;
  size_t vtable_ = 0;
  uint16_t vtable_size_ = 0;
  uint16_t table_size_ = 0;
};

}  // namespace fb
}  // namespace mote
