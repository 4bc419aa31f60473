/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_BO_TYPES_H_
#define _XE_BO_TYPES_H_

#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>

struct xe_vm;

/** XE_BO_MAX_PLACEMENTS - placements a BO may list */
#define XE_BO_MAX_PLACEMENTS	2

/**
 * struct xe_bo - a buffer object
 *
 * The GEM object is embedded in the TTM BO; its reservation lock protects
 * the BO's placement and backing store.
 */
struct xe_bo {
	/** @ttm: the TTM buffer object (and GEM object) */
	struct ttm_buffer_object ttm;
	/** @flags: XE_BO_FLAG_*, fixed at creation */
	u32 flags;
	/** @cpu_caching: DRM_XE_GEM_CPU_CACHING_*, fixed at creation */
	u16 cpu_caching;
	/** @placements: where the BO may live, most preferred first */
	struct ttm_place placements[XE_BO_MAX_PLACEMENTS];
	/** @placement: TTM's view of @placements */
	struct ttm_placement placement;
	/**
	 * @vm: the VM the BO is private to (sharing its reservation), with a
	 * reference, or NULL
	 */
	struct xe_vm *vm;
};

#endif
