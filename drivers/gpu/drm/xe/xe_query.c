// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/capability.h>
#include <linux/nospec.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/xe_drm.h>

#include <kunit/visibility.h>

#include "xe_device_types.h"
#include "xe_hw_engine_types.h"
#include "xe_macros.h"
#include "xe_query.h"

/**
 * DOC: Device queries
 *
 * DRM_IOCTL_XE_DEVICE_QUERY answers what the device is: its engines, its
 * memory regions, its configuration, its GTs and its (empty) hardware
 * config table. Every query works in two steps: called with
 * &drm_xe_device_query.size 0 it only reports the size of the reply;
 * called with exactly that size it copies the reply to
 * &drm_xe_device_query.data. Any other size is refused with -EINVAL.
 *
 * The replies are built from what the driver read from the hardware at
 * probe, so apart from memory usage they never change while the device is
 * bound. Memory usage is reported only to callers with CAP_PERFMON (or
 * CAP_SYS_ADMIN); others read 0.
 */

/* Engine classes as the uAPI names them. */
static const u16 xe_engine_class_to_uapi[XE_ENGINE_CLASS_MAX] = {
	[XE_ENGINE_CLASS_COPY] = DRM_XE_ENGINE_CLASS_COPY,
	[XE_ENGINE_CLASS_COMPUTE] = DRM_XE_ENGINE_CLASS_COMPUTE,
};

static int xe_query_reply(struct xe_device *xe, struct drm_xe_device_query *query,
			  const void *reply, size_t size)
{
	if (XE_IOCTL_DBG(xe, query->size != size))
		return -EINVAL;
	if (size && copy_to_user(u64_to_user_ptr(query->data), reply, size))
		return -EFAULT;
	return 0;
}

/**
 * xe_query_engines_fill() - describe engines as the uAPI does
 * @engines: the hardware engines
 * @count: number of @engines
 * @reply: zeroed reply with room for @count engines
 */
VISIBLE_IF_KUNIT void xe_query_engines_fill(const struct xe_hw_engine *engines,
					    unsigned int count,
					    struct drm_xe_query_engines *reply)
{
	unsigned int i;

	reply->num_engines = count;
	for (i = 0; i < count; i++) {
		struct drm_xe_engine_class_instance *eci = &reply->engines[i].instance;

		eci->engine_class = xe_engine_class_to_uapi[engines[i].class];
		eci->engine_instance = engines[i].instance;
		eci->gt_id = 0;
	}
}
EXPORT_SYMBOL_IF_KUNIT(xe_query_engines_fill);

static int xe_query_engines(struct xe_device *xe, struct drm_xe_device_query *query)
{
	size_t size = struct_size_t(struct drm_xe_query_engines, engines,
				    xe->num_hw_engines);
	struct drm_xe_query_engines *reply;
	int err;

	if (!query->size) {
		query->size = size;
		return 0;
	}

	reply = kzalloc(size, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;

	xe_query_engines_fill(xe->hw_engines, xe->num_hw_engines, reply);
	err = xe_query_reply(xe, query, reply, size);
	kfree(reply);
	return err;
}

static int xe_query_mem_regions(struct xe_device *xe,
				struct drm_xe_device_query *query)
{
	struct ttm_resource_manager *sys = &xe->mem.sys.manager;
	struct ttm_resource_manager *vram = &xe->mem.vram.manager;
	size_t size = struct_size_t(struct drm_xe_query_mem_regions, mem_regions, 2);
	bool show_usage = perfmon_capable();
	struct drm_xe_query_mem_regions *reply;
	struct drm_xe_mem_region *region;
	int err;

	if (!query->size) {
		query->size = size;
		return 0;
	}

	reply = kzalloc(size, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;

	reply->num_mem_regions = 2;
	region = &reply->mem_regions[0];
	region->mem_class = DRM_XE_MEM_REGION_CLASS_SYSMEM;
	region->instance = XE_MEM_REGION_SYSMEM;
	region->min_page_size = PAGE_SIZE;
	region->total_size = sys->size;
	if (show_usage)
		region->used = ttm_resource_manager_usage(sys);

	region = &reply->mem_regions[1];
	region->mem_class = DRM_XE_MEM_REGION_CLASS_VRAM;
	region->instance = XE_MEM_REGION_VRAM0;
	region->min_page_size = xe->mem.vram.default_page_size;
	region->total_size = xe->mem.vram_size;
	region->cpu_visible_size = xe->mem.vram_size;
	if (show_usage) {
		region->used = ttm_resource_manager_usage(vram);
		region->cpu_visible_used = region->used;
	}

	err = xe_query_reply(xe, query, reply, size);
	kfree(reply);
	return err;
}

static int xe_query_config(struct xe_device *xe, struct drm_xe_device_query *query)
{
	const u32 num_params = DRM_XE_QUERY_CONFIG_MAX_EXEC_QUEUE_PRIORITY + 1;
	size_t size = struct_size_t(struct drm_xe_query_config, info, num_params);
	struct drm_xe_query_config *reply;
	int err;

	if (!query->size) {
		query->size = size;
		return 0;
	}

	reply = kzalloc(size, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;

	reply->num_params = num_params;
	reply->info[DRM_XE_QUERY_CONFIG_REV_AND_DEVICE_ID] =
		xe->info.devid | (u32)xe->info.revid << 16;
	reply->info[DRM_XE_QUERY_CONFIG_FLAGS] = DRM_XE_QUERY_CONFIG_FLAG_HAS_VRAM;
	reply->info[DRM_XE_QUERY_CONFIG_MIN_ALIGNMENT] = xe->mem.vram.default_page_size;
	reply->info[DRM_XE_QUERY_CONFIG_VA_BITS] = xe->info.va_bits;
	/* 1 is normal priority; raising a queue above it needs CAP_SYS_NICE. */
	reply->info[DRM_XE_QUERY_CONFIG_MAX_EXEC_QUEUE_PRIORITY] =
		capable(CAP_SYS_NICE) ? 2 : 1;

	err = xe_query_reply(xe, query, reply, size);
	kfree(reply);
	return err;
}

static int xe_query_gt_list(struct xe_device *xe, struct drm_xe_device_query *query)
{
	size_t size = struct_size_t(struct drm_xe_query_gt_list, gt_list, 1);
	struct drm_xe_query_gt_list *reply;
	struct drm_xe_gt *gt;
	int err;

	if (!query->size) {
		query->size = size;
		return 0;
	}

	reply = kzalloc(size, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;

	reply->num_gt = 1;
	gt = &reply->gt_list[0];
	gt->type = DRM_XE_QUERY_GT_TYPE_MAIN;
	gt->reference_clock = xe->info.ref_clock;
	gt->near_mem_regions = BIT(XE_MEM_REGION_VRAM0);
	gt->far_mem_regions = BIT(XE_MEM_REGION_SYSMEM);
	gt->ip_ver_major = xe->info.graphics_ver;
	gt->ip_ver_minor = xe->info.graphics_rel;

	err = xe_query_reply(xe, query, reply, size);
	kfree(reply);
	return err;
}

static int xe_query_hwconfig(struct xe_device *xe, struct drm_xe_device_query *query)
{
	/* The virtual GT has no firmware, hence no hardware config table. */
	return xe_query_reply(xe, query, NULL, 0);
}

typedef int (*xe_query_fn)(struct xe_device *xe, struct drm_xe_device_query *query);

static const xe_query_fn xe_query_funcs[] = {
	[DRM_XE_DEVICE_QUERY_ENGINES] = xe_query_engines,
	[DRM_XE_DEVICE_QUERY_MEM_REGIONS] = xe_query_mem_regions,
	[DRM_XE_DEVICE_QUERY_CONFIG] = xe_query_config,
	[DRM_XE_DEVICE_QUERY_GT_LIST] = xe_query_gt_list,
	[DRM_XE_DEVICE_QUERY_HWCONFIG] = xe_query_hwconfig,
};

/**
 * xe_query_ioctl() - DRM_IOCTL_XE_DEVICE_QUERY
 * @dev: DRM device
 * @data: &struct drm_xe_device_query
 * @file: the caller's DRM file
 *
 * Return: 0 on success; -EINVAL for a set extension or reserved field, an
 * unknown or unsupported query, or a size that is neither 0 nor the reply's
 * size; -EFAULT if the reply cannot be written; -ENOMEM.
 */
int xe_query_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct xe_device *xe = to_xe_device(dev);
	struct drm_xe_device_query *query = data;
	u32 idx;

	if (XE_IOCTL_DBG(xe, query->extensions) ||
	    XE_IOCTL_DBG(xe, query->reserved[0] || query->reserved[1]))
		return -EINVAL;

	if (XE_IOCTL_DBG(xe, query->query >= ARRAY_SIZE(xe_query_funcs)))
		return -EINVAL;

	idx = array_index_nospec(query->query, ARRAY_SIZE(xe_query_funcs));
	if (XE_IOCTL_DBG(xe, !xe_query_funcs[idx]))
		return -EINVAL;

	return xe_query_funcs[idx](xe, query);
}
