// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <drm/drm_managed.h>

#include <kunit/visibility.h>

#include "emu/xe_emu_hw.h"
#include "xe_ct.h"
#include "xe_device_types.h"
#include "xe_pagefault.h"
#include "xe_svm.h"
#include "xe_vm.h"

/**
 * DOC: Page faults
 *
 * The GT reports a fault with G2H PAGE_FAULT and stalls the faulting
 * context until it gets H2G PAGE_FAULT_REPLY. The consumer is independent
 * of how faults arrive:
 *
 * - the interrupt thread copies each fault into a ring of &struct
 *   xe_pagefault sized for the worst case (every context of the GT
 *   stalled at once, each with one fault), so queueing never allocates
 *   and never fails;
 * - XE_PAGEFAULT_WORKERS workers drain the ring, each woken in turn; a
 *   worker handles faults for at most XE_PAGEFAULT_SLICE_MS, then requeues
 *   itself, so one busy VM cannot hog a CPU, and faults of different
 *   contexts are resolved in parallel;
 * - handling a fault finds the VM by its address-space id and resolves
 *   the address (xe_vm_handle_fault()); the reply says success, which
 *   replays the access, or failure, which makes the GT kill the context.
 *   A fault in a VM that is not in FAULT_MODE, or at an address nothing is
 *   bound to, fails;
 * - a fault storm costs one resolution: when a fault on mirrored memory is
 *   resolved, the faults still queued for the same range of the same
 *   address space (other contexts, other engines, hammering the same
 *   memory) are taken out of the ring and answered with success at once,
 *   without looking anything up again (xe_pagefault_queue_take()).
 *
 * Locking: the ring's spinlock is taken from the interrupt thread and the
 * workers and nests inside nothing.
 */

#define XE_PAGEFAULT_SLICE_MS		10

/**
 * xe_pagefault_queue_init() - allocate a fault ring
 * @pfq: the ring
 * @size: slots; the ring holds @size - 1 faults
 *
 * Return: 0 or -ENOMEM.
 */
VISIBLE_IF_KUNIT int xe_pagefault_queue_init(struct xe_pagefault_queue *pfq, u32 size)
{
	spin_lock_init(&pfq->lock);
	pfq->size = size;
	pfq->head = 0;
	pfq->tail = 0;
	pfq->entries = kvcalloc(size, sizeof(*pfq->entries), GFP_KERNEL);
	return pfq->entries ? 0 : -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(xe_pagefault_queue_init);

/**
 * xe_pagefault_queue_fini() - free a fault ring
 * @pfq: the ring
 */
VISIBLE_IF_KUNIT void xe_pagefault_queue_fini(struct xe_pagefault_queue *pfq)
{
	kvfree(pfq->entries);
}
EXPORT_SYMBOL_IF_KUNIT(xe_pagefault_queue_fini);

/**
 * xe_pagefault_queue_push() - add a fault from its G2H payload
 * @pfq: the ring
 * @msg: the G2H PAGE_FAULT payload
 * @len: payload dwords
 *
 * Allocates nothing; callable from any context that may take a spinlock.
 *
 * Return: 0; -EINVAL for a short payload; -ENOSPC when the ring is full.
 */
VISIBLE_IF_KUNIT int xe_pagefault_queue_push(struct xe_pagefault_queue *pfq,
					     const u32 *msg, u32 len)
{
	struct xe_pagefault *pf;
	unsigned long flags;
	u32 next;

	if (len < 9)
		return -EINVAL;

	spin_lock_irqsave(&pfq->lock, flags);
	next = (pfq->head + 1) % pfq->size;
	if (next == pfq->tail) {
		spin_unlock_irqrestore(&pfq->lock, flags);
		return -ENOSPC;
	}
	pf = &pfq->entries[pfq->head];
	pf->fault_id = msg[0];
	pf->ctx_id = msg[1];
	pf->asid = msg[2];
	pf->va = (u64)msg[4] << 32 | msg[3];
	pf->access = msg[5];
	pf->engine = msg[6];
	pf->level = msg[7];
	pf->reason = msg[8];
	pfq->head = next;
	spin_unlock_irqrestore(&pfq->lock, flags);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(xe_pagefault_queue_push);

/**
 * xe_pagefault_queue_pop() - take the oldest fault
 * @pfq: the ring
 * @pf: where to copy it
 *
 * Return: true if there was one.
 */
VISIBLE_IF_KUNIT bool xe_pagefault_queue_pop(struct xe_pagefault_queue *pfq,
					     struct xe_pagefault *pf)
{
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&pfq->lock, flags);
	if (pfq->head != pfq->tail) {
		*pf = pfq->entries[pfq->tail];
		pfq->tail = (pfq->tail + 1) % pfq->size;
		found = true;
	}
	spin_unlock_irqrestore(&pfq->lock, flags);
	return found;
}
EXPORT_SYMBOL_IF_KUNIT(xe_pagefault_queue_pop);

/**
 * xe_pagefault_queue_take() - take the queued faults a resolution answers
 * @pfq: the ring
 * @asid: address space of the resolved fault
 * @start: first address it made reachable
 * @end: end of that
 * @writable: writes and atomics are allowed there too
 * @out: where to copy the faults taken
 * @max: room in @out
 *
 * Removes from the ring, keeping the order of the others, up to @max
 * faults of @asid in [@start, @end) that the resolution serves. Allocates
 * nothing.
 *
 * Return: the number taken.
 */
VISIBLE_IF_KUNIT u32 xe_pagefault_queue_take(struct xe_pagefault_queue *pfq, u32 asid,
					     u64 start, u64 end, bool writable,
					     struct xe_pagefault *out, u32 max)
{
	unsigned long flags;
	u32 src, dst, n = 0;

	spin_lock_irqsave(&pfq->lock, flags);
	dst = pfq->tail;
	for (src = pfq->tail; src != pfq->head; src = (src + 1) % pfq->size) {
		struct xe_pagefault *pf = &pfq->entries[src];

		if (n < max && pf->asid == asid && pf->va >= start && pf->va < end &&
		    (writable || pf->access == XE_EMU_ACCESS_READ)) {
			out[n++] = *pf;
			continue;
		}
		if (dst != src)
			pfq->entries[dst] = *pf;
		dst = (dst + 1) % pfq->size;
	}
	pfq->head = dst;
	spin_unlock_irqrestore(&pfq->lock, flags);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(xe_pagefault_queue_take);

static struct xe_vm *xe_pagefault_vm(struct xe_device *xe, u32 asid)
{
	struct xe_vm *vm;

	xa_lock(&xe->vms_by_asid);
	vm = xa_load(&xe->vms_by_asid, asid);
	if (vm && !kref_get_unless_zero(&vm->gpuvm.kref))
		vm = NULL;
	xa_unlock(&xe->vms_by_asid);
	return vm;
}

static int xe_pagefault_handle(struct xe_device *xe, const struct xe_pagefault *pf,
			       struct xe_svm_span *span)
{
	struct xe_vm *vm = xe_pagefault_vm(xe, pf->asid);
	int err;

	if (!vm)
		return -ENOENT;
	if (!xe_vm_in_fault_mode(vm))
		err = -EINVAL;
	else
		err = xe_vm_handle_fault(vm, pf->va, pf->access, span);
	xe_vm_put(vm);
	return err;
}

static void xe_pagefault_reply(struct xe_device *xe, const struct xe_pagefault *pf, int err)
{
	u32 reply[2] = { pf->fault_id, 0 };

	if (err) {
		drm_dbg(&xe->drm, "fault at %#llx (asid %u, access %u, reason %u) failed: %d\n",
			pf->va, pf->asid, pf->access, pf->reason, err);
		reply[1] = 1;
		atomic64_inc(&xe->pf.failed);
	}
	atomic64_inc(&xe->pf.handled);
	xe_ct_send(xe, XE_EMU_H2G_PAGE_FAULT_REPLY, reply, ARRAY_SIZE(reply));
}

/* Answers the queued faults that @span, just made reachable, serves. */
static void xe_pagefault_coalesce(struct xe_device *xe, u32 asid, const struct xe_svm_span *span)
{
	struct xe_pagefault taken[16];
	u32 i, n;

	do {
		n = xe_pagefault_queue_take(&xe->pf.queue, asid, span->start, span->end,
					    span->writable, taken, ARRAY_SIZE(taken));
		for (i = 0; i < n; i++)
			xe_pagefault_reply(xe, &taken[i], 0);
		if (n)
			xe_svm_coalesced(xe, n);
	} while (n == ARRAY_SIZE(taken));
}

static void xe_pagefault_work(struct work_struct *work)
{
	struct xe_pagefault_worker *worker = container_of(work, typeof(*worker), work);
	struct xe_device *xe = worker->xe;
	ktime_t slice_end = ktime_add_ms(ktime_get(), XE_PAGEFAULT_SLICE_MS);
	struct xe_pagefault pf;

	while (xe_pagefault_queue_pop(&xe->pf.queue, &pf)) {
		struct xe_svm_span span = {};
		int err = xe_pagefault_handle(xe, &pf, &span);

		xe_pagefault_reply(xe, &pf, err);
		if (!err && span.end)
			xe_pagefault_coalesce(xe, pf.asid, &span);

		if (ktime_after(ktime_get(), slice_end)) {
			queue_work(xe->pf.wq, work);
			break;
		}
	}
}

/**
 * xe_pagefault_g2h() - queue a fault the GT reported
 * @xe: the device
 * @msg: the G2H PAGE_FAULT payload
 * @len: payload dwords
 *
 * Called from the interrupt thread; allocates nothing.
 */
void xe_pagefault_g2h(struct xe_device *xe, const u32 *msg, u32 len)
{
	int err = xe_pagefault_queue_push(&xe->pf.queue, msg, len);

	/* A full ring means more stalled contexts than the GT has: a GT bug. */
	if (err) {
		drm_err_ratelimited(&xe->drm, "page fault dropped: %d\n", err);
		return;
	}
	/* Spread faults over the workers; each drains what it finds. */
	xe->pf.next_worker = (xe->pf.next_worker + 1) % XE_PAGEFAULT_WORKERS;
	queue_work(xe->pf.wq, &xe->pf.workers[xe->pf.next_worker].work);
}

static void xe_pagefault_fini(struct drm_device *drm, void *arg)
{
	struct xe_device *xe = to_xe_device(drm);

	destroy_workqueue(xe->pf.wq);
	xe_pagefault_queue_fini(&xe->pf.queue);
}

/**
 * xe_pagefault_init() - set up the fault consumer
 * @xe: the device
 *
 * Return: 0 or -ENOMEM.
 */
int xe_pagefault_init(struct xe_device *xe)
{
	unsigned int i;
	int err;

	for (i = 0; i < XE_PAGEFAULT_WORKERS; i++) {
		xe->pf.workers[i].xe = xe;
		INIT_WORK(&xe->pf.workers[i].work, xe_pagefault_work);
	}
	/* Each context stalls on at most one fault: room for all of them. */
	err = xe_pagefault_queue_init(&xe->pf.queue, XE_EMU_MAX_CONTEXTS + 1);
	if (err)
		return err;
	xe->pf.wq = alloc_workqueue("xe-pagefault", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!xe->pf.wq) {
		xe_pagefault_queue_fini(&xe->pf.queue);
		return -ENOMEM;
	}
	return drmm_add_action_or_reset(&xe->drm, xe_pagefault_fini, NULL);
}
