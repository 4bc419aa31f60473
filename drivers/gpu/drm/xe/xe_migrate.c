// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/bitfield.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include <drm/drm_managed.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_tt.h>

#include "emu/xe_emu_hw.h"
#include "xe_device_types.h"
#include "xe_exec_queue.h"
#include "xe_migrate.h"
#include "xe_res_cursor.h"
#include "xe_sched_job.h"

/**
 * DOC: Migration
 *
 * The copy engine moves BOs between system memory and VRAM and clears new
 * VRAM. A kernel exec queue on the first copy engine runs a physical
 * context: its commands name bus addresses of system pages and
 * device-memory offsets (XE_EMU_ADDR_DM) directly, so no page tables are
 * involved. A move becomes MEM_COPY commands in page mode, one per run of
 * pages contiguous on both sides, written into the queue's ring as jobs of
 * at most XE_MIGRATE_JOB_DWORDS; clearing is MEM_SET over each VRAM block.
 * The caller waits for the last job's fence: jobs of one queue complete in
 * order, so that fence covers every byte.
 *
 * A copy the engine fails (the GT reports an error for the context) fails
 * the move with the error, leaving the BO where it was, and the queue,
 * now banned, is replaced by a new one for the next move.
 *
 * Locking: &xe_device.migrate.lock serialises users of the queue and its
 * replacement. It is taken under BO reservations (TTM moves) and takes
 * only the queue's own locks.
 */

#define XE_MIGRATE_JOB_DWORDS		16384
#define XE_MIGRATE_COPY_DWORDS		10
#define XE_MIGRATE_SET_DWORDS		7
#define XE_MIGRATE_MAX_SET		SZ_1G

struct xe_migrate_batch {
	struct xe_device *xe;
	struct xe_exec_queue *q;
	struct dma_fence *last;
	u32 *cmds;
	u32 len;
	int err;
};

static void xe_migrate_flush(struct xe_migrate_batch *b)
{
	struct xe_exec_queue *q = b->q;
	struct xe_sched_job *job;

	if (!b->len || b->err)
		return;

	job = xe_sched_job_create_cmds(q, b->cmds, b->len);
	b->cmds = NULL;
	b->len = 0;
	if (IS_ERR(job)) {
		b->err = PTR_ERR(job);
		return;
	}

	mutex_lock(&q->lock);
	b->err = xe_sched_job_arm(job);
	if (!b->err) {
		dma_fence_put(b->last);
		b->last = dma_fence_get(&job->drm.s_fence->finished);
		xe_sched_job_push(job);
	}
	mutex_unlock(&q->lock);
	if (b->err) {
		drm_sched_job_cleanup(&job->drm);
		xe_sched_job_free(job);
	}
}

static u32 *xe_migrate_reserve(struct xe_migrate_batch *b, u32 dwords)
{
	if (b->err)
		return NULL;
	if (b->cmds && b->len + dwords > XE_MIGRATE_JOB_DWORDS)
		xe_migrate_flush(b);
	if (!b->cmds && !b->err) {
		b->cmds = kvmalloc_array(XE_MIGRATE_JOB_DWORDS, sizeof(u32), GFP_KERNEL);
		if (!b->cmds)
			b->err = -ENOMEM;
	}
	if (b->err)
		return NULL;
	b->len += dwords;
	return b->cmds + b->len - dwords;
}

static void xe_migrate_emit_copy(struct xe_migrate_batch *b, u64 src, u64 dst, u64 pages)
{
	u32 *cs = xe_migrate_reserve(b, XE_MIGRATE_COPY_DWORDS);

	if (!cs)
		return;
	*cs++ = XE_EMU_MEM_COPY | XE_EMU_MEM_COPY_PAGE | (XE_MIGRATE_COPY_DWORDS - 2);
	*cs++ = pages - 1;
	*cs++ = 0;
	*cs++ = PAGE_SIZE - 1;
	*cs++ = PAGE_SIZE - 1;
	*cs++ = lower_32_bits(src);
	*cs++ = upper_32_bits(src);
	*cs++ = lower_32_bits(dst);
	*cs++ = upper_32_bits(dst);
	*cs++ = 0;
}

static void xe_migrate_emit_set(struct xe_migrate_batch *b, u64 dst, u64 bytes)
{
	u32 *cs = xe_migrate_reserve(b, XE_MIGRATE_SET_DWORDS);

	if (!cs)
		return;
	*cs++ = XE_EMU_MEM_SET | (XE_MIGRATE_SET_DWORDS - 2);
	*cs++ = bytes - 1;
	*cs++ = 0;
	*cs++ = 0;
	*cs++ = lower_32_bits(dst);
	*cs++ = upper_32_bits(dst);
	*cs++ = FIELD_PREP(XE_EMU_MEM_SET_DATA, 0);
}

static int xe_migrate_begin(struct xe_device *xe, struct xe_migrate_batch *b)
{
	struct xe_hw_engine *hwe = xe->migrate.q->hwe;

	mutex_lock(&xe->migrate.lock);
	if (xe_exec_queue_is_banned(xe->migrate.q)) {
		struct xe_exec_queue *q = xe_exec_queue_create_kernel(xe, hwe,
								      XE_EXEC_QUEUE_PHYSICAL);

		if (IS_ERR(q)) {
			mutex_unlock(&xe->migrate.lock);
			return PTR_ERR(q);
		}
		xe_exec_queue_destroy_kernel(xe->migrate.q);
		xe->migrate.q = q;
	}

	memset(b, 0, sizeof(*b));
	b->xe = xe;
	b->q = xe->migrate.q;
	return 0;
}

/* Submits what is left and waits for all of it. */
static int xe_migrate_end(struct xe_migrate_batch *b)
{
	long ret;

	xe_migrate_flush(b);
	kvfree(b->cmds);
	if (b->last) {
		ret = dma_fence_wait(b->last, false);
		if (!b->err)
			b->err = ret ?: b->last->error;
		dma_fence_put(b->last);
	}
	mutex_unlock(&b->xe->migrate.lock);
	return b->err;
}

/**
 * xe_migrate_copy() - copy a BO between its system pages and VRAM
 * @xe: the device
 * @tbo: the BO, reserved, with populated system pages (&ttm_buffer_object.ttm)
 * @vram: the VRAM resource on the other side
 * @to_vram: copy from the system pages to @vram, else the other way
 *
 * Return: 0 once every byte is copied; the copy engine's error (e.g. -EIO),
 * -ENOMEM, or -ENODEV when the GT is gone.
 */
int xe_migrate_copy(struct xe_device *xe, struct ttm_buffer_object *tbo,
		    struct ttm_resource *vram, bool to_vram)
{
	dma_addr_t *sys = tbo->ttm->dma_address;
	struct xe_migrate_batch b;
	struct xe_res_cursor cur;
	pgoff_t i = 0;
	int err;

	err = xe_migrate_begin(xe, &b);
	if (err)
		return err;

	xe_res_first(vram, &xe->mem.vram.mm, 0, tbo->base.size, &cur);
	while (cur.remaining && !b.err) {
		u64 dev = cur.start | XE_EMU_ADDR_DM;
		u64 pages = 1;

		/* Grow the run while system pages stay contiguous too. */
		while ((pages << PAGE_SHIFT) < cur.size &&
		       sys[i + pages] == sys[i] + (pages << PAGE_SHIFT))
			pages++;

		if (to_vram)
			xe_migrate_emit_copy(&b, sys[i], dev, pages);
		else
			xe_migrate_emit_copy(&b, dev, sys[i], pages);
		i += pages;
		xe_res_next(&cur, pages << PAGE_SHIFT);
	}

	return xe_migrate_end(&b);
}

/**
 * xe_migrate_clear() - zero a VRAM resource
 * @xe: the device
 * @vram: the resource
 * @size: bytes to clear from its start
 *
 * Return: 0 once cleared, or as xe_migrate_copy().
 */
int xe_migrate_clear(struct xe_device *xe, struct ttm_resource *vram, u64 size)
{
	struct xe_migrate_batch b;
	struct xe_res_cursor cur;
	int err;

	err = xe_migrate_begin(xe, &b);
	if (err)
		return err;

	xe_res_first(vram, &xe->mem.vram.mm, 0, size, &cur);
	while (cur.remaining && !b.err) {
		u64 bytes = min_t(u64, cur.size, XE_MIGRATE_MAX_SET);

		xe_migrate_emit_set(&b, cur.start | XE_EMU_ADDR_DM, bytes);
		xe_res_next(&cur, bytes);
	}

	return xe_migrate_end(&b);
}

static void xe_migrate_fini(void *arg)
{
	struct xe_device *xe = arg;

	xe_exec_queue_destroy_kernel(xe->migrate.q);
	xe->migrate.q = NULL;
}

/**
 * xe_migrate_init() - create the migration queue
 * @xe: the device, with submission running
 *
 * The queue goes away when the device unbinds, before submission does.
 *
 * Return: 0 or a negative errno.
 */
int xe_migrate_init(struct xe_device *xe)
{
	struct xe_hw_engine *hwe = NULL;
	unsigned int i;
	int err;

	for (i = 0; i < xe->num_hw_engines && !hwe; i++)
		if (xe->hw_engines[i].class == XE_ENGINE_CLASS_COPY)
			hwe = &xe->hw_engines[i];
	if (!hwe)
		return -ENODEV;

	err = drmm_mutex_init(&xe->drm, &xe->migrate.lock);
	if (err)
		return err;

	xe->migrate.q = xe_exec_queue_create_kernel(xe, hwe, XE_EXEC_QUEUE_PHYSICAL);
	if (IS_ERR(xe->migrate.q))
		return PTR_ERR(xe->migrate.q);

	return devm_add_action_or_reset(xe->drm.dev, xe_migrate_fini, xe);
}
