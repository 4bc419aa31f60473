/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_EMU_HW_H_
#define _XE_EMU_HW_H_

#include <linux/bits.h>
#include <linux/compiler_types.h>
#include <linux/types.h>

/**
 * DOC: Hardware contract of the virtual Xe GT
 *
 * This header is the register specification of the emulated device: the
 * only thing the driver knows about the hardware, and the only thing the
 * emulator promises. The driver reaches the device through a bus (struct
 * xe_emu_bus) handed over as platform data, exactly as a PCI driver reaches
 * silicon through its BARs. It never looks inside &struct xe_emu_hw, and the
 * emulator never calls into the driver.
 *
 * The device exposes:
 *
 * - a register file of 32-bit registers at the offsets below, read and
 *   written through &xe_emu_bus_ops.read32 and &xe_emu_bus_ops.write32.
 *   Reads of unknown offsets return 0, writes to read-only or unknown
 *   offsets are dropped, like writes to reserved MMIO;
 * - device memory (VRAM) of XE_EMU_REG_VRAM_SIZE bytes at device-physical
 *   offsets 0 .. size - 1, visible to the CPU through a BAR that covers
 *   all of it (&xe_emu_bus.vram_bar). The BAR is a kernel mapping for the
 *   driver's own accesses; &xe_emu_bus_ops.vram_pfn gives the page frame
 *   backing a BAR offset, for mapping VRAM into user space.
 */

/* Identification, read-only. */
#define XE_EMU_REG_ID			0x0000
#define   XE_EMU_ID_DEVICE		GENMASK(15, 0)
#define   XE_EMU_ID_REVISION		GENMASK(23, 16)
#define XE_EMU_REG_GFX_VERSION		0x0004
#define   XE_EMU_GFX_VERSION_MAJOR	GENMASK(15, 8)
#define   XE_EMU_GFX_VERSION_MINOR	GENMASK(7, 0)

/*
 * Engine fuses, read-only: a set bit means the engine exists. Bits 0-7 are
 * copy engines BCS0-BCS7, bits 8-15 compute engines CCS0-CCS7.
 */
#define XE_EMU_REG_ENGINE_FUSE		0x0008
#define   XE_EMU_FUSE_BCS_MASK		GENMASK(7, 0)
#define   XE_EMU_FUSE_CCS_MASK		GENMASK(15, 8)
#define   XE_EMU_FUSE_CCS_SHIFT		8

/* Device-memory size in bytes, read-only, low and high dword. */
#define XE_EMU_REG_VRAM_SIZE_LO		0x0010
#define XE_EMU_REG_VRAM_SIZE_HI		0x0014

/* Frequency of the GT timestamp counter in Hz, read-only. */
#define XE_EMU_REG_TIMESTAMP_FREQ	0x0018

/* Width of a GPU virtual address in bits, read-only. */
#define XE_EMU_REG_VA_BITS		0x001c

/* Scratch register: holds whatever was last written, for bring-up checks. */
#define XE_EMU_REG_SCRATCH		0x0020

/* One past the last register offset. */
#define XE_EMU_REG_SPACE		0x1000

struct xe_emu_hw;

/**
 * struct xe_emu_bus_ops - how the CPU reaches the device
 *
 * All members are required and may be called from any context that may
 * sleep; read32 and write32 may also be called from atomic context.
 */
struct xe_emu_bus_ops {
	/**
	 * @read32: Read the 32-bit register at byte offset @reg.
	 */
	u32 (*read32)(struct xe_emu_hw *hw, u32 reg);
	/**
	 * @write32: Write @val to the 32-bit register at byte offset @reg.
	 */
	void (*write32)(struct xe_emu_hw *hw, u32 reg, u32 val);
	/**
	 * @vram_pfn: Page frame number backing the VRAM BAR at byte offset
	 * @offset, which must be below the VRAM size.
	 */
	unsigned long (*vram_pfn)(struct xe_emu_hw *hw, u64 offset);
};

/**
 * struct xe_emu_bus - what the device hands its driver (platform data)
 */
struct xe_emu_bus {
	/** @ops: bus operations */
	const struct xe_emu_bus_ops *ops;
	/** @hw: the device instance, opaque to the driver */
	struct xe_emu_hw *hw;
	/** @vram_bar: CPU mapping of all of VRAM */
	void __iomem *vram_bar;
};

/** XE_EMU_DEVICE_NAME - platform device name of the virtual GPU */
#define XE_EMU_DEVICE_NAME		"xe"

#endif
