/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_EMU_TYPES_H_
#define _XE_EMU_TYPES_H_

#include <linux/types.h>

struct platform_device;

/**
 * struct xe_emu_hw - one emulated GPU, private to the emulator
 *
 * The driver sees only the opaque pointer in &struct xe_emu_bus.
 */
struct xe_emu_hw {
	/** @pdev: the platform device that represents the GPU on its bus */
	struct platform_device *pdev;
	/** @index: instance number, also the platform device id */
	unsigned int index;
	/** @vram: backing store of device memory */
	void *vram;
	/** @vram_size: size of @vram in bytes */
	u64 vram_size;
	/** @engine_fuse: value of XE_EMU_REG_ENGINE_FUSE */
	u32 engine_fuse;
	/** @scratch: value of XE_EMU_REG_SCRATCH, written concurrently */
	u32 scratch;
};

#endif
