/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_HW_ENGINE_TYPES_H_
#define _XE_HW_ENGINE_TYPES_H_

#include <linux/atomic.h>
#include <linux/types.h>

#include "xe_hw_fence_types.h"

/** enum xe_engine_class - kinds of hardware engine */
enum xe_engine_class {
	/** @XE_ENGINE_CLASS_COPY: blitter, moves and fills memory */
	XE_ENGINE_CLASS_COPY,
	/** @XE_ENGINE_CLASS_COMPUTE: runs compute batches */
	XE_ENGINE_CLASS_COMPUTE,
	/** @XE_ENGINE_CLASS_MAX: number of classes */
	XE_ENGINE_CLASS_MAX,
};

/** XE_MAX_HW_ENGINES - engines one GT can fuse in (8 copy + 8 compute) */
#define XE_MAX_HW_ENGINES	16

/**
 * struct xe_hw_engine - one hardware engine found in the fuses
 */
struct xe_hw_engine {
	/** @name: short name, e.g. "bcs0" or "ccs2" */
	char name[8];
	/** @class: engine class */
	enum xe_engine_class class;
	/** @instance: instance within the class */
	u16 instance;
	/** @fuse_bit: the engine's bit in the fuse and interrupt registers */
	u16 fuse_bit;
	/** @fence_irq: fences waiting for this engine's user interrupt */
	struct xe_hw_fence_irq fence_irq;
	/** @num_queues: exec queues placed on this engine */
	atomic_t num_queues;
};

#endif
