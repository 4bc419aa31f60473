// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/bitfield.h>
#include <linux/capability.h>
#include <linux/irqflags.h>
#include <linux/timekeeping.h>
#include <linux/nospec.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/xe_drm.h>

#include <kunit/visibility.h>

#include "emu/xe_emu_hw.h"
#include "xe_device_types.h"
#include "xe_hw_engine.h"
#include "xe_hw_engine_types.h"
#include "xe_macros.h"
#include "xe_mmio.h"
#include "xe_query.h"

/**
 * DOC: Device queries
 *
 * DRM_IOCTL_XE_DEVICE_QUERY answers what the device is: its engines, its
 * memory regions, its configuration, its GTs, its (empty) hardware config
 * table, its topology (from the GT's fuses) and the version of the
 * firmware behind the command transport; it also samples the GT timestamp
 * against a CPU clock. Every query works in two steps: called with
 * &drm_xe_device_query.size 0 it only reports the size of the reply;
 * called with exactly that size it copies the reply to
 * &drm_xe_device_query.data. Any other size is refused with -EINVAL. The
 * engine-cycles and firmware-version queries also read their input from
 * &drm_xe_device_query.data.
 *
 * The replies are built from what the driver read from the hardware at
 * probe, so apart from memory usage and timestamps they never change while
 * the device is bound. Memory usage is reported only to callers with CAP_PERFMON (or
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
	reply->info[DRM_XE_QUERY_CONFIG_FLAGS] = DRM_XE_QUERY_CONFIG_FLAG_HAS_VRAM |
		DRM_XE_QUERY_CONFIG_FLAG_HAS_LOW_LATENCY |
		DRM_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR;
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

/* Topology records: one 32-bit mask each. */
#define XE_TOPO_RECORD_SIZE	(sizeof(struct drm_xe_query_topology_mask) + sizeof(u32))

static void *xe_query_topology_add(void *pos, u16 type, u32 mask)
{
	struct drm_xe_query_topology_mask *topo = pos;
	__le32 bits = cpu_to_le32(mask);

	topo->gt_id = 0;
	topo->type = type;
	topo->num_bytes = sizeof(bits);
	memcpy(topo->mask, &bits, sizeof(bits));
	return pos + XE_TOPO_RECORD_SIZE;
}

static int xe_query_gt_topology(struct xe_device *xe, struct drm_xe_device_query *query)
{
	/* Every DSS does 3D and compute work; EUs are SIMD16 (Xe2). */
	const struct {
		u16 type;
		u32 mask;
	} records[] = {
		{ DRM_XE_TOPO_DSS_GEOMETRY, xe->info.dss_mask },
		{ DRM_XE_TOPO_DSS_COMPUTE, xe->info.dss_mask },
		{ DRM_XE_TOPO_L3_BANK, xe->info.l3_bank_mask },
		{ DRM_XE_TOPO_SIMD16_EU_PER_DSS, xe->info.eu_mask },
	};
	size_t size = ARRAY_SIZE(records) * XE_TOPO_RECORD_SIZE;
	void *reply, *pos;
	unsigned int i;
	int err;

	if (!query->size) {
		query->size = size;
		return 0;
	}

	reply = kzalloc(size, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	for (pos = reply, i = 0; i < ARRAY_SIZE(records); i++)
		pos = xe_query_topology_add(pos, records[i].type, records[i].mask);

	err = xe_query_reply(xe, query, reply, size);
	kfree(reply);
	return err;
}

static int xe_query_uc_fw_version(struct xe_device *xe, struct drm_xe_device_query *query)
{
	struct drm_xe_query_uc_fw_version __user *uptr = u64_to_user_ptr(query->data);
	struct drm_xe_query_uc_fw_version resp;

	if (!query->size) {
		query->size = sizeof(resp);
		return 0;
	}
	if (XE_IOCTL_DBG(xe, query->size != sizeof(resp)))
		return -EINVAL;
	if (copy_from_user(&resp, uptr, sizeof(resp)))
		return -EFAULT;
	if (XE_IOCTL_DBG(xe, resp.pad || resp.pad2 || resp.reserved))
		return -EINVAL;

	switch (resp.uc_type) {
	case XE_QUERY_UC_TYPE_GUC_SUBMISSION:
		/* The firmware behind the CT plays the GuC's part. */
		resp.branch_ver = 0;
		resp.major_ver = FIELD_GET(XE_EMU_CT_VERSION_MAJOR, xe->info.ct_version);
		resp.minor_ver = FIELD_GET(XE_EMU_CT_VERSION_MINOR, xe->info.ct_version);
		resp.patch_ver = FIELD_GET(XE_EMU_CT_VERSION_PATCH, xe->info.ct_version);
		break;
	case XE_QUERY_UC_TYPE_HUC:
		/* No media engines, so no HuC. */
		return -ENODEV;
	default:
		XE_IOCTL_DBG(xe, true);
		return -EINVAL;
	}

	return copy_to_user(uptr, &resp, sizeof(resp)) ? -EFAULT : 0;
}

/* The GT timestamp, read high-low-high so that the halves match. */
static u64 xe_query_timestamp(struct xe_device *xe)
{
	u32 hi, lo, again;

	hi = xe_mmio_read32(xe, XE_EMU_REG_TIMESTAMP_HI);
	for (;;) {
		lo = xe_mmio_read32(xe, XE_EMU_REG_TIMESTAMP_LO);
		again = xe_mmio_read32(xe, XE_EMU_REG_TIMESTAMP_HI);
		if (again == hi)
			return (u64)hi << 32 | lo;
		hi = again;
	}
}

static bool xe_query_engine_exists(struct xe_device *xe,
				   const struct drm_xe_engine_class_instance *eci)
{
	unsigned int i;

	if (eci->gt_id)
		return false;
	for (i = 0; i < xe->num_hw_engines; i++)
		if (xe_hw_engine_uapi_class(&xe->hw_engines[i]) == eci->engine_class &&
		    xe->hw_engines[i].instance == eci->engine_instance)
			return true;
	return false;
}

static int xe_query_engine_cycles(struct xe_device *xe, struct drm_xe_device_query *query)
{
	struct drm_xe_query_engine_cycles __user *uptr = u64_to_user_ptr(query->data);
	struct drm_xe_query_engine_cycles resp;
	u64 (*cpu_ns)(void);
	unsigned long flags;

	if (!query->size) {
		query->size = sizeof(resp);
		return 0;
	}
	if (XE_IOCTL_DBG(xe, query->size != sizeof(resp)))
		return -EINVAL;
	if (copy_from_user(&resp, uptr, sizeof(resp)))
		return -EFAULT;
	if (XE_IOCTL_DBG(xe, !xe_query_engine_exists(xe, &resp.eci)))
		return -EINVAL;

	switch (resp.clockid) {
	case CLOCK_MONOTONIC:
		cpu_ns = ktime_get_ns;
		break;
	case CLOCK_MONOTONIC_RAW:
		cpu_ns = ktime_get_raw_ns;
		break;
	case CLOCK_REALTIME:
		cpu_ns = ktime_get_real_ns;
		break;
	case CLOCK_BOOTTIME:
		cpu_ns = ktime_get_boottime_ns;
		break;
	case CLOCK_TAI:
		cpu_ns = ktime_get_clocktai_ns;
		break;
	default:
		XE_IOCTL_DBG(xe, true);
		return -EINVAL;
	}

	/* Every engine counts the GT's timestamp. */
	local_irq_save(flags);
	resp.cpu_timestamp = cpu_ns();
	resp.engine_cycles = xe_query_timestamp(xe);
	resp.cpu_delta = cpu_ns() - resp.cpu_timestamp;
	local_irq_restore(flags);
	resp.width = 64;

	return copy_to_user(uptr, &resp, sizeof(resp)) ? -EFAULT : 0;
}

/*
 * The emulated GT has no observation (OA) unit, so the list is empty; the
 * reply's size still follows the usual two-call protocol, as upstream's
 * does for a device without OA.
 */
static int xe_query_oa_units(struct xe_device *xe, struct drm_xe_device_query *query)
{
	struct drm_xe_query_oa_units reply = {};

	if (!query->size) {
		query->size = sizeof(reply);
		return 0;
	}
	return xe_query_reply(xe, query, &reply, sizeof(reply));
}

typedef int (*xe_query_fn)(struct xe_device *xe, struct drm_xe_device_query *query);

static const xe_query_fn xe_query_funcs[] = {
	[DRM_XE_DEVICE_QUERY_ENGINES] = xe_query_engines,
	[DRM_XE_DEVICE_QUERY_MEM_REGIONS] = xe_query_mem_regions,
	[DRM_XE_DEVICE_QUERY_CONFIG] = xe_query_config,
	[DRM_XE_DEVICE_QUERY_GT_LIST] = xe_query_gt_list,
	[DRM_XE_DEVICE_QUERY_HWCONFIG] = xe_query_hwconfig,
	[DRM_XE_DEVICE_QUERY_GT_TOPOLOGY] = xe_query_gt_topology,
	[DRM_XE_DEVICE_QUERY_ENGINE_CYCLES] = xe_query_engine_cycles,
	[DRM_XE_DEVICE_QUERY_UC_FW_VERSION] = xe_query_uc_fw_version,
	[DRM_XE_DEVICE_QUERY_OA_UNITS] = xe_query_oa_units,
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
