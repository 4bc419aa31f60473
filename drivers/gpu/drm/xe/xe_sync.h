/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_SYNC_H_
#define _XE_SYNC_H_

#include <linux/types.h>

struct dma_fence;
struct dma_fence_chain;
struct drm_syncobj;
struct xe_device;
struct xe_file;
struct xe_sched_job;

/**
 * struct xe_sync_entry - one parsed &struct drm_xe_sync
 */
struct xe_sync_entry {
	/** @syncobj: the syncobj, for syncobj types */
	struct drm_syncobj *syncobj;
	/** @fence: for in-syncs, the fence to wait for */
	struct dma_fence *fence;
	/** @chain: for timeline out-syncs, the preallocated chain node */
	struct dma_fence_chain *chain;
	/** @addr: user-fence address */
	u64 addr;
	/** @value: timeline point or user-fence value */
	u64 value;
	/** @type: DRM_XE_SYNC_TYPE_* */
	u32 type;
	/** @signal: an out-sync */
	bool signal;
};

int xe_sync_parse_array(struct xe_device *xe, struct xe_file *xef, u64 user_ptr,
			u32 num, struct xe_sync_entry **syncs, u32 *count);
void xe_sync_free_array(struct xe_sync_entry *syncs, u32 count);
int xe_sync_wait_in(struct xe_sync_entry *syncs, u32 count);
int xe_sync_add_deps(struct xe_sync_entry *syncs, u32 count, struct xe_sched_job *job);
void xe_sync_signal(struct xe_sync_entry *syncs, u32 count, struct dma_fence *fence);
int xe_sync_signal_now(struct xe_sync_entry *syncs, u32 count);
struct xe_sync_entry *xe_sync_find_ufence(struct xe_sync_entry *syncs, u32 count);

#endif
