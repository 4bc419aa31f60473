/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_HW_FENCE_TYPES_H_
#define _XE_HW_FENCE_TYPES_H_

#include <linux/dma-fence.h>
#include <linux/list.h>
#include <linux/spinlock.h>

/**
 * struct xe_hw_fence_irq - fences waiting for one engine's user interrupt
 */
struct xe_hw_fence_irq {
	/** @lock: protects @pending; also the lock of every fence on it */
	spinlock_t lock;
	/** @pending: fences with signalling enabled, not yet signalled */
	struct list_head pending;
};

/**
 * struct xe_hw_fence - a fence the GT signals by writing a seqno
 *
 * The job's last commands write its seqno to @seqno_map and raise the
 * engine's user interrupt; the fence is signalled once the value there has
 * reached its seqno.
 */
struct xe_hw_fence {
	/** @dma: the DMA fence */
	struct dma_fence dma;
	/** @irq: the engine interrupt it waits for */
	struct xe_hw_fence_irq *irq;
	/** @seqno_map: where the GT writes the last completed seqno */
	const u32 *seqno_map;
	/** @link: entry in &xe_hw_fence_irq.pending */
	struct list_head link;
	/** @name: timeline name, the exec queue's */
	const char *name;
};

#endif
