// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/dma-fence-chain.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_syncobj.h>
#include <drm/xe_drm.h>

#include "xe_device_types.h"
#include "xe_macros.h"
#include "xe_sched_job.h"
#include "xe_sync.h"

/**
 * DOC: Syncs
 *
 * VM_BIND and EXEC take arrays of &struct drm_xe_sync. Without
 * DRM_XE_SYNC_FLAG_SIGNAL an entry is an in-sync, a fence the operation
 * waits for: a syncobj's current fence or a timeline syncobj's point.
 * With it, an out-sync the operation signals: the syncobj gets the
 * operation's fence, the timeline a new point, and a user fence gets its
 * value written once the operation is done — for EXEC by the GPU itself,
 * through the VM's page tables (the address is a GPU address), for
 * VM_BIND by the kernel (the address is a CPU address of the caller).
 * User fences are out-syncs only, one per operation.
 *
 * Everything that can fail is done while parsing, so signalling cannot.
 */

static int xe_sync_parse(struct xe_device *xe, struct drm_file *file,
			 const struct drm_xe_sync *in, struct xe_sync_entry *sync)
{
	struct dma_fence *fence = NULL;
	int err;

	if (XE_IOCTL_DBG(xe, in->extensions) ||
	    XE_IOCTL_DBG(xe, in->reserved[0] || in->reserved[1]) ||
	    XE_IOCTL_DBG(xe, in->flags & ~DRM_XE_SYNC_FLAG_SIGNAL))
		return -EINVAL;

	sync->type = in->type;
	sync->signal = in->flags & DRM_XE_SYNC_FLAG_SIGNAL;
	sync->value = in->timeline_value;

	switch (in->type) {
	case DRM_XE_SYNC_TYPE_SYNCOBJ:
	case DRM_XE_SYNC_TYPE_TIMELINE_SYNCOBJ:
		if (XE_IOCTL_DBG(xe, in->type == DRM_XE_SYNC_TYPE_SYNCOBJ &&
				 in->timeline_value) ||
		    XE_IOCTL_DBG(xe, upper_32_bits(in->addr)))
			return -EINVAL;
		sync->syncobj = drm_syncobj_find(file, in->handle);
		if (XE_IOCTL_DBG(xe, !sync->syncobj))
			return -ENOENT;
		if (sync->signal) {
			if (in->type == DRM_XE_SYNC_TYPE_TIMELINE_SYNCOBJ) {
				sync->chain = dma_fence_chain_alloc();
				if (!sync->chain)
					return -ENOMEM;
			}
			return 0;
		}
		/*
		 * On failure the lookup may leave a pointer to a fence whose
		 * reference it already dropped: only a success is kept.
		 */
		err = drm_syncobj_find_fence(file, in->handle, in->timeline_value, 0,
					     &fence);
		if (XE_IOCTL_DBG(xe, err))
			return -EINVAL;
		sync->fence = fence;
		return 0;
	case DRM_XE_SYNC_TYPE_USER_FENCE:
		if (XE_IOCTL_DBG(xe, !sync->signal))
			return -EOPNOTSUPP;
		if (XE_IOCTL_DBG(xe, in->addr & 7) || XE_IOCTL_DBG(xe, !in->addr))
			return -EINVAL;
		sync->addr = in->addr;
		sync->value = in->timeline_value;
		return 0;
	default:
		XE_IOCTL_DBG(xe, true);
		return -EINVAL;
	}
}

/**
 * xe_sync_parse_array() - copy and check the syncs of an ioctl
 * @xe: the device
 * @xef: the caller's file
 * @user_ptr: user address of the array
 * @num: entries, at most DRM_XE_MAX_SYNCS
 * @syncs: the parsed entries, to free with xe_sync_free_array()
 * @count: how many entries @syncs holds
 *
 * Return: 0; -EINVAL for a malformed entry, too many entries or more than
 * one user fence; -ENOENT for an unknown syncobj; -EOPNOTSUPP for a user
 * fence as an in-sync; -EFAULT if the array cannot be read; -ENOMEM.
 */
int xe_sync_parse_array(struct xe_device *xe, struct xe_file *xef, u64 user_ptr,
			u32 num, struct xe_sync_entry **syncs, u32 *count)
{
	struct drm_xe_sync __user *usyncs = u64_to_user_ptr(user_ptr);
	struct xe_sync_entry *entries;
	u32 i, ufences = 0;
	int err = 0;

	*syncs = NULL;
	*count = 0;
	if (!num)
		return 0;
	if (XE_IOCTL_DBG(xe, num > DRM_XE_MAX_SYNCS))
		return -EINVAL;

	entries = kcalloc(num, sizeof(*entries), GFP_KERNEL);
	if (!entries)
		return -ENOMEM;

	for (i = 0; i < num; i++) {
		struct drm_xe_sync in;

		if (copy_from_user(&in, &usyncs[i], sizeof(in))) {
			err = -EFAULT;
			break;
		}
		err = xe_sync_parse(xe, xef->drm, &in, &entries[i]);
		if (err)
			break;
		if (entries[i].type == DRM_XE_SYNC_TYPE_USER_FENCE &&
		    XE_IOCTL_DBG(xe, ++ufences > 1)) {
			err = -EINVAL;
			break;
		}
	}

	if (err) {
		xe_sync_free_array(entries, i + 1);
		return err;
	}

	*syncs = entries;
	*count = num;
	return 0;
}

/**
 * xe_sync_free_array() - drop what parsing took
 * @syncs: the entries, or NULL
 * @count: how many
 */
void xe_sync_free_array(struct xe_sync_entry *syncs, u32 count)
{
	u32 i;

	for (i = 0; syncs && i < count; i++) {
		dma_fence_put(syncs[i].fence);
		dma_fence_chain_free(syncs[i].chain);
		if (syncs[i].syncobj)
			drm_syncobj_put(syncs[i].syncobj);
	}
	kfree(syncs);
}

/**
 * xe_sync_wait_in() - wait for every in-sync
 * @syncs: the entries
 * @count: how many
 *
 * An in-fence that signalled with an error (a job of a banned queue, say)
 * has still signalled: what waits for it goes ahead, as a scheduled job
 * would. The error is the business of whoever waits on that job.
 *
 * Return: 0, or -ERESTARTSYS.
 */
int xe_sync_wait_in(struct xe_sync_entry *syncs, u32 count)
{
	u32 i;
	long err;

	for (i = 0; i < count; i++) {
		if (!syncs[i].fence)
			continue;
		err = dma_fence_wait(syncs[i].fence, true);
		if (err)
			return err;
	}
	return 0;
}

/**
 * xe_sync_add_deps() - make a job wait for every in-sync
 * @syncs: the entries
 * @count: how many
 * @job: the job, not yet armed
 *
 * Return: 0 or -ENOMEM.
 */
int xe_sync_add_deps(struct xe_sync_entry *syncs, u32 count, struct xe_sched_job *job)
{
	u32 i;
	int err;

	for (i = 0; i < count; i++) {
		if (!syncs[i].fence)
			continue;
		err = drm_sched_job_add_dependency(&job->drm, dma_fence_get(syncs[i].fence));
		if (err)
			return err;
	}
	return 0;
}

/**
 * xe_sync_signal() - attach an operation's fence to the syncobj out-syncs
 * @syncs: the entries
 * @count: how many
 * @fence: the operation's fence
 *
 * User fences are not touched: the GPU writes them for EXEC, and
 * xe_sync_signal_now() for binds.
 */
void xe_sync_signal(struct xe_sync_entry *syncs, u32 count, struct dma_fence *fence)
{
	u32 i;

	for (i = 0; i < count; i++) {
		struct xe_sync_entry *sync = &syncs[i];

		if (!sync->signal || !sync->syncobj)
			continue;
		if (sync->chain) {
			/* Takes its own reference to @fence and owns the chain. */
			drm_syncobj_add_point(sync->syncobj, sync->chain, fence, sync->value);
			sync->chain = NULL;
		} else {
			drm_syncobj_replace_fence(sync->syncobj, fence);
		}
	}
}

/**
 * xe_sync_signal_now() - signal every out-sync of a finished operation
 * @syncs: the entries
 * @count: how many
 *
 * Called in the caller's context: user-fence values are written to the
 * caller's memory.
 *
 * Return: 0, or -EFAULT if a user fence could not be written (everything
 * else is signalled all the same).
 */
int xe_sync_signal_now(struct xe_sync_entry *syncs, u32 count)
{
	struct dma_fence *stub = dma_fence_get_stub();
	int err = 0;
	u32 i;

	xe_sync_signal(syncs, count, stub);
	dma_fence_put(stub);

	for (i = 0; i < count; i++) {
		u64 __user *ptr = u64_to_user_ptr(syncs[i].addr);

		if (syncs[i].type == DRM_XE_SYNC_TYPE_USER_FENCE &&
		    put_user(syncs[i].value, ptr))
			err = -EFAULT;
	}
	return err;
}

/**
 * xe_sync_find_ufence() - the user fence among the out-syncs
 * @syncs: the entries
 * @count: how many
 *
 * Return: the user-fence entry, or NULL.
 */
struct xe_sync_entry *xe_sync_find_ufence(struct xe_sync_entry *syncs, u32 count)
{
	u32 i;

	for (i = 0; i < count; i++)
		if (syncs[i].type == DRM_XE_SYNC_TYPE_USER_FENCE)
			return &syncs[i];
	return NULL;
}
