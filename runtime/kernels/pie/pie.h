// The ESP32-S3's PIE (the EE.* SIMD instructions), one function per
// instruction, so that a kernel is written once:
//  - on the S3 (MOTE_ESP32S3_PIE, below) each function is that one
//    instruction in inline assembly, and Core holds nothing: the state lives
//    in the core's Q registers, ACCX, QACC and SAR_BYTE;
//  - everywhere else Core is a C++ model of the same state and each function
//    does what the ESP32-S3 Technical Reference Manual documents for the
//    instruction, so CI runs the very kernel code on x86.
// Q register numbers are template arguments, as they are fields of the
// instruction word. Immediate address steps are template arguments too.
//
// Modelled semantics (the manual's PIE chapter; cross-read with Espressif's
// QEMU, whose saturation differs in places, see docs/pie.md):
//  - Q0..Q7: 128 bits, 16 int8 lanes, lane i = byte i in memory order.
//  - 128-bit loads and stores ignore the address's low 4 bits (they access
//    the aligned 16 bytes containing it); .IP adds an immediate, .XP a
//    register to the address register afterwards.
//  - EE.LD.128.USAR.* also sets SAR_BYTE = address & 15; EE.SRC.Q qa, qs0,
//    qs1 sets qa = bytes SAR_BYTE .. SAR_BYTE+15 of the 32 bytes qs0:qs1
//    (qs0 first): the unaligned 16 bytes two aligned loads straddle.
//  - ACCX: 40-bit signed; EE.VMULAS.S8.ACCX adds the 16 products
//    qx[i] * qy[i] (saturating to 40 bits). RUR.ACCX_0 reads bits 0..31,
//    RUR.ACCX_1 bits 32..39 (sign-extended here; only _0 is used).
//  - QACC: 16 lanes of 20 bits for int8 (lanes 0..7 in QACC_L, 8..15 in
//    QACC_H, lane j of a half at bits 20j..20j+19); EE.VMULAS.S8.QACC adds
//    qx[i] * qy[i] to lane i, saturating to 20 bits. RUR.QACC_L_k /
//    RUR.QACC_H_k read bits 32k..32k+31 of a 160-bit half.
//  - The fused forms (.LD.IP / .LD.XP) multiply with the registers' old
//    values, then load.
// The kernels keep every accumulator inside its range, so saturation never
// happens (the model counts it; the tests require zero).
#pragma once

#include <stdint.h>
#include <string.h>

// MOTE_ESP32S3_PIE (the build targets the ESP32-S3 and its PIE) comes from
// mote/build_config.h, the one place that decides it.
#include "mote/build_config.h"

namespace mote {
namespace pie {

#if defined(__XTENSA__) && defined(MOTE_ESP32S3_PIE)
constexpr bool kNative = true;
#else
constexpr bool kNative = false;
#endif

// Whether prepare may choose the PIE kernels: on the S3, and on a host built
// with MOTE_PIE_MODEL (CMake option of the same name), where they run through
// the model (slowly, to run whole models through them).
#if (defined(__XTENSA__) && defined(MOTE_ESP32S3_PIE)) || defined(MOTE_PIE_MODEL)
constexpr bool kSelectable = true;
#else
constexpr bool kSelectable = false;
#endif

#if defined(__XTENSA__) && defined(MOTE_ESP32S3_PIE)

class Core {
 public:
  template <int Q>
  void zero_q() {
    __asm__ volatile("ee.zero.q q%c0" ::"i"(Q));
  }
  void zero_accx() { __asm__ volatile("ee.zero.accx"); }
  void zero_qacc() { __asm__ volatile("ee.zero.qacc"); }

  template <int Q, int kStep>
  void vld_128_ip(const int8_t*& p) {
    __asm__ volatile("ee.vld.128.ip q%c1, %0, %c2" : "+r"(p) : "i"(Q), "i"(kStep) : "memory");
  }
  template <int Q>
  void vld_128_xp(const int8_t*& p, int32_t step) {
    __asm__ volatile("ee.vld.128.xp q%c1, %0, %2" : "+r"(p) : "i"(Q), "r"(step) : "memory");
  }
  template <int Q, int kStep>
  void vst_128_ip(int8_t*& p) {
    __asm__ volatile("ee.vst.128.ip q%c1, %0, %c2" : "+r"(p) : "i"(Q), "i"(kStep) : "memory");
  }
  template <int Q, int kStep>
  void ld_128_usar_ip(const int8_t*& p) {
    __asm__ volatile("ee.ld.128.usar.ip q%c1, %0, %c2" : "+r"(p) : "i"(Q), "i"(kStep) : "memory");
  }
  template <int Q>
  void ld_128_usar_xp(const int8_t*& p, int32_t step) {
    __asm__ volatile("ee.ld.128.usar.xp q%c1, %0, %2" : "+r"(p) : "i"(Q), "r"(step) : "memory");
  }
  template <int QA, int QS0, int QS1>
  void src_q() {
    __asm__ volatile("ee.src.q q%c0, q%c1, q%c2" ::"i"(QA), "i"(QS0), "i"(QS1));
  }

  template <int QX, int QY>
  void vmulas_s8_accx() {
    __asm__ volatile("ee.vmulas.s8.accx q%c0, q%c1" ::"i"(QX), "i"(QY));
  }
  template <int QU, int kStep, int QX, int QY>
  void vmulas_s8_accx_ld_ip(const int8_t*& p) {
    __asm__ volatile("ee.vmulas.s8.accx.ld.ip q%c1, %0, %c2, q%c3, q%c4"
                     : "+r"(p)
                     : "i"(QU), "i"(kStep), "i"(QX), "i"(QY)
                     : "memory");
  }
  template <int QX, int QY>
  void vmulas_s8_qacc() {
    __asm__ volatile("ee.vmulas.s8.qacc q%c0, q%c1" ::"i"(QX), "i"(QY));
  }
  template <int QU, int QX, int QY>
  void vmulas_s8_qacc_ld_xp(const int8_t*& p, int32_t step) {
    __asm__ volatile("ee.vmulas.s8.qacc.ld.xp q%c1, %0, %2, q%c3, q%c4"
                     : "+r"(p)
                     : "i"(QU), "r"(step), "i"(QX), "i"(QY)
                     : "memory");
  }

  uint32_t rur_accx_0() {
    uint32_t v;
    __asm__ volatile("rur.accx_0 %0" : "=r"(v));
    return v;
  }
  uint32_t rur_sar_byte() {
    uint32_t v;
    __asm__ volatile("rur.sar_byte %0" : "=r"(v));
    return v;
  }
  // Words k = 0..4 of QACC_L (lanes 0..7) and QACC_H (lanes 8..15).
  template <int K>
  uint32_t rur_qacc_l() {
    static_assert(K >= 0 && K <= 4, "QACC_L has five 32-bit words");
    uint32_t v;
    __asm__ volatile("rur.qacc_l_%c1 %0" : "=r"(v) : "i"(K));
    return v;
  }
  template <int K>
  uint32_t rur_qacc_h() {
    static_assert(K >= 0 && K <= 4, "QACC_H has five 32-bit words");
    uint32_t v;
    __asm__ volatile("rur.qacc_h_%c1 %0" : "=r"(v) : "i"(K));
    return v;
  }

  // Word SEL (0..3) of a Q register to / from an address register.
  template <int Q, int SEL>
  void movi_32_q(uint32_t v) {
    __asm__ volatile("ee.movi.32.q q%c0, %1, %c2" ::"i"(Q), "r"(v), "i"(SEL));
  }
  template <int Q, int SEL>
  uint32_t movi_32_a() {
    uint32_t v;
    __asm__ volatile("ee.movi.32.a q%c1, %0, %c2" : "=r"(v) : "i"(Q), "i"(SEL));
    return v;
  }
};

#else  // the C++ model

class Core {
 public:
  template <int Q>
  void zero_q() {
    check_q<Q>();
    memset(q_[Q], 0, 16);
  }
  void zero_accx() { accx_ = 0; }
  void zero_qacc() { memset(qacc_, 0, sizeof(qacc_)); }

  template <int Q, int kStep>
  void vld_128_ip(const int8_t*& p) {
    check_step<kStep>();
    load<Q>(p);
    p += kStep;
  }
  template <int Q>
  void vld_128_xp(const int8_t*& p, int32_t step) {
    load<Q>(p);
    p += step;
  }
  template <int Q, int kStep>
  void vst_128_ip(int8_t*& p) {
    check_q<Q>();
    check_step<kStep>();
    memcpy(aligned(p), q_[Q], 16);
    p += kStep;
  }
  template <int Q, int kStep>
  void ld_128_usar_ip(const int8_t*& p) {
    check_step<kStep>();
    sar_byte_ = uint32_t(reinterpret_cast<uintptr_t>(p) & 15);
    load<Q>(p);
    p += kStep;
  }
  template <int Q>
  void ld_128_usar_xp(const int8_t*& p, int32_t step) {
    sar_byte_ = uint32_t(reinterpret_cast<uintptr_t>(p) & 15);
    load<Q>(p);
    p += step;
  }
  template <int QA, int QS0, int QS1>
  void src_q() {
    check_q<QA>();
    check_q<QS0>();
    check_q<QS1>();
    uint8_t both[32];
    memcpy(both, q_[QS0], 16);
    memcpy(both + 16, q_[QS1], 16);
    memcpy(q_[QA], both + sar_byte_, 16);
  }

  template <int QX, int QY>
  void vmulas_s8_accx() {
    check_q<QX>();
    check_q<QY>();
    int64_t sum = accx_;
    for (int i = 0; i < 16; ++i) sum += int32_t(lane(QX, i)) * int32_t(lane(QY, i));
    accx_ = saturate(sum, kAccxMax);
  }
  template <int QU, int kStep, int QX, int QY>
  void vmulas_s8_accx_ld_ip(const int8_t*& p) {
    vmulas_s8_accx<QX, QY>();
    vld_128_ip<QU, kStep>(p);
  }
  template <int QX, int QY>
  void vmulas_s8_qacc() {
    check_q<QX>();
    check_q<QY>();
    for (int i = 0; i < 16; ++i) qacc_[i] = int32_t(saturate(int64_t(qacc_[i]) + lane(QX, i) * lane(QY, i), kQaccMax));
  }
  template <int QU, int QX, int QY>
  void vmulas_s8_qacc_ld_xp(const int8_t*& p, int32_t step) {
    vmulas_s8_qacc<QX, QY>();
    vld_128_xp<QU>(p, step);
  }

  uint32_t rur_accx_0() { return uint32_t(uint64_t(accx_)); }
  uint32_t rur_sar_byte() { return sar_byte_; }
  template <int K>
  uint32_t rur_qacc_l() {
    static_assert(K >= 0 && K <= 4, "QACC_L has five 32-bit words");
    return qacc_word(0, K);
  }
  template <int K>
  uint32_t rur_qacc_h() {
    static_assert(K >= 0 && K <= 4, "QACC_H has five 32-bit words");
    return qacc_word(8, K);
  }

  template <int Q, int SEL>
  void movi_32_q(uint32_t v) {
    check_q<Q>();
    static_assert(SEL >= 0 && SEL <= 3, "a Q register has four words");
    memcpy(q_[Q] + 4 * SEL, &v, 4);
  }
  template <int Q, int SEL>
  uint32_t movi_32_a() {
    check_q<Q>();
    static_assert(SEL >= 0 && SEL <= 3, "a Q register has four words");
    uint32_t v;
    memcpy(&v, q_[Q] + 4 * SEL, 4);
    return v;
  }

  // Model only: how often an accumulator of this core saturated, and of all
  // cores since the program started (the tests require the kernels to keep
  // it at 0); the full 40-bit ACCX.
  int32_t saturations() const { return saturations_; }
  static int64_t total_saturations() { return total_saturations_; }
  int64_t accx() const { return accx_; }

 private:
  static constexpr int64_t kAccxMax = (int64_t(1) << 39) - 1;
  static constexpr int64_t kQaccMax = (int64_t(1) << 19) - 1;

  template <int Q>
  static constexpr void check_q() {
    static_assert(Q >= 0 && Q <= 7, "Q registers are q0..q7");
  }
  template <int kStep>
  static constexpr void check_step() {
    static_assert(kStep % 16 == 0 && kStep >= -2048 && kStep <= 2032,
                  "128-bit load/store immediates are multiples of 16 in [-2048, 2032]");
  }
  template <typename T>
  static T* aligned(T* p) {
    return reinterpret_cast<T*>(reinterpret_cast<uintptr_t>(p) & ~uintptr_t(15));
  }
  template <int Q>
  void load(const int8_t* p) {
    check_q<Q>();
    memcpy(q_[Q], aligned(p), 16);
  }
  int32_t lane(int q, int i) const { return int32_t(int8_t(q_[q][i])); }
  int64_t saturate(int64_t v, int64_t max) {
    if (v > max || v < -max - 1) {
      ++saturations_;
      ++total_saturations_;
      return v > max ? max : -max - 1;
    }
    return v;
  }
  // Word k of the 160-bit half holding lanes first..first+7: lane pairs of
  // 40 bits, five bytes each, lane j at bit 20j.
  uint32_t qacc_word(int first, int k) const {
    uint8_t bytes[20];
    for (int pair = 0; pair < 4; ++pair) {
      const uint64_t bits = (uint64_t(uint32_t(qacc_[first + 2 * pair]) & 0xFFFFFu)) |
                            (uint64_t(uint32_t(qacc_[first + 2 * pair + 1]) & 0xFFFFFu) << 20);
      for (int b = 0; b < 5; ++b) bytes[5 * pair + b] = uint8_t(bits >> (8 * b));
    }
    uint32_t w;
    memcpy(&w, bytes + 4 * k, 4);
    return w;
  }

  uint8_t q_[8][16] = {};
  int64_t accx_ = 0;
  int32_t qacc_[16] = {};
  uint32_t sar_byte_ = 0;
  int32_t saturations_ = 0;
  static inline int64_t total_saturations_ = 0;
};

#endif

// The 16 signed 20-bit QACC lanes (int8 mode) as int32: ten register reads
// and the unpacking of lanes that straddle words.
inline void read_qacc_s8(Core& core, int32_t* lanes) {
  const uint32_t half[2][5] = {
      {core.rur_qacc_l<0>(), core.rur_qacc_l<1>(), core.rur_qacc_l<2>(), core.rur_qacc_l<3>(), core.rur_qacc_l<4>()},
      {core.rur_qacc_h<0>(), core.rur_qacc_h<1>(), core.rur_qacc_h<2>(), core.rur_qacc_h<3>(), core.rur_qacc_h<4>()}};
  for (int h = 0; h < 2; ++h) {
    for (int j = 0; j < 8; ++j) {
      const int bit = 20 * j;
      const int word = bit / 32, offset = bit % 32;
      uint64_t pair = half[h][word];
      if (word + 1 < 5) pair |= uint64_t(half[h][word + 1]) << 32;
      // Bits offset..offset+19 to the top of a 32-bit word, then an
      // arithmetic shift back: the sign extension of the 20-bit lane.
      lanes[8 * h + j] = int32_t(uint32_t(pair >> offset) << 12) >> 12;
    }
  }
}

// The 16 bytes at p into Q, then p += 16. Aligned: one load. Otherwise the
// two aligned blocks the 16 bytes straddle (both hold some of them, so nothing
// outside them is read), joined at SAR_BYTE; QT is overwritten.
template <bool kAligned, int Q, int QT>
inline void load_16(Core& core, const int8_t*& p) {
  if constexpr (kAligned) {
    core.vld_128_ip<Q, 16>(p);
  } else {
    core.ld_128_usar_ip<Q, 16>(p);
    core.vld_128_ip<QT, 0>(p);
    core.src_q<Q, Q, QT>();
  }
}

inline bool aligned16(const void* p) { return (reinterpret_cast<uintptr_t>(p) & 15) == 0; }

}  // namespace pie
}  // namespace mote
