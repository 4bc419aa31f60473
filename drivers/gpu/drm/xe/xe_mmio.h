/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_MMIO_H_
#define _XE_MMIO_H_

#include "emu/xe_emu_hw.h"
#include "xe_device_types.h"

/**
 * xe_mmio_read32() - read a device register
 * @xe: the device
 * @reg: register offset from emu/xe_emu_hw.h
 *
 * Return: the register's value.
 */
static inline u32 xe_mmio_read32(struct xe_device *xe, u32 reg)
{
	return xe->bus.ops->read32(xe->bus.hw, reg);
}

/**
 * xe_mmio_write32() - write a device register
 * @xe: the device
 * @reg: register offset from emu/xe_emu_hw.h
 * @val: value to write
 */
static inline void xe_mmio_write32(struct xe_device *xe, u32 reg, u32 val)
{
	xe->bus.ops->write32(xe->bus.hw, reg, val);
}

/**
 * xe_mmio_read64_2x32() - read a 64-bit quantity split over two registers
 * @xe: the device
 * @lo: offset of the low dword; the high dword follows it
 *
 * Only for values that do not change while read, like sizes.
 *
 * Return: the 64-bit value.
 */
static inline u64 xe_mmio_read64_2x32(struct xe_device *xe, u32 lo)
{
	return (u64)xe_mmio_read32(xe, lo + 4) << 32 | xe_mmio_read32(xe, lo);
}

#endif
