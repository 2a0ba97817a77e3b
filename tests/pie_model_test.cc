// The C++ model of the ESP32-S3's PIE instructions (kernels/pie/pie.h), one
// instruction at a time on values worked out by hand from the ESP32-S3
// Technical Reference Manual's description: lanes and byte order, the
// 16-byte alignment of 128-bit loads and stores, address post-increments,
// SAR_BYTE and EE.SRC.Q, ACCX beyond 32 bits, the 20-bit QACC lanes and their
// packing into the QACC_L/QACC_H words. (On the S3 itself these are the
// instructions; no S3 or S3 emulator was available to run this against.)
#include <gtest/gtest.h>
#include <stdint.h>
#include <string.h>

#include "kernels/pie/pie.h"

#if !(defined(__XTENSA__) && defined(MOTE_ESP32S3_PIE))

namespace {

using mote::pie::Core;

// 64 bytes starting on a 16-byte boundary, byte i = i.
struct alignas(16) Counting {
  int8_t b[64];
  Counting() {
    for (int i = 0; i < 64; ++i) b[i] = int8_t(i);
  }
};

// Word w (0..3) of Q register Q: lanes 4w..4w+3, little-endian.
template <int Q>
void expect_words(Core& core, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3) {
  EXPECT_EQ((core.movi_32_a<Q, 0>()), w0);
  EXPECT_EQ((core.movi_32_a<Q, 1>()), w1);
  EXPECT_EQ((core.movi_32_a<Q, 2>()), w2);
  EXPECT_EQ((core.movi_32_a<Q, 3>()), w3);
}

template <int Q>
void set_all_lanes(Core& core, int8_t value) {
  const uint32_t word = uint32_t(uint8_t(value)) * 0x01010101u;
  core.movi_32_q<Q, 0>(word);
  core.movi_32_q<Q, 1>(word);
  core.movi_32_q<Q, 2>(word);
  core.movi_32_q<Q, 3>(word);
}

TEST(PieModel, Vld128IgnoresTheLowFourAddressBitsAndPostIncrements) {
  Counting data;
  Core core;
  const int8_t* p = data.b + 21;  // 5 past the block at 16
  core.vld_128_ip<3, 16>(p);
  expect_words<3>(core, 0x13121110u, 0x17161514u, 0x1B1A1918u, 0x1F1E1D1Cu);  // bytes 16..31
  EXPECT_EQ(p, data.b + 37);  // the address register advances by the immediate, unaligned as it was
  core.vld_128_xp<4>(p, -32);   // block at 32, then p -= 32
  expect_words<4>(core, 0x23222120u, 0x27262524u, 0x2B2A2928u, 0x2F2E2D2Cu);
  EXPECT_EQ(p, data.b + 5);
}

TEST(PieModel, Vst128StoresTheAlignedBlockAndPostIncrements) {
  alignas(16) int8_t out[48];
  memset(out, 0x11, sizeof(out));
  Core core;
  core.movi_32_q<6, 0>(0x03020100u);
  core.movi_32_q<6, 1>(0x07060504u);
  core.movi_32_q<6, 2>(0x0B0A0908u);
  core.movi_32_q<6, 3>(0x0F0E0D0Cu);
  int8_t* p = out + 16 + 9;
  core.vst_128_ip<6, -16>(p);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(out[16 + i], int8_t(i));
  EXPECT_EQ(out[15], 0x11);
  EXPECT_EQ(out[32], 0x11);
  EXPECT_EQ(p, out + 9);
}

TEST(PieModel, UsarLoadAndSrcQJoinTheUnalignedSixteenBytes) {
  Counting data;
  Core core;
  const int8_t* p = data.b + 7;
  core.ld_128_usar_ip<0, 16>(p);  // block 0..15, SAR_BYTE = 7
  EXPECT_EQ(core.rur_sar_byte(), 7u);
  EXPECT_EQ(p, data.b + 23);
  core.vld_128_ip<1, 0>(p);  // block 16..31, no increment
  EXPECT_EQ(p, data.b + 23);
  core.src_q<2, 0, 1>();  // bytes 7..22
  expect_words<2>(core, 0x0A090807u, 0x0E0D0C0Bu, 0x1211100Fu, 0x16151413u);
  // qa may be one of the sources.
  core.src_q<0, 0, 1>();
  expect_words<0>(core, 0x0A090807u, 0x0E0D0C0Bu, 0x1211100Fu, 0x16151413u);
  // XP form: SAR_BYTE from the address before the increment.
  p = data.b + 44;
  core.ld_128_usar_xp<5>(p, -40);
  EXPECT_EQ(core.rur_sar_byte(), 12u);
  EXPECT_EQ(p, data.b + 4);
  expect_words<5>(core, 0x23222120u, 0x27262524u, 0x2B2A2928u, 0x2F2E2D2Cu);
}

TEST(PieModel, LoadSixteenReadsTheBytesAtAnyAlignment) {
  Counting data;
  for (int offset = 0; offset < 16; ++offset) {
    SCOPED_TRACE(offset);
    Core core;
    const int8_t* p = data.b + offset;
    if (offset == 0) {
      mote::pie::load_16<true, 0, 1>(core, p);
    } else {
      mote::pie::load_16<false, 0, 1>(core, p);
    }
    EXPECT_EQ(p, data.b + offset + 16);
    for (int w = 0; w < 4; ++w) {
      const uint32_t expected = uint32_t(offset + 4 * w) | uint32_t(offset + 4 * w + 1) << 8 |
                                uint32_t(offset + 4 * w + 2) << 16 | uint32_t(offset + 4 * w + 3) << 24;
      const uint32_t words[4] = {core.movi_32_a<0, 0>(), core.movi_32_a<0, 1>(), core.movi_32_a<0, 2>(),
                                 core.movi_32_a<0, 3>()};
      EXPECT_EQ(words[w], expected);
    }
  }
}

TEST(PieModel, ZeroQClearsOneRegister) {
  Core core;
  set_all_lanes<2>(core, -1);
  set_all_lanes<3>(core, -1);
  core.zero_q<2>();
  expect_words<2>(core, 0, 0, 0, 0);
  expect_words<3>(core, ~0u, ~0u, ~0u, ~0u);
}

TEST(PieModel, VmulasS8AccxSumsSixteenSignedProducts) {
  Core core;
  core.zero_accx();
  // Lanes 1..16 times lanes alternating +1 / -1: (1 - 2) + (3 - 4) + ... = -8.
  core.movi_32_q<0, 0>(0x04030201u);
  core.movi_32_q<0, 1>(0x08070605u);
  core.movi_32_q<0, 2>(0x0C0B0A09u);
  core.movi_32_q<0, 3>(0x100F0E0Du);
  core.movi_32_q<1, 0>(0xFF01FF01u);  // bytes 01 FF 01 FF
  core.movi_32_q<1, 1>(0xFF01FF01u);
  core.movi_32_q<1, 2>(0xFF01FF01u);
  core.movi_32_q<1, 3>(0xFF01FF01u);
  core.vmulas_s8_accx<0, 1>();
  EXPECT_EQ(core.accx(), -8);
  EXPECT_EQ(core.rur_accx_0(), 0xFFFFFFF8u);
  // Accumulates: 16 * (127 * -128) = -260096 more.
  set_all_lanes<2>(core, 127);
  set_all_lanes<3>(core, -128);
  core.vmulas_s8_accx<2, 3>();
  EXPECT_EQ(core.accx(), -8 - 260096);
  core.zero_accx();
  EXPECT_EQ(core.rur_accx_0(), 0u);
}

TEST(PieModel, AccxHoldsSumsBeyondThirtyTwoBits) {
  Core core;
  core.zero_accx();
  set_all_lanes<0>(core, -128);
  // Each instruction adds 16 * 2^14 = 2^18; 2^13 + 1 of them reach 2^31 + 2^18.
  for (int i = 0; i < 8193; ++i) core.vmulas_s8_accx<0, 0>();
  EXPECT_EQ(core.accx(), (int64_t(1) << 31) + (int64_t(1) << 18));
  // RUR.ACCX_0: the low 32 bits, i.e. the int32 wrapping sum.
  EXPECT_EQ(core.rur_accx_0(), 0x80040000u);
  EXPECT_EQ(core.saturations(), 0);
}

TEST(PieModel, FusedMultiplyUsesTheOldRegisterThenLoads) {
  Counting data;
  Core core;
  core.zero_accx();
  set_all_lanes<0>(core, 2);
  set_all_lanes<1>(core, 3);
  const int8_t* p = data.b + 16;
  core.vmulas_s8_accx_ld_ip<0, 16, 0, 1>(p);  // 16 * 6, then q0 = bytes 16..31
  EXPECT_EQ(core.accx(), 96);
  EXPECT_EQ(p, data.b + 32);
  expect_words<0>(core, 0x13121110u, 0x17161514u, 0x1B1A1918u, 0x1F1E1D1Cu);
  core.vmulas_s8_accx<0, 1>();  // 3 * (16 + ... + 31) = 3 * 376
  EXPECT_EQ(core.accx(), 96 + 1128);
}

TEST(PieModel, QaccLanesPackTwentyBitsEachIntoFiveWordsPerHalf) {
  Core core;
  core.zero_qacc();
  // Lane i gets q0[i] * q1[i]: lane 0 = -1, lane 1 = +1, lanes 2.. = 0 ...
  core.movi_32_q<0, 0>(0x000001FFu);  // lanes 0..3: -1, 1, 0, 0
  core.movi_32_q<0, 1>(0);
  core.movi_32_q<0, 2>(0);
  core.movi_32_q<0, 3>(0x7F000000u);  // lane 15: 127
  set_all_lanes<1>(core, 1);
  core.movi_32_q<1, 3>(0x81010101u);  // lane 15: -127
  core.vmulas_s8_qacc<0, 1>();
  // QACC_L word 0: lane 0 (0xFFFFF) in bits 0..19, lane 1 (1) from bit 20.
  EXPECT_EQ(core.rur_qacc_l<0>(), 0x001FFFFFu);
  EXPECT_EQ(core.rur_qacc_l<1>(), 0u);
  // QACC_H: lane 15 is its lane 7, bits 140..159: the top 20 bits of word 4.
  // -16129 = 0xFC0FF as 20 bits -> word 4 = 0xFC0FF << 12.
  EXPECT_EQ(core.rur_qacc_h<4>(), 0xFC0FF000u);
  EXPECT_EQ(core.rur_qacc_h<3>(), 0u);
  int32_t lanes[16];
  mote::pie::read_qacc_s8(core, lanes);
  EXPECT_EQ(lanes[0], -1);
  EXPECT_EQ(lanes[1], 1);
  for (int i = 2; i < 15; ++i) EXPECT_EQ(lanes[i], 0) << i;
  EXPECT_EQ(lanes[15], -16129);
}

TEST(PieModel, QaccUnpacksEveryLaneAtTheExtremesOfTwentyBits) {
  Core core;
  core.zero_qacc();
  // 31 products of -128 * -128 = 507904 in every lane: the most a lane may
  // hold without saturating (32 would exceed 2^19 - 1).
  set_all_lanes<0>(core, -128);
  for (int i = 0; i < 31; ++i) core.vmulas_s8_qacc<0, 0>();
  int32_t lanes[16];
  mote::pie::read_qacc_s8(core, lanes);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(lanes[i], 507904) << i;
  EXPECT_EQ(core.saturations(), 0);
  // Lane i = 31 * (-128 * 127) + i * -1 = -503936 - i.
  core.zero_qacc();
  set_all_lanes<1>(core, 127);
  for (int i = 0; i < 31; ++i) core.vmulas_s8_qacc<0, 1>();
  core.movi_32_q<2, 0>(0x03020100u);
  core.movi_32_q<2, 1>(0x07060504u);
  core.movi_32_q<2, 2>(0x0B0A0908u);
  core.movi_32_q<2, 3>(0x0F0E0D0Cu);
  set_all_lanes<3>(core, -1);
  core.vmulas_s8_qacc<2, 3>();
  mote::pie::read_qacc_s8(core, lanes);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(lanes[i], -503936 - i) << i;
  EXPECT_EQ(core.saturations(), 0);
}

TEST(PieModel, QaccSaturatesAtTwentyBitsAsTheManualStates) {
  // The kernels never get here; the model follows the manual (signed 20-bit
  // saturation; Espressif's QEMU clamps to -(2^19 - 1) instead of -2^19).
  Core core;
  core.zero_qacc();
  set_all_lanes<0>(core, -128);
  for (int i = 0; i < 32; ++i) core.vmulas_s8_qacc<0, 0>();
  int32_t lanes[16];
  mote::pie::read_qacc_s8(core, lanes);
  EXPECT_EQ(lanes[0], 524287);
  EXPECT_EQ(core.saturations(), 16);
}

}  // namespace

#endif
