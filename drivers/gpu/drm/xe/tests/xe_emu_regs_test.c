// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <kunit/test.h>

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/math64.h>
#include <linux/sizes.h>
#include <linux/timekeeping.h>

#include "emu/xe_emu.h"
#include "emu/xe_emu_hw.h"
#include "emu/xe_emu_types.h"

static struct xe_emu_hw *xe_emu_regs_hw(struct kunit *test)
{
	struct xe_emu_hw *hw = kunit_kzalloc(test, sizeof(*hw), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, hw);
	hw->vram_size = SZ_4G + SZ_64M;
	hw->engine_fuse = 0x0f01;
	return hw;
}

static void xe_emu_regs_identity_test(struct kunit *test)
{
	struct xe_emu_hw *hw = xe_emu_regs_hw(test);
	u32 id = xe_emu_reg_read(hw, XE_EMU_REG_ID);
	u32 ver = xe_emu_reg_read(hw, XE_EMU_REG_GFX_VERSION);

	KUNIT_EXPECT_NE(test, FIELD_GET(XE_EMU_ID_DEVICE, id), 0);
	KUNIT_EXPECT_EQ(test, FIELD_GET(XE_EMU_GFX_VERSION_MAJOR, ver), 20);
	KUNIT_EXPECT_EQ(test, xe_emu_reg_read(hw, XE_EMU_REG_VA_BITS), 48);
	KUNIT_EXPECT_GT(test, xe_emu_reg_read(hw, XE_EMU_REG_TIMESTAMP_FREQ), 0);
	KUNIT_EXPECT_EQ(test, xe_emu_reg_read(hw, XE_EMU_REG_ENGINE_FUSE), 0x0f01);
}

/* A 64-bit size splits over two registers, low dword first. */
static void xe_emu_regs_vram_size_test(struct kunit *test)
{
	struct xe_emu_hw *hw = xe_emu_regs_hw(test);

	KUNIT_EXPECT_EQ(test, xe_emu_reg_read(hw, XE_EMU_REG_VRAM_SIZE_LO), SZ_64M);
	KUNIT_EXPECT_EQ(test, xe_emu_reg_read(hw, XE_EMU_REG_VRAM_SIZE_HI), 1);
}

/* Topology fuses are non-empty; the CT firmware has a non-zero version. */
static void xe_emu_regs_topology_test(struct kunit *test)
{
	struct xe_emu_hw *hw = xe_emu_regs_hw(test);

	KUNIT_EXPECT_NE(test, xe_emu_reg_read(hw, XE_EMU_REG_DSS_FUSE), 0);
	KUNIT_EXPECT_NE(test, xe_emu_reg_read(hw, XE_EMU_REG_EU_FUSE), 0);
	KUNIT_EXPECT_NE(test, xe_emu_reg_read(hw, XE_EMU_REG_L3_BANK_FUSE), 0);
	KUNIT_EXPECT_NE(test, xe_emu_reg_read(hw, XE_EMU_REG_CT_VERSION) &
			(XE_EMU_CT_VERSION_MAJOR | XE_EMU_CT_VERSION_MINOR), 0);
}

static u64 xe_emu_regs_timestamp(struct xe_emu_hw *hw)
{
	u32 hi = xe_emu_reg_read(hw, XE_EMU_REG_TIMESTAMP_HI), lo, again;

	for (;;) {
		lo = xe_emu_reg_read(hw, XE_EMU_REG_TIMESTAMP_LO);
		again = xe_emu_reg_read(hw, XE_EMU_REG_TIMESTAMP_HI);
		if (again == hi)
			return (u64)hi << 32 | lo;
		hi = again;
	}
}

/*
 * The timestamp counts at XE_EMU_REG_TIMESTAMP_FREQ: over 50 ms it never
 * runs ahead of the CPU clock read around it (2% slack for rounding), and
 * lags by no more than a slow guest's register reads (10%).
 */
static void xe_emu_regs_timestamp_test(struct kunit *test)
{
	struct xe_emu_hw *hw = xe_emu_regs_hw(test);
	u32 freq = xe_emu_reg_read(hw, XE_EMU_REG_TIMESTAMP_FREQ);
	u64 t0, t1, ns0, ns1, want;

	ns0 = ktime_get_raw_ns();
	t0 = xe_emu_regs_timestamp(hw);
	msleep(50);
	t1 = xe_emu_regs_timestamp(hw);
	ns1 = ktime_get_raw_ns();

	want = mul_u64_u32_div(ns1 - ns0, freq, NSEC_PER_SEC);
	KUNIT_EXPECT_GT(test, t1, t0);
	KUNIT_EXPECT_LE(test, t1 - t0, want + want / 50);
	KUNIT_EXPECT_GE(test, t1 - t0, want - want / 10);
}

static void xe_emu_regs_read_only_test(struct kunit *test)
{
	static const u32 ro[] = {
		XE_EMU_REG_ID, XE_EMU_REG_GFX_VERSION, XE_EMU_REG_ENGINE_FUSE,
		XE_EMU_REG_VRAM_SIZE_LO, XE_EMU_REG_VRAM_SIZE_HI,
		XE_EMU_REG_TIMESTAMP_FREQ, XE_EMU_REG_VA_BITS, XE_EMU_REG_CT_VERSION,
		XE_EMU_REG_DSS_FUSE, XE_EMU_REG_EU_FUSE, XE_EMU_REG_L3_BANK_FUSE,
	};
	struct xe_emu_hw *hw = xe_emu_regs_hw(test);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ro); i++) {
		u32 before = xe_emu_reg_read(hw, ro[i]);

		xe_emu_reg_write(hw, ro[i], ~before);
		KUNIT_EXPECT_EQ_MSG(test, xe_emu_reg_read(hw, ro[i]), before,
				    "register %#x", ro[i]);
	}
}

static void xe_emu_regs_scratch_test(struct kunit *test)
{
	struct xe_emu_hw *hw = xe_emu_regs_hw(test);

	KUNIT_EXPECT_EQ(test, xe_emu_reg_read(hw, XE_EMU_REG_SCRATCH), 0);
	xe_emu_reg_write(hw, XE_EMU_REG_SCRATCH, 0xdeadbeef);
	KUNIT_EXPECT_EQ(test, xe_emu_reg_read(hw, XE_EMU_REG_SCRATCH), 0xdeadbeef);
	xe_emu_reg_write(hw, XE_EMU_REG_SCRATCH, 0);
	KUNIT_EXPECT_EQ(test, xe_emu_reg_read(hw, XE_EMU_REG_SCRATCH), 0);
}

/* Offsets that hold no register read as zero and swallow writes. */
static void xe_emu_regs_unmapped_test(struct kunit *test)
{
	struct xe_emu_hw *hw = xe_emu_regs_hw(test);
	static const u32 holes[] = { 0x000c, 0x003c, 0x0ffc, 0x1000, 0xffffffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(holes); i++) {
		xe_emu_reg_write(hw, holes[i], 0x12345678);
		KUNIT_EXPECT_EQ_MSG(test, xe_emu_reg_read(hw, holes[i]), 0,
				    "offset %#x", holes[i]);
	}
	KUNIT_EXPECT_EQ(test, xe_emu_reg_read(hw, XE_EMU_REG_SCRATCH), 0);
}

static struct kunit_case xe_emu_regs_cases[] = {
	KUNIT_CASE(xe_emu_regs_identity_test),
	KUNIT_CASE(xe_emu_regs_vram_size_test),
	KUNIT_CASE(xe_emu_regs_topology_test),
	KUNIT_CASE(xe_emu_regs_timestamp_test),
	KUNIT_CASE(xe_emu_regs_read_only_test),
	KUNIT_CASE(xe_emu_regs_scratch_test),
	KUNIT_CASE(xe_emu_regs_unmapped_test),
	{}
};

static struct kunit_suite xe_emu_regs_suite = {
	.name = "xe_emu_regs",
	.test_cases = xe_emu_regs_cases,
};

kunit_test_suite(xe_emu_regs_suite);
