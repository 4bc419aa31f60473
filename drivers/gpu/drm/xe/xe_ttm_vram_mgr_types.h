/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_TTM_VRAM_MGR_TYPES_H_
#define _XE_TTM_VRAM_MGR_TYPES_H_

#include <linux/gpu_buddy.h>
#include <linux/mutex.h>
#include <drm/ttm/ttm_resource.h>

/**
 * struct xe_ttm_vram_mgr - device memory, handed out by a buddy allocator
 */
struct xe_ttm_vram_mgr {
	/** @manager: the TTM resource manager; sizes are in bytes */
	struct ttm_resource_manager manager;
	/** @mm: the buddy allocator, protected by @lock */
	struct gpu_buddy mm;
	/** @lock: protects @mm */
	struct mutex lock;
	/** @default_page_size: smallest block handed out, in bytes */
	u64 default_page_size;
};

/**
 * struct xe_ttm_vram_mgr_resource - one allocation of device memory
 */
struct xe_ttm_vram_mgr_resource {
	/** @base: the TTM resource */
	struct ttm_resource base;
	/** @blocks: the buddy blocks, in device-offset order of allocation */
	struct list_head blocks;
	/** @flags: GPU_BUDDY_* flags the blocks were allocated with */
	unsigned long flags;
};

#endif
