// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/xarray.h>

#include <drm/drm_managed.h>

#include "emu/xe_emu_hw.h"
#include "xe_ct.h"
#include "xe_device_types.h"
#include "xe_exec_queue.h"
#include "xe_hw_fence.h"
#include "xe_sched_job.h"
#include "xe_submit.h"
#include "xe_vm.h"

/**
 * DOC: Submission
 *
 * Each exec queue has a DRM scheduler of its own (1:1 with its entity),
 * which resolves a job's dependencies and then calls run_job(). run_job()
 * writes the job into the queue's hardware context and tells the GT to run
 * the context (H2G CONTEXT_RUN); the GT picks contexts of an engine in
 * turn, so the scheduler does not have to. A job's ring commands are::
 *
 *	MI_BATCH_BUFFER_START	batch, through the VM's page tables
 *	MI_STORE_DATA_IMM	user fence value, through the page tables (optional)
 *	MI_FLUSH_DW		post-sync write of the seqno, physical
 *	MI_USER_INTERRUPT
 *
 * so the hardware fence (the seqno) signals only after the batch and the
 * user fence have landed.
 *
 * A queue stops for good when the GT reports an error for its context (a
 * bad command, an access a non-faulting VM does not map, a page fault the
 * driver could not resolve), when one of its jobs times out, or when it is
 * destroyed: the driver deregisters the context, waits until the GT has let
 * go of it, and signals the queue's unfinished hardware fences with the
 * error (-EIO, -ETIME or -ECANCELED). Jobs that have not reached the GT
 * fail with the same error.
 *
 * Locking: &xe_exec_queue.lock orders job arming, run_job() and stopping;
 * under it the driver may send H2G messages (&xe_ct.lock nests inside) and
 * wait for the GT, but never allocates memory: run_job() is in the
 * fence-signalling path. The context-id xarray's lock protects lookups
 * from the interrupt thread.
 */

#define XE_SUBMIT_CREDITS		64
#define XE_SUBMIT_DEREG_TIMEOUT		(5 * HZ)
#define XE_JOB_MAX_DWORDS		XE_SCHED_JOB_RING_DWORDS
#define XE_SUBMIT_RING_SIZE		SZ_16K
/* Physical queues run migration commands from a large ring. */
#define XE_SUBMIT_PHYS_RING_SIZE	SZ_1M

static unsigned int xe_job_timeout_ms = 10000;
module_param_named(job_timeout_ms, xe_job_timeout_ms, uint, 0600);
MODULE_PARM_DESC(job_timeout_ms,
		 "A job running longer than this gets its exec queue banned (default 10000)");

/* Writes the job's trailer (and batch start) into @dw; returns dwords. */
static u32 xe_submit_emit_job(struct xe_sched_job *job, u32 *dw)
{
	struct xe_lrc *lrc = &job->q->lrc;
	u32 i = 0;

	if (!(job->q->flags & XE_EXEC_QUEUE_PHYSICAL)) {
		dw[i++] = XE_EMU_MI_BATCH_BUFFER_START | XE_EMU_MI_BB_PPGTT | (3 - 2);
		dw[i++] = lower_32_bits(job->batch_addr);
		dw[i++] = upper_32_bits(job->batch_addr);
	}

	if (job->ufence_addr) {
		dw[i++] = XE_EMU_MI_STORE_DATA_IMM | XE_EMU_MI_SDI_QW | (5 - 2);
		dw[i++] = lower_32_bits(job->ufence_addr);
		dw[i++] = upper_32_bits(job->ufence_addr);
		dw[i++] = lower_32_bits(job->ufence_value);
		dw[i++] = upper_32_bits(job->ufence_value);
	}

	dw[i++] = XE_EMU_MI_FLUSH_DW | XE_EMU_MI_FLUSH_STOREDW | (4 - 2);
	dw[i++] = lower_32_bits(lrc->seqno_dma) | XE_EMU_MI_FLUSH_GGTT;
	dw[i++] = upper_32_bits(lrc->seqno_dma);
	dw[i++] = job->seqno;
	dw[i++] = XE_EMU_MI_USER_INTERRUPT;
	dw[i++] = XE_EMU_MI_NOOP;

	return i;
}

static struct dma_fence *xe_submit_run_job(struct drm_sched_job *drm_job)
{
	struct xe_sched_job *job = to_xe_sched_job(drm_job);
	struct xe_exec_queue *q = job->q;
	u32 dw[XE_JOB_MAX_DWORDS], n;
	bool cookie;
	int err = 0;

	/* Everything up to returning the fence must not wait for memory. */
	cookie = dma_fence_begin_signalling();
	mutex_lock(&q->lock);
	if (q->error || !q->registered) {
		err = q->error ?: -ECANCELED;
		goto out;
	}

	n = xe_submit_emit_job(job, dw);
	if (drm_WARN_ON(&q->xe->drm,
			xe_lrc_ring_space(&q->lrc) < (n + job->num_cmds) * 4)) {
		err = -ENOSPC;
		goto out;
	}

	/* On the engine's pending list before the GT can finish the job. */
	dma_fence_enable_sw_signaling(job->hw_fence);
	xe_lrc_emit(&q->lrc, job->cmds, job->num_cmds);
	xe_lrc_emit(&q->lrc, dw, n);
	xe_lrc_publish_tail(&q->lrc);
	err = xe_ct_send(q->xe, XE_EMU_H2G_CONTEXT_RUN, &q->ctx_id, 1);
out:
	mutex_unlock(&q->lock);
	dma_fence_end_signalling(cookie);
	if (err)
		return ERR_PTR(err);
	return dma_fence_get(job->hw_fence);
}

/*
 * The scheduler takes a timed-out job off its pending list before calling
 * here, so that nothing frees it under the handler; giving it back is the
 * driver's job. Stopping the queue signals the job's hardware fence, and
 * every later one, with -ETIME, which completes their scheduler fences
 * with that error. The job then goes back to the head of the list and the
 * free worker is kicked, since the completion that would have kicked it
 * came while the job was off the list. (drm_sched_stop() and
 * drm_sched_start() would also return the job, but replace the error with
 * -ECANCELED.)
 */
static enum drm_gpu_sched_stat xe_submit_timedout_job(struct drm_sched_job *drm_job)
{
	struct xe_sched_job *job = to_xe_sched_job(drm_job);
	struct drm_gpu_scheduler *sched = drm_job->sched;
	struct xe_exec_queue *q = job->q;

	if (!dma_fence_is_signaled(job->hw_fence)) {
		drm_dbg(&q->xe->drm, "job %u on %s timed out, banning the queue\n",
			job->seqno, q->name);
		xe_submit_queue_stop(q, -ETIME);
	}

	/* From here on the job may be freed at any time. */
	spin_lock(&sched->job_list_lock);
	list_add(&drm_job->list, &sched->pending_list);
	spin_unlock(&sched->job_list_lock);
	drm_sched_wqueue_start(sched);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void xe_submit_free_job(struct drm_sched_job *drm_job)
{
	struct xe_sched_job *job = to_xe_sched_job(drm_job);

	drm_sched_job_cleanup(drm_job);
	xe_sched_job_free(job);
}

static const struct drm_sched_backend_ops xe_sched_ops = {
	.run_job = xe_submit_run_job,
	.timedout_job = xe_submit_timedout_job,
	.free_job = xe_submit_free_job,
};

static void xe_submit_stop_work(struct work_struct *work)
{
	struct xe_exec_queue *q = container_of(work, struct xe_exec_queue, stop_work);

	xe_submit_queue_stop(q, -EIO);
	xe_exec_queue_put(q);
}

/*
 * Slots are recycled, never freed until the device goes: a free slot's
 * list link sits after the scheduler, which a late fence may still read.
 */
struct xe_sched_slot_entry {
	struct xe_sched_slot slot;
	struct list_head all;
};

static struct xe_sched_slot *xe_submit_slot_get(struct xe_device *xe)
{
	struct xe_sched_slot_entry *entry;
	struct xe_sched_slot *slot;

	spin_lock(&xe->submit.slot_lock);
	slot = list_first_entry_or_null(&xe->submit.free_slots, struct xe_sched_slot, link);
	if (slot)
		list_del(&slot->link);
	spin_unlock(&xe->submit.slot_lock);
	if (slot)
		return slot;

	entry = kzalloc(sizeof(*entry), GFP_KERNEL);
	if (!entry)
		return NULL;
	spin_lock(&xe->submit.slot_lock);
	list_add(&entry->all, &xe->submit.all_slots);
	spin_unlock(&xe->submit.slot_lock);
	return &entry->slot;
}

static void xe_submit_slot_put(struct xe_device *xe, struct xe_sched_slot *slot)
{
	spin_lock(&xe->submit.slot_lock);
	list_add(&slot->link, &xe->submit.free_slots);
	spin_unlock(&xe->submit.slot_lock);
}

static void xe_submit_fini(struct drm_device *drm, void *arg)
{
	struct xe_device *xe = to_xe_device(drm);
	struct xe_sched_slot_entry *entry, *next;

	drm_WARN_ON(drm, !xa_empty(&xe->submit.contexts));
	xa_destroy(&xe->submit.contexts);
	destroy_workqueue(xe->submit.wq);
	list_for_each_entry_safe(entry, next, &xe->submit.all_slots, all)
		kfree(entry);
}

/**
 * xe_submit_init() - set up submission for a device
 * @xe: the device
 *
 * The schedulers of all exec queues share one workqueue. Left to itself,
 * drm_sched_init() would give each queue an ordered workqueue of its own,
 * with a rescuer thread: thousands of queues would mean thousands of
 * threads, and creating or destroying a queue would cost a thread's start
 * or stop. The scheduler's run_job and free_job work may then run at the
 * same time for one queue; run_job serialises on the queue's lock and
 * free_job touches nothing it uses.
 *
 * Return: 0 or a negative errno.
 */
int xe_submit_init(struct xe_device *xe)
{
	xe->submit.wq = alloc_workqueue("xe-submit", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!xe->submit.wq)
		return -ENOMEM;
	xa_init_flags(&xe->submit.contexts, XA_FLAGS_ALLOC1);
	INIT_LIST_HEAD(&xe->submit.free_slots);
	INIT_LIST_HEAD(&xe->submit.all_slots);
	spin_lock_init(&xe->submit.slot_lock);
	return drmm_add_action_or_reset(&xe->drm, xe_submit_fini, NULL);
}

static u32 xe_submit_engine_id(struct xe_exec_queue *q)
{
	u32 class = q->hwe->class == XE_ENGINE_CLASS_COPY ?
		    XE_EMU_ENGINE_CLASS_COPY : XE_EMU_ENGINE_CLASS_COMPUTE;

	return class << 8 | q->hwe->instance;
}

/**
 * xe_submit_queue_init() - give an exec queue a hardware context
 * @q: the queue, with its VM (or XE_EXEC_QUEUE_PHYSICAL) and engine set
 *
 * Allocates the context, registers it with the GT and starts the queue's
 * scheduler.
 *
 * Return: 0; -ENOSPC when the GT has no free context id; -ENOMEM; or the
 * transport's error.
 */
int xe_submit_queue_init(struct xe_exec_queue *q)
{
	struct xe_device *xe = q->xe;
	struct drm_sched_init_args args = {
		.ops = &xe_sched_ops,
		.num_rqs = 1,
		.credit_limit = XE_SUBMIT_CREDITS,
		.timeout = msecs_to_jiffies(xe_job_timeout_ms),
		.dev = xe->drm.dev,
		.submit_wq = xe->submit.wq,
	};
	struct drm_gpu_scheduler *sched;
	u32 flags = 0, payload[3];
	u32 ring_size = XE_SUBMIT_RING_SIZE;
	u64 pt_root = 0;
	u32 asid = 0;
	int err;

	q->slot = xe_submit_slot_get(xe);
	if (!q->slot)
		return -ENOMEM;
	sched = &q->slot->sched;
	strscpy(q->slot->name, q->name, sizeof(q->slot->name));
	args.name = q->slot->name;

	err = xa_alloc(&xe->submit.contexts, &q->ctx_id, q,
		       XA_LIMIT(1, XE_EMU_MAX_CONTEXTS - 1), GFP_KERNEL);
	if (err)
		return err == -EBUSY ? -ENOSPC : err;

	if (q->flags & XE_EXEC_QUEUE_PHYSICAL) {
		flags |= XE_EMU_CTX_PHYSICAL;
		ring_size = XE_SUBMIT_PHYS_RING_SIZE;
		/* Credits are ring dwords; half the ring keeps head and tail apart. */
		args.credit_limit = ring_size / 8;
	} else {
		pt_root = xe_vm_pt_root(q->vm);
		asid = q->vm->asid;
		if (xe_vm_in_fault_mode(q->vm))
			flags |= XE_EMU_CTX_FAULTABLE;
	}

	err = xe_lrc_init(xe, &q->lrc, xe_submit_engine_id(q), flags, pt_root, asid,
			  ring_size);
	if (err)
		goto err_id;

	err = drm_sched_init(sched, &args);
	if (err)
		goto err_lrc;

	/* One entity per scheduler: a single run queue, index 0. */
	err = drm_sched_entity_init(&q->entity, DRM_SCHED_PRIORITY_KERNEL, &sched, 1, NULL);
	if (err)
		goto err_sched;

	payload[0] = q->ctx_id;
	payload[1] = lower_32_bits(q->lrc.desc_dma);
	payload[2] = upper_32_bits(q->lrc.desc_dma);
	err = xe_ct_send(xe, XE_EMU_H2G_CONTEXT_REGISTER, payload, 3);
	if (err)
		goto err_entity;
	q->registered = true;

	return 0;

err_entity:
	drm_sched_entity_destroy(&q->entity);
err_sched:
	drm_sched_fini(sched);
err_lrc:
	xe_lrc_fini(xe, &q->lrc);
err_id:
	xa_erase(&xe->submit.contexts, q->ctx_id);
	q->ctx_id = 0;
	xe_submit_slot_put(xe, q->slot);
	q->slot = NULL;
	return err;
}

/**
 * xe_submit_queue_stop() - stop a queue's context for good
 * @q: the queue
 * @error: why; the first error given is kept
 *
 * Deregisters the context, waits until the GT has let go of it, then
 * signals the queue's unfinished hardware fences with the queue's error.
 * Later jobs fail without reaching the GT. May sleep.
 */
void xe_submit_queue_stop(struct xe_exec_queue *q, int error)
{
	struct xe_device *xe = q->xe;

	mutex_lock(&q->lock);
	if (!q->error)
		WRITE_ONCE(q->error, error);

	if (q->registered) {
		reinit_completion(&q->deregistered);
		if (!xe_ct_send(xe, XE_EMU_H2G_CONTEXT_DEREGISTER, &q->ctx_id, 1) &&
		    wait_for_completion_timeout(&q->deregistered, XE_SUBMIT_DEREG_TIMEOUT))
			q->registered = false;
		else
			drm_err(&xe->drm, "GT did not let go of context %u\n", q->ctx_id);
	}
	mutex_unlock(&q->lock);

	if (!q->registered)
		xe_hw_fence_irq_cancel(&q->hwe->fence_irq, q->lrc.seqno, q->error);
	/* Waiters on the queue's user fences learn it is banned. */
	wake_up_all(&xe->ufence_wq);
}

/**
 * xe_submit_queue_fini() - tear down a queue's submission
 * @q: the queue
 *
 * Jobs not yet on the GT are dropped, jobs on it are stopped; returns when
 * every job is freed.
 */
void xe_submit_queue_fini(struct xe_exec_queue *q)
{
	struct xe_device *xe = q->xe;

	mutex_lock(&q->lock);
	q->killed = true;
	mutex_unlock(&q->lock);

	drm_sched_entity_destroy(&q->entity);
	xe_submit_queue_stop(q, -ECANCELED);
	/* A pending error report holds a reference the caller still outlives. */
	if (cancel_work_sync(&q->stop_work))
		xe_exec_queue_put(q);
	wait_event(q->jobs_wq, !atomic_read(&q->jobs));
	drm_sched_fini(&q->slot->sched);
	xe_submit_slot_put(xe, q->slot);
	q->slot = NULL;

	xa_erase(&xe->submit.contexts, q->ctx_id);
	/* A context the GT may still touch cannot be freed: leak it. */
	if (!q->registered)
		xe_lrc_fini(xe, &q->lrc);
	q->ctx_id = 0;
}

/**
 * xe_submit_context_error() - the GT stopped a context on an error
 * @xe: the device
 * @ctx_id: the context
 * @reason: XE_EMU_CTX_ERR_*
 * @detail: faulting address or offending command
 *
 * Called from the interrupt thread; the queue is stopped from a worker,
 * since stopping waits for a G2H message this thread delivers.
 */
void xe_submit_context_error(struct xe_device *xe, u32 ctx_id, u32 reason, u64 detail)
{
	struct xe_exec_queue *q;

	xa_lock(&xe->submit.contexts);
	q = xa_load(&xe->submit.contexts, ctx_id);
	if (q && !kref_get_unless_zero(&q->refcount))
		q = NULL;
	xa_unlock(&xe->submit.contexts);
	if (!q) {
		drm_dbg(&xe->drm, "error %u on unknown context %u\n", reason, ctx_id);
		return;
	}

	drm_dbg(&xe->drm, "%s: GT error %u (detail %#llx), banning the queue\n",
		q->name, reason, detail);
	cmpxchg(&q->error, 0, -EIO);
	if (!queue_work(system_unbound_wq, &q->stop_work))
		xe_exec_queue_put(q);
}

/**
 * xe_submit_deregister_done() - the GT let go of a context
 * @xe: the device
 * @ctx_id: the context
 *
 * Called from the interrupt thread.
 */
void xe_submit_deregister_done(struct xe_device *xe, u32 ctx_id)
{
	struct xe_exec_queue *q;

	xa_lock(&xe->submit.contexts);
	q = xa_load(&xe->submit.contexts, ctx_id);
	if (q)
		complete(&q->deregistered);
	xa_unlock(&xe->submit.contexts);
}

/**
 * xe_submit_stop_work_init() - prepare a queue's error handling
 * @q: the queue
 */
void xe_submit_stop_work_init(struct xe_exec_queue *q)
{
	INIT_WORK(&q->stop_work, xe_submit_stop_work);
}
