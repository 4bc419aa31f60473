/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_BO_H_
#define _XE_BO_H_

#include <linux/bits.h>

#include "xe_bo_types.h"

struct drm_device;
struct drm_file;
struct drm_xe_gem_create;
struct xe_device;

/* May live in system memory. */
#define XE_BO_FLAG_SYSTEM		BIT(0)
/* May live in device memory. */
#define XE_BO_FLAG_VRAM0		BIT(1)
/* Allocate backing store on first use instead of at creation. */
#define XE_BO_FLAG_DEFER_BACKING	BIT(2)

extern const struct ttm_device_funcs xe_ttm_funcs;

struct xe_bo *xe_bo_create_user(struct xe_device *xe, struct xe_vm *vm, u64 size,
				u32 flags, u16 cpu_caching);
int xe_bo_migrate(struct xe_bo *bo, u32 region);
int xe_bo_init_ttm(struct xe_device *xe);

int xe_gem_create_check(const struct drm_xe_gem_create *args, u32 region_mask);
int xe_gem_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int xe_gem_mmap_offset_ioctl(struct drm_device *dev, void *data,
			     struct drm_file *file);

/**
 * ttm_to_xe_bo() - the xe BO around a TTM BO
 * @tbo: a TTM BO of the xe driver
 *
 * Return: the &struct xe_bo.
 */
static inline struct xe_bo *ttm_to_xe_bo(const struct ttm_buffer_object *tbo)
{
	return container_of(tbo, struct xe_bo, ttm);
}

/**
 * gem_to_xe_bo() - the xe BO around a GEM object
 * @obj: a GEM object of the xe driver
 *
 * Return: the &struct xe_bo.
 */
static inline struct xe_bo *gem_to_xe_bo(const struct drm_gem_object *obj)
{
	return container_of(obj, struct xe_bo, ttm.base);
}

/**
 * xe_bo_put() - drop a reference to a BO
 * @bo: the BO, or NULL
 */
static inline void xe_bo_put(struct xe_bo *bo)
{
	if (bo)
		drm_gem_object_put(&bo->ttm.base);
}

/**
 * xe_bo_size() - size of a BO in bytes
 * @bo: the BO
 *
 * Return: the size.
 */
static inline size_t xe_bo_size(const struct xe_bo *bo)
{
	return bo->ttm.base.size;
}

#endif
