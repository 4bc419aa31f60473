/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_EXEC_QUEUE_TYPES_H_
#define _XE_EXEC_QUEUE_TYPES_H_

#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <drm/gpu_scheduler.h>

#include "xe_lrc.h"

struct xe_device;
struct xe_hw_engine;
struct xe_vm;

/**
 * struct xe_sched_slot - memory for an exec queue's scheduler
 *
 * A scheduler's fences point at it and may outlive the queue in syncobjs
 * and reservations; they read its name. A slot is therefore never freed
 * while the device lives: a destroyed queue's slot is kept for the next
 * queue, so the memory such a fence reads stays valid.
 */
struct xe_sched_slot {
	/** @sched: the scheduler */
	struct drm_gpu_scheduler sched;
	/** @name: the scheduler's name */
	char name[24];
	/** @link: entry in the device's list of free slots */
	struct list_head link;
};

/* The queue carries binds, not jobs, and has no hardware context. */
#define XE_EXEC_QUEUE_BIND		BIT(0)
/* A kernel queue with physical addressing (migration). */
#define XE_EXEC_QUEUE_PHYSICAL		BIT(1)
/* Userspace asked for DRM_XE_EXEC_QUEUE_LOW_LATENCY_HINT. */
#define XE_EXEC_QUEUE_LOW_LATENCY	BIT(2)

/**
 * struct xe_exec_queue - a queue of jobs for one engine and one VM
 *
 * Jobs flow through a DRM scheduler of its own into the queue's hardware
 * context. Userspace holds queues by id in its &struct xe_file.
 */
struct xe_exec_queue {
	/** @xe: the device */
	struct xe_device *xe;
	/** @refcount: jobs and the file's id hold references */
	struct kref refcount;
	/** @vm: address space of the jobs, NULL for physical queues */
	struct xe_vm *vm;
	/** @hwe: the engine that runs the jobs, NULL for bind queues */
	struct xe_hw_engine *hwe;
	/** @flags: XE_EXEC_QUEUE_*, fixed at creation */
	u32 flags;
	/** @priority: scheduling priority set by userspace (0-2) */
	u32 priority;
	/** @timeslice_us: time slice set by userspace, informational */
	u32 timeslice_us;
	/** @name: the queue's name, e.g. "ccs1:12" */
	char name[24];
	/** @slot: where the scheduler lives; it outlives the queue */
	struct xe_sched_slot *slot;
	/** @lrc: the hardware context */
	struct xe_lrc lrc;
	/** @ctx_id: id of the hardware context, 0 when not registered */
	u32 ctx_id;
	/** @entity: the queue's only scheduler entity */
	struct drm_sched_entity entity;
	/** @fence_ctx: fence context of the hardware fences */
	u64 fence_ctx;
	/** @lock: serialises job arming and state changes below */
	struct mutex lock;
	/** @next_seqno: seqno of the next job, protected by @lock */
	u32 next_seqno;
	/** @registered: the GT knows the context, protected by @lock */
	bool registered;
	/** @killed: no more jobs may be queued, protected by @lock */
	bool killed;
	/** @error: why the queue stopped (0 while it runs), set once */
	int error;
	/** @deregistered: completed when the GT let go of the context */
	struct completion deregistered;
	/** @stop_work: stops the context after the GT reported an error */
	struct work_struct stop_work;
	/** @jobs: jobs created and not yet freed */
	atomic_t jobs;
	/** @jobs_wq: woken when @jobs drops to zero */
	wait_queue_head_t jobs_wq;
};

#endif
