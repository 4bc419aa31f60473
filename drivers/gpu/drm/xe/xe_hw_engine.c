// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/bitfield.h>
#include <linux/bitops.h>

#include <drm/xe_drm.h>

#include <kunit/visibility.h>

#include "emu/xe_emu_hw.h"
#include "xe_device_types.h"
#include "xe_hw_engine.h"
#include "xe_hw_fence.h"
#include "xe_mmio.h"

/**
 * DOC: Hardware engines
 *
 * The engines a GT has are read from its fuse register once, at probe, and
 * listed in &xe_device.hw_engines in fuse-bit order: copy engines first,
 * then compute engines, each by instance. The list never changes while the
 * device is bound; queries and exec queues index into it.
 */

static const char * const xe_engine_class_prefix[XE_ENGINE_CLASS_MAX] = {
	[XE_ENGINE_CLASS_COPY] = "bcs",
	[XE_ENGINE_CLASS_COMPUTE] = "ccs",
};

static unsigned int xe_hw_engines_add(struct xe_hw_engine *engines,
				      unsigned int count, unsigned int max,
				      enum xe_engine_class class,
				      unsigned long mask, unsigned int first_bit)
{
	unsigned int instance;

	for_each_set_bit(instance, &mask, BITS_PER_LONG) {
		struct xe_hw_engine *hwe;

		if (count == max)
			break;
		hwe = &engines[count++];
		hwe->class = class;
		hwe->instance = instance;
		hwe->fuse_bit = first_bit + instance;
		xe_hw_fence_irq_init(&hwe->fence_irq);
		atomic_set(&hwe->num_queues, 0);
		snprintf(hwe->name, sizeof(hwe->name), "%s%u",
			 xe_engine_class_prefix[class], instance);
	}

	return count;
}

/**
 * xe_hw_engines_from_fuse() - decode the engine fuse register
 * @fuse: value of XE_EMU_REG_ENGINE_FUSE
 * @engines: array to fill
 * @max: size of @engines
 *
 * Return: the number of engines written to @engines, at most @max.
 */
VISIBLE_IF_KUNIT unsigned int xe_hw_engines_from_fuse(u32 fuse,
						      struct xe_hw_engine *engines,
						      unsigned int max)
{
	unsigned int count;

	count = xe_hw_engines_add(engines, 0, max, XE_ENGINE_CLASS_COPY,
				  FIELD_GET(XE_EMU_FUSE_BCS_MASK, fuse), 0);
	return xe_hw_engines_add(engines, count, max, XE_ENGINE_CLASS_COMPUTE,
				 FIELD_GET(XE_EMU_FUSE_CCS_MASK, fuse), XE_EMU_FUSE_CCS_SHIFT);
}
EXPORT_SYMBOL_IF_KUNIT(xe_hw_engines_from_fuse);

/**
 * xe_hw_engines_init_early() - list the engines the device has
 * @xe: the device
 *
 * Return: 0, or -ENODEV if the fuses leave no copy engine (the driver
 * needs one to move memory).
 */
int xe_hw_engines_init_early(struct xe_device *xe)
{
	u32 fuse = xe_mmio_read32(xe, XE_EMU_REG_ENGINE_FUSE);

	xe->num_hw_engines = xe_hw_engines_from_fuse(fuse, xe->hw_engines,
						     ARRAY_SIZE(xe->hw_engines));
	if (!(fuse & XE_EMU_FUSE_BCS_MASK)) {
		drm_err(&xe->drm, "no copy engine fused in (fuse %#x)\n", fuse);
		return -ENODEV;
	}

	return 0;
}

/**
 * xe_hw_engine_uapi_class() - the uAPI class of an engine
 * @hwe: the engine
 *
 * Return: DRM_XE_ENGINE_CLASS_COPY or DRM_XE_ENGINE_CLASS_COMPUTE.
 */
u16 xe_hw_engine_uapi_class(const struct xe_hw_engine *hwe)
{
	return hwe->class == XE_ENGINE_CLASS_COPY ? DRM_XE_ENGINE_CLASS_COPY :
						    DRM_XE_ENGINE_CLASS_COMPUTE;
}
