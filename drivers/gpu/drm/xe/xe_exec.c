// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/xe_drm.h>

#include "xe_device.h"
#include "xe_device_types.h"
#include "xe_exec.h"
#include "xe_exec_queue.h"
#include "xe_macros.h"
#include "xe_sched_job.h"
#include "xe_sync.h"
#include "xe_vm.h"

/**
 * DOC: Execution
 *
 * EXEC runs one batch, given by its GPU address, on an exec queue. In a
 * VM without FAULT_MODE every mapping must be in place before the job
 * runs: the VM's and its BOs' reservations are locked, BOs TTM moved are
 * validated back, every zapped mapping is written again (userptrs after
 * finding their pages anew), and the job's fence goes into every
 * reservation so nothing moves while it runs (LR_MODE VMs too: their jobs'
 * fences are internal, never handed to userspace). In a FAULT_MODE VM
 * nothing of that happens: the GPU faults in what it touches.
 *
 * The job's completion is reported through the out-syncs: syncobjs get its
 * fence (not in LR_MODE VMs, whose jobs may run for ever), and a user fence
 * gets its value written by the GPU, through the VM, right after the
 * batch.
 *
 * WAIT_USER_FENCE waits until a 64-bit value in the caller's memory
 * compares as asked. The value is written by the GPU, so the waiter is
 * woken by every user interrupt and checks again.
 */

#define XE_EXEC_USERPTR_RETRIES	16

static int xe_exec_prepare_vm(struct xe_vm *vm, struct drm_exec *exec)
{
	int err;

	drm_exec_until_all_locked(exec) {
		err = drm_gpuvm_prepare_vm(&vm->gpuvm, exec, 1);
		drm_exec_retry_on_contention(exec);
		if (err)
			return err;
		err = drm_gpuvm_prepare_objects(&vm->gpuvm, exec, 1);
		drm_exec_retry_on_contention(exec);
		if (err)
			return err;
	}

	err = drm_gpuvm_validate(&vm->gpuvm, exec);
	if (err)
		return err;
	return xe_vm_rebind(vm);
}

/**
 * xe_exec_ioctl() - DRM_IOCTL_XE_EXEC
 * @dev: DRM device
 * @data: &struct drm_xe_exec
 * @file: the caller's DRM file
 *
 * Return: 0 once the job is queued; -EINVAL for malformed arguments or a
 * bind queue; -ENOENT for an unknown queue or a destroyed VM; -ECANCELED
 * for a banned queue; -EOPNOTSUPP for syncobj out-syncs in an LR VM;
 * -EFAULT for unreadable syncs or user memory that is gone; -EAGAIN if
 * user memory kept changing; -ENOMEM; -EINTR/-ERESTARTSYS on a signal.
 */
int xe_exec_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct xe_device *xe = to_xe_device(dev);
	struct xe_file *xef = file->driver_priv;
	struct drm_xe_exec *args = data;
	struct xe_sync_entry *syncs = NULL, *ufence;
	struct xe_sched_job *job;
	struct xe_exec_queue *q;
	struct dma_fence *fence;
	struct drm_exec exec;
	u32 i, num_syncs, tries = 0;
	struct xe_vm *vm;
	int err;

	if (XE_IOCTL_DBG(xe, args->extensions) ||
	    XE_IOCTL_DBG(xe, args->pad[0] || args->pad[1] || args->pad[2]) ||
	    XE_IOCTL_DBG(xe, args->reserved[0] || args->reserved[1]))
		return -EINVAL;

	q = xe_exec_queue_lookup(xef, args->exec_queue_id);
	if (XE_IOCTL_DBG(xe, !q))
		return -ENOENT;
	if (XE_IOCTL_DBG(xe, q->flags & XE_EXEC_QUEUE_BIND) ||
	    XE_IOCTL_DBG(xe, args->num_batch_buffer != 1)) {
		err = -EINVAL;
		goto out_queue;
	}
	if (XE_IOCTL_DBG(xe, xe_exec_queue_is_banned(q))) {
		err = -ECANCELED;
		goto out_queue;
	}
	vm = q->vm;

	err = xe_sync_parse_array(xe, xef, args->syncs, args->num_syncs, &syncs, &num_syncs);
	if (err)
		goto out_queue;
	for (i = 0; i < num_syncs; i++)
		if (XE_IOCTL_DBG(xe, xe_vm_in_lr_mode(vm) && syncs[i].signal &&
				 syncs[i].syncobj)) {
			err = -EOPNOTSUPP;
			goto out_syncs;
		}

	job = xe_sched_job_create(q, args->address);
	if (IS_ERR(job)) {
		err = PTR_ERR(job);
		goto out_syncs;
	}
	ufence = xe_sync_find_ufence(syncs, num_syncs);
	if (ufence) {
		job->ufence_addr = ufence->addr;
		job->ufence_value = ufence->value;
	}
	err = xe_sync_add_deps(syncs, num_syncs, job);
	if (err)
		goto out_job;

	down_read(&vm->lock);
	if (XE_IOCTL_DBG(xe, vm->closed)) {
		err = -ENOENT;
		goto out_unlock_vm;
	}

retry:
	drm_exec_init(&exec, DRM_EXEC_INTERRUPTIBLE_WAIT | DRM_EXEC_IGNORE_DUPLICATES, 0);
	if (!xe_vm_in_fault_mode(vm)) {
		err = xe_vm_userptr_refresh(vm);
		if (!err)
			err = xe_exec_prepare_vm(vm, &exec);
		/* User memory changed under us: find its pages again. */
		if (err == -EAGAIN && ++tries < XE_EXEC_USERPTR_RETRIES) {
			drm_exec_fini(&exec);
			goto retry;
		}
		if (err)
			goto out_exec;
	}

	mutex_lock(&q->lock);
	err = xe_sched_job_arm(job);
	if (err) {
		mutex_unlock(&q->lock);
		goto out_exec;
	}
	fence = &job->drm.s_fence->finished;
	/* Keeps the VM's memory in place while the job may use it. */
	if (!xe_vm_in_fault_mode(vm))
		drm_gpuvm_resv_add_fence(&vm->gpuvm, &exec, fence, DMA_RESV_USAGE_BOOKKEEP,
					 DMA_RESV_USAGE_BOOKKEEP);
	xe_sync_signal(syncs, num_syncs, fence);
	xe_sched_job_push(job);
	mutex_unlock(&q->lock);
	job = NULL;

out_exec:
	drm_exec_fini(&exec);
out_unlock_vm:
	up_read(&vm->lock);
out_job:
	if (job) {
		drm_sched_job_cleanup(&job->drm);
		xe_sched_job_free(job);
	}
out_syncs:
	xe_sync_free_array(syncs, num_syncs);
out_queue:
	xe_exec_queue_put(q);
	return err;
}

#define XE_UFENCE_FLAGS		DRM_XE_UFENCE_WAIT_FLAG_ABSTIME

static bool xe_ufence_compare(u64 value, u64 wanted, u16 op)
{
	switch (op) {
	case DRM_XE_UFENCE_WAIT_OP_EQ:
		return value == wanted;
	case DRM_XE_UFENCE_WAIT_OP_NEQ:
		return value != wanted;
	case DRM_XE_UFENCE_WAIT_OP_GT:
		return value > wanted;
	case DRM_XE_UFENCE_WAIT_OP_GTE:
		return value >= wanted;
	case DRM_XE_UFENCE_WAIT_OP_LT:
		return value < wanted;
	default:
		return value <= wanted;
	}
}

/**
 * xe_wait_user_fence_ioctl() - DRM_IOCTL_XE_WAIT_USER_FENCE
 * @dev: DRM device
 * @data: &struct drm_xe_wait_user_fence
 * @file: the caller's DRM file
 *
 * &drm_xe_wait_user_fence.timeout is in nanoseconds: relative (and
 * updated with the time left when the call returns), or an absolute
 * CLOCK_MONOTONIC time with DRM_XE_UFENCE_WAIT_FLAG_ABSTIME. A negative
 * relative timeout waits for ever; 0 only checks.
 *
 * Return: 0 once the value compares as asked; -ETIME when the time ran
 * out; -EIO if the named exec queue is banned; -EINVAL for malformed
 * arguments; -ENOENT for an unknown queue; -EFAULT if the value cannot be
 * read; -ERESTARTSYS on a signal.
 */
int xe_wait_user_fence_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct xe_device *xe = to_xe_device(dev);
	struct xe_file *xef = file->driver_priv;
	struct drm_xe_wait_user_fence *args = data;
	u64 __user *addr = u64_to_user_ptr(args->addr);
	struct xe_exec_queue *q = NULL;
	bool forever = false;
	ktime_t deadline;
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int err = 0;

	if (XE_IOCTL_DBG(xe, args->extensions) ||
	    XE_IOCTL_DBG(xe, args->flags & ~XE_UFENCE_FLAGS) ||
	    XE_IOCTL_DBG(xe, args->op > DRM_XE_UFENCE_WAIT_OP_LTE) ||
	    XE_IOCTL_DBG(xe, args->pad || args->pad2) ||
	    XE_IOCTL_DBG(xe, args->reserved[0] || args->reserved[1]) ||
	    XE_IOCTL_DBG(xe, args->addr & 7))
		return -EINVAL;

	if (args->exec_queue_id) {
		q = xe_exec_queue_lookup(xef, args->exec_queue_id);
		if (XE_IOCTL_DBG(xe, !q))
			return -ENOENT;
	}

	if (args->flags & DRM_XE_UFENCE_WAIT_FLAG_ABSTIME)
		deadline = ns_to_ktime(args->timeout);
	else if (args->timeout < 0)
		forever = true;
	else
		/* Saturates instead of wrapping for huge timeouts. */
		deadline = ktime_add_safe(ktime_get(), ns_to_ktime(args->timeout));

	add_wait_queue(&xe->ufence_wq, &wait);
	for (;;) {
		u64 value;
		s64 left;

		if (get_user(value, addr)) {
			err = -EFAULT;
			break;
		}
		if (xe_ufence_compare(value & args->mask, args->value & args->mask, args->op))
			break;
		if (q && xe_exec_queue_is_banned(q)) {
			err = -EIO;
			break;
		}
		if (signal_pending(current)) {
			err = -ERESTARTSYS;
			break;
		}
		left = forever ? 1 : ktime_to_ns(ktime_sub(deadline, ktime_get()));
		if (left <= 0) {
			err = -ETIME;
			break;
		}
		wait_woken(&wait, TASK_INTERRUPTIBLE,
			   forever ? MAX_SCHEDULE_TIMEOUT : max(nsecs_to_jiffies(left), 1ul));
	}
	remove_wait_queue(&xe->ufence_wq, &wait);

	if (!(args->flags & DRM_XE_UFENCE_WAIT_FLAG_ABSTIME) && !forever)
		args->timeout = max_t(s64, 0, ktime_to_ns(ktime_sub(deadline, ktime_get())));

	xe_exec_queue_put(q);
	return err;
}
