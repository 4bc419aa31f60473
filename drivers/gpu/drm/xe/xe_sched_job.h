/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_SCHED_JOB_H_
#define _XE_SCHED_JOB_H_

#include <drm/gpu_scheduler.h>

struct xe_exec_queue;
struct xe_hw_fence;

/**
 * struct xe_sched_job - one batch submitted to an exec queue
 */
struct xe_sched_job {
	/** @drm: the scheduler's job */
	struct drm_sched_job drm;
	/** @q: the queue, referenced */
	struct xe_exec_queue *q;
	/** @hw: memory of the hardware fence, allocated at creation */
	struct xe_hw_fence *hw;
	/** @hw_fence: signalled by the GT when the job is done, set at arm */
	struct dma_fence *hw_fence;
	/** @seqno: seqno the job writes when done */
	u32 seqno;
	/** @batch_addr: GPU virtual address of the batch */
	u64 batch_addr;
	/** @ufence_addr: GPU virtual address of a user fence, or 0 */
	u64 ufence_addr;
	/** @ufence_value: value written to @ufence_addr when done */
	u64 ufence_value;
	/** @cmds: commands to run from the ring (physical queues), or NULL */
	u32 *cmds;
	/** @num_cmds: dwords in @cmds */
	u32 num_cmds;
};

/* Ring dwords a job needs besides its commands: see xe_submit.c. */
#define XE_SCHED_JOB_RING_DWORDS	16

/**
 * to_xe_sched_job() - the xe job around a scheduler job
 * @job: a scheduler job of the xe driver
 *
 * Return: the &struct xe_sched_job.
 */
static inline struct xe_sched_job *to_xe_sched_job(struct drm_sched_job *job)
{
	return container_of(job, struct xe_sched_job, drm);
}

struct xe_sched_job *xe_sched_job_create(struct xe_exec_queue *q, u64 batch_addr);
struct xe_sched_job *xe_sched_job_create_cmds(struct xe_exec_queue *q, u32 *cmds,
					      u32 num_cmds);
int xe_sched_job_arm(struct xe_sched_job *job);
void xe_sched_job_push(struct xe_sched_job *job);
void xe_sched_job_free(struct xe_sched_job *job);

#endif
