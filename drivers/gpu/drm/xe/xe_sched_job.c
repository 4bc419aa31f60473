// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/mm.h>
#include <linux/slab.h>

#include "xe_device_types.h"
#include "xe_exec_queue.h"
#include "xe_hw_fence.h"
#include "xe_sched_job.h"

/**
 * DOC: Jobs
 *
 * A job is created (allocating everything it will need), then armed and
 * pushed under the queue's lock, which fixes its seqno and its place in
 * the queue. Between creation and arming it may gather dependencies; a job
 * that is never armed is freed with xe_sched_job_free().
 */

static struct xe_sched_job *xe_sched_job_alloc(struct xe_exec_queue *q, u32 credits)
{
	struct xe_sched_job *job;
	int err;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return ERR_PTR(-ENOMEM);

	job->hw = xe_hw_fence_alloc();
	if (!job->hw) {
		kfree(job);
		return ERR_PTR(-ENOMEM);
	}

	err = drm_sched_job_init(&job->drm, &q->entity, credits, q, 0);
	if (err) {
		kfree(job->hw);
		kfree(job);
		return ERR_PTR(err);
	}

	job->q = xe_exec_queue_get(q);
	atomic_inc(&q->jobs);
	return job;
}

/**
 * xe_sched_job_create() - create a job for a queue
 * @q: the queue
 * @batch_addr: GPU virtual address of the batch
 *
 * Return: the job, or an ERR_PTR: -ENOMEM, or the scheduler's error.
 */
struct xe_sched_job *xe_sched_job_create(struct xe_exec_queue *q, u64 batch_addr)
{
	struct xe_sched_job *job = xe_sched_job_alloc(q, 1);

	if (!IS_ERR(job))
		job->batch_addr = batch_addr;
	return job;
}

/**
 * xe_sched_job_create_cmds() - create a job that runs commands from the ring
 * @q: a physical queue, whose scheduler counts credits in ring dwords
 * @cmds: the commands; the job owns them from here (kvfree) even on error
 * @num_cmds: dwords in @cmds
 *
 * Return: the job, or an ERR_PTR: -ENOMEM, or the scheduler's error.
 */
struct xe_sched_job *xe_sched_job_create_cmds(struct xe_exec_queue *q, u32 *cmds,
					      u32 num_cmds)
{
	struct xe_sched_job *job;

	job = xe_sched_job_alloc(q, num_cmds + XE_SCHED_JOB_RING_DWORDS);
	if (IS_ERR(job)) {
		kvfree(cmds);
		return job;
	}
	job->cmds = cmds;
	job->num_cmds = num_cmds;
	return job;
}

/**
 * xe_sched_job_arm() - give a job its seqno and fences
 * @job: the job
 *
 * Called with the queue's lock held, followed by xe_sched_job_push() under
 * the same lock.
 *
 * Return: 0, or -ECANCELED if the queue stopped.
 */
int xe_sched_job_arm(struct xe_sched_job *job)
{
	struct xe_exec_queue *q = job->q;

	lockdep_assert_held(&q->lock);
	if (q->killed || q->error)
		return -ECANCELED;

	job->seqno = ++q->next_seqno;
	job->hw_fence = xe_hw_fence_init(job->hw, &q->hwe->fence_irq, q->fence_ctx,
					 job->seqno, q->lrc.seqno, q->hwe->name);
	drm_sched_job_arm(&job->drm);
	return 0;
}

/**
 * xe_sched_job_push() - hand an armed job to the scheduler
 * @job: the job; the scheduler owns it from here
 */
void xe_sched_job_push(struct xe_sched_job *job)
{
	lockdep_assert_held(&job->q->lock);
	drm_sched_entity_push_job(&job->drm);
}

/**
 * xe_sched_job_free() - free a job
 * @job: the job, armed or not; if armed, after the scheduler is done
 */
void xe_sched_job_free(struct xe_sched_job *job)
{
	struct xe_exec_queue *q = job->q;

	if (job->hw_fence)
		dma_fence_put(job->hw_fence);
	else
		kfree(job->hw);
	kvfree(job->cmds);
	kfree(job);

	if (atomic_dec_and_test(&q->jobs))
		wake_up_all(&q->jobs_wq);
	xe_exec_queue_put(q);
}
