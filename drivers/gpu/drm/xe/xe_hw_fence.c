// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/slab.h>

#include "xe_hw_fence.h"

/**
 * DOC: Hardware fences
 *
 * A job's hardware fence tells when the GT has finished it. The ring
 * commands after the batch write the job's seqno, with a post-sync write
 * that lands only once everything before it has completed, and raise the
 * engine's user interrupt. The interrupt handler then signals every
 * pending fence of that engine whose seqno the GT has reached.
 *
 * Fences are signalled only from the interrupt handler, from waiters
 * polling dma_fence_is_signaled(), and by xe_hw_fence_irq_cancel() when a
 * context is gone for good (its fences then carry an error). Nothing signals
 * a fence the GT has not finished, except with an error.
 *
 * Locking: &xe_hw_fence_irq.lock is taken in hard interrupt context; it is
 * the fences' own lock, so dma_fence callbacks run under it.
 */

static struct xe_hw_fence *to_xe_hw_fence(struct dma_fence *fence)
{
	return container_of(fence, struct xe_hw_fence, dma);
}

static bool xe_hw_fence_passed(struct xe_hw_fence *fence)
{
	u32 done = READ_ONCE(*fence->seqno_map);

	return (s32)(done - (u32)fence->dma.seqno) >= 0;
}

static const char *xe_hw_fence_driver_name(struct dma_fence *fence)
{
	return "xe";
}

static const char *xe_hw_fence_timeline_name(struct dma_fence *fence)
{
	return to_xe_hw_fence(fence)->name;
}

static bool xe_hw_fence_signaled(struct dma_fence *fence)
{
	return xe_hw_fence_passed(to_xe_hw_fence(fence));
}

static bool xe_hw_fence_enable_signaling(struct dma_fence *fence)
{
	struct xe_hw_fence *hw = to_xe_hw_fence(fence);

	/* Called with the fence's lock, i.e. the engine's, held. */
	if (xe_hw_fence_passed(hw))
		return false;

	dma_fence_get(fence);
	list_add_tail(&hw->link, &hw->irq->pending);
	return true;
}

static const struct dma_fence_ops xe_hw_fence_ops = {
	.get_driver_name = xe_hw_fence_driver_name,
	.get_timeline_name = xe_hw_fence_timeline_name,
	.enable_signaling = xe_hw_fence_enable_signaling,
	.signaled = xe_hw_fence_signaled,
};

/**
 * xe_hw_fence_irq_init() - set up an engine's fence list
 * @irq: the list
 */
void xe_hw_fence_irq_init(struct xe_hw_fence_irq *irq)
{
	spin_lock_init(&irq->lock);
	INIT_LIST_HEAD(&irq->pending);
}

static void xe_hw_fence_irq_scan(struct xe_hw_fence_irq *irq,
				 const u32 *seqno_map, int error)
{
	struct xe_hw_fence *fence, *next;

	lockdep_assert_held(&irq->lock);
	list_for_each_entry_safe(fence, next, &irq->pending, link) {
		bool passed = xe_hw_fence_passed(fence);

		if (!passed && (!seqno_map || fence->seqno_map != seqno_map))
			continue;
		if (!passed)
			dma_fence_set_error(&fence->dma, error);
		list_del_init(&fence->link);
		dma_fence_signal_locked(&fence->dma);
		dma_fence_put(&fence->dma);
	}
}

/**
 * xe_hw_fence_irq_run() - signal the fences the GT has reached
 * @irq: the engine's fence list
 *
 * Called from the interrupt handler on the engine's user interrupt.
 */
void xe_hw_fence_irq_run(struct xe_hw_fence_irq *irq)
{
	unsigned long flags;

	spin_lock_irqsave(&irq->lock, flags);
	xe_hw_fence_irq_scan(irq, NULL, 0);
	spin_unlock_irqrestore(&irq->lock, flags);
}

/**
 * xe_hw_fence_irq_cancel() - signal a dead context's fences
 * @irq: the engine's fence list
 * @seqno_map: the context's seqno location
 * @error: error to signal unfinished fences with
 *
 * Only once the GT will never write @seqno_map again: fences it reached
 * are signalled normally, the others with @error.
 */
void xe_hw_fence_irq_cancel(struct xe_hw_fence_irq *irq, const u32 *seqno_map,
			    int error)
{
	unsigned long flags;

	spin_lock_irqsave(&irq->lock, flags);
	xe_hw_fence_irq_scan(irq, seqno_map, error);
	spin_unlock_irqrestore(&irq->lock, flags);
}

/**
 * xe_hw_fence_alloc() - allocate a fence, to initialise later
 *
 * Allocation is kept out of xe_hw_fence_init(), which runs where memory
 * may not be allocated (under locks of the fence-signalling path).
 *
 * Return: the fence memory, or NULL. Free with kfree() if never
 * initialised.
 */
struct xe_hw_fence *xe_hw_fence_alloc(void)
{
	return kzalloc(sizeof(struct xe_hw_fence), GFP_KERNEL);
}

/**
 * xe_hw_fence_init() - initialise the fence of a job
 * @fence: memory from xe_hw_fence_alloc()
 * @irq: the engine's fence list
 * @context: the exec queue's fence context
 * @seqno: the job's seqno
 * @seqno_map: where the GT writes the queue's completed seqno
 * @name: timeline name; must outlive the fence
 *
 * Return: the fence, with one reference.
 */
struct dma_fence *xe_hw_fence_init(struct xe_hw_fence *fence,
				   struct xe_hw_fence_irq *irq, u64 context,
				   u32 seqno, const u32 *seqno_map, const char *name)
{
	fence->irq = irq;
	fence->seqno_map = seqno_map;
	fence->name = name;
	INIT_LIST_HEAD(&fence->link);
	dma_fence_init(&fence->dma, &xe_hw_fence_ops, &irq->lock, context, seqno);
	return &fence->dma;
}
