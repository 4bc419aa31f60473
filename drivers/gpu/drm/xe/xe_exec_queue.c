// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/capability.h>
#include <linux/nospec.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <drm/xe_drm.h>

#include "xe_device.h"
#include "xe_device_types.h"
#include "xe_exec_queue.h"
#include "xe_hw_engine.h"
#include "xe_macros.h"
#include "xe_submit.h"
#include "xe_vm.h"

/**
 * DOC: Exec queues
 *
 * An exec queue is userspace's handle on an engine: jobs submitted to it
 * run in order, in one VM, on one engine of the class asked for. A queue
 * may name several engines of a class as placements; the driver picks the
 * one that has the fewest queues. Queues of class VM_BIND order binds and
 * have no hardware behind them.
 *
 * A queue is banned when the GT reports an error for it, when a job times
 * out, or when its VM goes away under it; EXEC then fails with
 * -ECANCELED, WAIT_USER_FENCE naming it returns -EIO, and
 * GET_PROPERTY(BAN) reads 1. Destroying a queue stops jobs still running.
 *
 * Each queue with an engine behind it holds one of the GT's 65535 context
 * ids and about 20 KiB of ring and descriptor besides its scheduler. So
 * that one file cannot take all of them, a file has at most
 * %XE_EXEC_QUEUE_MAX_PER_FILE queues; more fail with -ENOSPC, as do new
 * queues once the GT's ids are all in use.
 *
 * The low-latency hint is accepted and remembered, and changes nothing:
 * the emulated GT has no frequency to raise, every engine always runs as
 * fast as the CPU executing it, which is what the hint asks for.
 */

#define XE_EXEC_QUEUE_PRIORITY_NORMAL	1
#define XE_EXEC_QUEUE_PRIORITY_HIGH	2
#define XE_EXEC_QUEUE_MAX_PLACEMENTS	XE_MAX_HW_ENGINES
/* Queue ids of one file, bind queues included: twice what IGT asks for. */
#define XE_EXEC_QUEUE_MAX_PER_FILE	8192

/**
 * xe_exec_queue_destroy() - free a queue once the last reference is gone
 * @ref: the queue's refcount
 */
void xe_exec_queue_destroy(struct kref *ref)
{
	struct xe_exec_queue *q = container_of(ref, struct xe_exec_queue, refcount);

	xe_vm_put(q->vm);
	mutex_destroy(&q->lock);
	kfree(q);
}

/**
 * xe_exec_queue_kill() - stop a queue for good and let go of its hardware
 * @q: the queue, whose owner still holds a reference
 */
void xe_exec_queue_kill(struct xe_exec_queue *q)
{
	if (!(q->flags & XE_EXEC_QUEUE_BIND))
		xe_submit_queue_fini(q);
}

/**
 * xe_exec_queue_lookup() - find a queue of a file
 * @xef: the file
 * @id: the queue's id
 *
 * Return: the queue with a reference, or NULL.
 */
struct xe_exec_queue *xe_exec_queue_lookup(struct xe_file *xef, u32 id)
{
	struct xe_exec_queue *q;

	mutex_lock(&xef->exec_queue.lock);
	q = xa_load(&xef->exec_queue.xa, id);
	if (q)
		xe_exec_queue_get(q);
	mutex_unlock(&xef->exec_queue.lock);
	return q;
}

static int xe_exec_queue_set_property(struct xe_device *xe, struct xe_exec_queue *q,
				      const struct drm_xe_ext_set_property *ext)
{
	if (XE_IOCTL_DBG(xe, ext->pad) ||
	    XE_IOCTL_DBG(xe, ext->reserved[0] || ext->reserved[1]))
		return -EINVAL;

	switch (ext->property) {
	case DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY:
		if (XE_IOCTL_DBG(xe, ext->value > XE_EXEC_QUEUE_PRIORITY_HIGH))
			return -EINVAL;
		if (XE_IOCTL_DBG(xe, ext->value > XE_EXEC_QUEUE_PRIORITY_NORMAL &&
				 !capable(CAP_SYS_NICE)))
			return -EPERM;
		q->priority = ext->value;
		return 0;
	case DRM_XE_EXEC_QUEUE_SET_PROPERTY_TIMESLICE:
		if (XE_IOCTL_DBG(xe, ext->value > U32_MAX))
			return -EINVAL;
		q->timeslice_us = ext->value;
		return 0;
	default:
		XE_IOCTL_DBG(xe, true);
		return -EINVAL;
	}
}

#define XE_EXEC_QUEUE_MAX_EXTENSIONS	16

static int xe_exec_queue_user_extensions(struct xe_device *xe, struct xe_exec_queue *q,
					 u64 extensions)
{
	unsigned int n = 0;
	int err;

	while (extensions) {
		struct drm_xe_ext_set_property ext;

		if (XE_IOCTL_DBG(xe, ++n > XE_EXEC_QUEUE_MAX_EXTENSIONS))
			return -E2BIG;
		if (copy_from_user(&ext, u64_to_user_ptr(extensions), sizeof(ext)))
			return -EFAULT;
		if (XE_IOCTL_DBG(xe, ext.base.name != DRM_XE_EXEC_QUEUE_EXTENSION_SET_PROPERTY) ||
		    XE_IOCTL_DBG(xe, ext.base.pad))
			return -EINVAL;
		err = xe_exec_queue_set_property(xe, q, &ext);
		if (err)
			return err;
		extensions = ext.base.next_extension;
	}
	return 0;
}

/* Picks, among the placements, the engine with the fewest queues. */
static struct xe_hw_engine *
xe_exec_queue_pick_engine(struct xe_device *xe, const struct drm_xe_engine_class_instance *eci,
			  u16 count)
{
	struct xe_hw_engine *best = NULL;
	u16 class = eci[0].engine_class;
	unsigned int i, j;

	for (i = 0; i < count; i++) {
		if (XE_IOCTL_DBG(xe, eci[i].engine_class != class) ||
		    XE_IOCTL_DBG(xe, eci[i].gt_id || eci[i].pad))
			return NULL;
		for (j = 0; j < xe->num_hw_engines; j++) {
			struct xe_hw_engine *hwe = &xe->hw_engines[j];

			if (xe_hw_engine_uapi_class(hwe) != class ||
			    hwe->instance != eci[i].engine_instance)
				continue;
			if (!best || atomic_read(&hwe->num_queues) < atomic_read(&best->num_queues))
				best = hwe;
			break;
		}
		if (XE_IOCTL_DBG(xe, j == xe->num_hw_engines))
			return NULL;
	}
	return best;
}

static struct xe_exec_queue *xe_exec_queue_alloc(struct xe_device *xe, u32 flags)
{
	struct xe_exec_queue *q = kzalloc(sizeof(*q), GFP_KERNEL_ACCOUNT);

	if (!q)
		return NULL;

	q->xe = xe;
	q->flags = flags;
	q->priority = XE_EXEC_QUEUE_PRIORITY_NORMAL;
	kref_init(&q->refcount);
	mutex_init(&q->lock);
	init_completion(&q->deregistered);
	init_waitqueue_head(&q->jobs_wq);
	atomic_set(&q->jobs, 0);
	xe_submit_stop_work_init(q);
	q->fence_ctx = dma_fence_context_alloc(1);
	return q;
}

/**
 * xe_exec_queue_create_ioctl() - DRM_IOCTL_XE_EXEC_QUEUE_CREATE
 * @dev: DRM device
 * @data: &struct drm_xe_exec_queue_create
 * @file: the caller's DRM file
 *
 * Return: 0 with the id in &drm_xe_exec_queue_create.exec_queue_id;
 * -EINVAL for malformed arguments or an engine the device does not have;
 * -ENOENT for an unknown VM; -EFAULT for unreadable placements or
 * extensions; -EPERM for a high priority without CAP_SYS_NICE; -ENOSPC
 * when the file already has %XE_EXEC_QUEUE_MAX_PER_FILE queues or the GT
 * has no free context; -ENOMEM.
 */
int xe_exec_queue_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct xe_device *xe = to_xe_device(dev);
	struct xe_file *xef = file->driver_priv;
	struct drm_xe_exec_queue_create *args = data;
	struct drm_xe_engine_class_instance eci[XE_EXEC_QUEUE_MAX_PLACEMENTS];
	struct xe_hw_engine *hwe = NULL;
	struct xe_exec_queue *q;
	struct xe_vm *vm = NULL;
	u32 id, len, flags = 0;
	int err;

	if (XE_IOCTL_DBG(xe, args->flags & ~DRM_XE_EXEC_QUEUE_LOW_LATENCY_HINT) ||
	    XE_IOCTL_DBG(xe, args->reserved[0] || args->reserved[1]) ||
	    XE_IOCTL_DBG(xe, args->exec_queue_id) ||
	    XE_IOCTL_DBG(xe, args->width != 1) ||
	    XE_IOCTL_DBG(xe, !args->num_placements ||
			 args->num_placements > XE_EXEC_QUEUE_MAX_PLACEMENTS))
		return -EINVAL;

	if (args->flags & DRM_XE_EXEC_QUEUE_LOW_LATENCY_HINT)
		flags |= XE_EXEC_QUEUE_LOW_LATENCY;

	len = args->num_placements;
	if (copy_from_user(eci, u64_to_user_ptr(args->instances), len * sizeof(eci[0])))
		return -EFAULT;

	if (eci[0].engine_class == DRM_XE_ENGINE_CLASS_VM_BIND) {
		if (XE_IOCTL_DBG(xe, len != 1 || eci[0].engine_instance) ||
		    XE_IOCTL_DBG(xe, eci[0].gt_id || eci[0].pad))
			return -EINVAL;
		flags |= XE_EXEC_QUEUE_BIND;
	} else {
		hwe = xe_exec_queue_pick_engine(xe, eci, len);
		if (!hwe)
			return -EINVAL;
		vm = xe_vm_lookup(xef, args->vm_id);
		if (XE_IOCTL_DBG(xe, !vm))
			return -ENOENT;
	}

	/* The id is reserved first: a file at its limit allocates nothing. */
	mutex_lock(&xef->exec_queue.lock);
	err = xa_alloc(&xef->exec_queue.xa, &id, NULL,
		       XA_LIMIT(1, XE_EXEC_QUEUE_MAX_PER_FILE), GFP_KERNEL);
	mutex_unlock(&xef->exec_queue.lock);
	if (XE_IOCTL_DBG(xe, err)) {
		err = err == -EBUSY ? -ENOSPC : err;
		goto err_vm;
	}

	q = xe_exec_queue_alloc(xe, flags);
	if (!q) {
		err = -ENOMEM;
		goto err_id;
	}
	q->vm = vm;
	q->hwe = hwe;
	vm = NULL;

	err = xe_exec_queue_user_extensions(xe, q, args->extensions);
	if (err)
		goto err_put;

	if (hwe) {
		down_read(&q->vm->lock);
		err = q->vm->closed ? -ENOENT : 0;
		up_read(&q->vm->lock);
		if (XE_IOCTL_DBG(xe, err))
			goto err_put;

		snprintf(q->name, sizeof(q->name), "%s:%u", hwe->name, q->vm->asid);
		err = xe_submit_queue_init(q);
		if (err)
			goto err_put;
		atomic_inc(&hwe->num_queues);
	}

	/* Fills the reserved slot, which allocates nothing. */
	mutex_lock(&xef->exec_queue.lock);
	xa_store(&xef->exec_queue.xa, id, q, GFP_KERNEL);
	mutex_unlock(&xef->exec_queue.lock);

	args->exec_queue_id = id;
	return 0;

err_put:
	xe_exec_queue_put(q);
err_id:
	mutex_lock(&xef->exec_queue.lock);
	xa_release(&xef->exec_queue.xa, id);
	mutex_unlock(&xef->exec_queue.lock);
err_vm:
	xe_vm_put(vm);
	return err;
}

/**
 * xe_exec_queue_create_kernel() - create a queue for the driver's own jobs
 * @xe: the device
 * @hwe: the engine
 * @flags: XE_EXEC_QUEUE_PHYSICAL (the only kind without a VM)
 *
 * Return: the queue, or an ERR_PTR.
 */
struct xe_exec_queue *xe_exec_queue_create_kernel(struct xe_device *xe,
						  struct xe_hw_engine *hwe, u32 flags)
{
	struct xe_exec_queue *q = xe_exec_queue_alloc(xe, flags);
	int err;

	if (!q)
		return ERR_PTR(-ENOMEM);

	q->hwe = hwe;
	snprintf(q->name, sizeof(q->name), "%s:kernel", hwe->name);
	err = xe_submit_queue_init(q);
	if (err) {
		xe_exec_queue_put(q);
		return ERR_PTR(err);
	}
	atomic_inc(&hwe->num_queues);
	return q;
}

static void xe_exec_queue_close(struct xe_exec_queue *q)
{
	xe_exec_queue_kill(q);
	if (q->hwe)
		atomic_dec(&q->hwe->num_queues);
	xe_exec_queue_put(q);
}

/**
 * xe_exec_queue_destroy_kernel() - destroy a queue of the driver's own
 * @q: the queue from xe_exec_queue_create_kernel()
 */
void xe_exec_queue_destroy_kernel(struct xe_exec_queue *q)
{
	xe_exec_queue_close(q);
}

/**
 * xe_exec_queue_destroy_ioctl() - DRM_IOCTL_XE_EXEC_QUEUE_DESTROY
 * @dev: DRM device
 * @data: &struct drm_xe_exec_queue_destroy
 * @file: the caller's DRM file
 *
 * Return: 0; -EINVAL for set pad or reserved fields; -ENOENT for an
 * unknown id.
 */
int xe_exec_queue_destroy_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct xe_device *xe = to_xe_device(dev);
	struct xe_file *xef = file->driver_priv;
	struct drm_xe_exec_queue_destroy *args = data;
	struct xe_exec_queue *q;

	if (XE_IOCTL_DBG(xe, args->pad) ||
	    XE_IOCTL_DBG(xe, args->reserved[0] || args->reserved[1]))
		return -EINVAL;

	/* An id reserved by a create still in progress reads as NULL: kept. */
	mutex_lock(&xef->exec_queue.lock);
	q = xa_load(&xef->exec_queue.xa, args->exec_queue_id);
	if (q)
		xa_erase(&xef->exec_queue.xa, args->exec_queue_id);
	mutex_unlock(&xef->exec_queue.lock);
	if (XE_IOCTL_DBG(xe, !q))
		return -ENOENT;

	xe_exec_queue_close(q);
	return 0;
}

/**
 * xe_exec_queue_get_property_ioctl() - DRM_IOCTL_XE_EXEC_QUEUE_GET_PROPERTY
 * @dev: DRM device
 * @data: &struct drm_xe_exec_queue_get_property
 * @file: the caller's DRM file
 *
 * Return: 0 with the value; -EINVAL for an unknown property or set
 * extensions or reserved fields; -ENOENT for an unknown id.
 */
int xe_exec_queue_get_property_ioctl(struct drm_device *dev, void *data,
				     struct drm_file *file)
{
	struct xe_device *xe = to_xe_device(dev);
	struct xe_file *xef = file->driver_priv;
	struct drm_xe_exec_queue_get_property *args = data;
	struct xe_exec_queue *q;

	if (XE_IOCTL_DBG(xe, args->extensions) ||
	    XE_IOCTL_DBG(xe, args->reserved[0] || args->reserved[1]))
		return -EINVAL;

	q = xe_exec_queue_lookup(xef, args->exec_queue_id);
	if (XE_IOCTL_DBG(xe, !q))
		return -ENOENT;

	switch (args->property) {
	case DRM_XE_EXEC_QUEUE_GET_PROPERTY_BAN:
		args->value = xe_exec_queue_is_banned(q);
		break;
	default:
		xe_exec_queue_put(q);
		XE_IOCTL_DBG(xe, true);
		return -EINVAL;
	}

	xe_exec_queue_put(q);
	return 0;
}

/**
 * xe_exec_queue_file_close() - destroy every queue a closing file has
 * @xef: the file
 */
void xe_exec_queue_file_close(struct xe_file *xef)
{
	struct xe_exec_queue *q;
	unsigned long id;

	xa_for_each(&xef->exec_queue.xa, id, q) {
		xa_erase(&xef->exec_queue.xa, id);
		xe_exec_queue_close(q);
	}
}
