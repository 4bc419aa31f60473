// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <kunit/test.h>

#include <linux/bitfield.h>
#include <linux/sizes.h>

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

static void xe_emu_regs_read_only_test(struct kunit *test)
{
	static const u32 ro[] = {
		XE_EMU_REG_ID, XE_EMU_REG_GFX_VERSION, XE_EMU_REG_ENGINE_FUSE,
		XE_EMU_REG_VRAM_SIZE_LO, XE_EMU_REG_VRAM_SIZE_HI,
		XE_EMU_REG_TIMESTAMP_FREQ, XE_EMU_REG_VA_BITS,
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
	static const u32 holes[] = { 0x000c, 0x0024, 0x0ffc, 0x1000, 0xffffffff };
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
