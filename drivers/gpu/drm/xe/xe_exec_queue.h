/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_EXEC_QUEUE_H_
#define _XE_EXEC_QUEUE_H_

#include "xe_exec_queue_types.h"

struct drm_device;
struct drm_file;
struct xe_file;

void xe_exec_queue_destroy(struct kref *ref);
struct xe_exec_queue *xe_exec_queue_lookup(struct xe_file *xef, u32 id);
void xe_exec_queue_kill(struct xe_exec_queue *q);
void xe_exec_queue_file_close(struct xe_file *xef);
struct xe_exec_queue *xe_exec_queue_create_kernel(struct xe_device *xe,
						  struct xe_hw_engine *hwe, u32 flags);
void xe_exec_queue_destroy_kernel(struct xe_exec_queue *q);

int xe_exec_queue_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int xe_exec_queue_destroy_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int xe_exec_queue_get_property_ioctl(struct drm_device *dev, void *data,
				     struct drm_file *file);

/**
 * xe_exec_queue_get() - take a reference to a queue
 * @q: the queue
 *
 * Return: @q.
 */
static inline struct xe_exec_queue *xe_exec_queue_get(struct xe_exec_queue *q)
{
	kref_get(&q->refcount);
	return q;
}

/**
 * xe_exec_queue_put() - drop a reference to a queue
 * @q: the queue, or NULL
 */
static inline void xe_exec_queue_put(struct xe_exec_queue *q)
{
	if (q)
		kref_put(&q->refcount, xe_exec_queue_destroy);
}

/**
 * xe_exec_queue_is_banned() - did the queue stop for good?
 * @q: the queue
 *
 * Return: true once the GT reported an error, a job timed out, or the
 * queue was destroyed.
 */
static inline bool xe_exec_queue_is_banned(struct xe_exec_queue *q)
{
	return READ_ONCE(q->error) != 0;
}

#endif
