// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/debugfs.h>
#include <linux/wait.h>

#include <drm/drm_file.h>
#include <drm/drm_managed.h>

#include "emu/xe_emu_hw.h"
#include "xe_ct.h"
#include "xe_device_types.h"
#include "xe_tlb_inval.h"

/**
 * DOC: TLB invalidation
 *
 * Every engine of the GT caches translations and forgets them only when
 * told to. Whenever the driver removes or changes a present page-table
 * entry it sends H2G TLB_INVALIDATE for the range with a new seqno and
 * waits for G2H TLB_INVALIDATE_DONE with that seqno: only then is no
 * access through the old entry in flight, and only then may the memory the
 * entry pointed at be reused. The GT answers in order, so one completed
 * seqno covers every earlier one.
 *
 * Waiting allocates nothing; the only locks are &xe_device.tlb_inval.lock,
 * which keeps seqnos in send order, and the transport's, so it is allowed
 * in MMU-notifier callbacks.
 *
 * With CONFIG_DRM_XE_DEBUG, the debugfs file skip_tlb_inval makes the
 * driver skip invalidations, to show what the hardware then does with
 * stale translations. Never use it for anything else.
 */

#define XE_TLB_INVAL_TIMEOUT	(5 * HZ)

static bool xe_tlb_inval_seqno_done(struct xe_device *xe, u32 seqno)
{
	return (s32)(READ_ONCE(xe->tlb_inval.seqno_done) - seqno) >= 0;
}

/**
 * xe_tlb_inval_range() - invalidate a range of an address space and wait
 * @xe: the device
 * @asid: the address space
 * @start: first byte
 * @len: bytes; 0 for the whole address space
 *
 * Return: 0; -ETIMEDOUT if the GT did not confirm in time; -ENODEV if the
 * transport is down.
 */
int xe_tlb_inval_range(struct xe_device *xe, u32 asid, u64 start, u64 len)
{
	u32 seqno, msg[6];
	int err;

	if (IS_ENABLED(CONFIG_DRM_XE_DEBUG) && READ_ONCE(xe->tlb_inval.skip))
		return 0;

	/* Seqnos reach the GT in the order they are taken. */
	mutex_lock(&xe->tlb_inval.lock);
	seqno = ++xe->tlb_inval.seqno_next;
	msg[0] = seqno;
	msg[1] = asid;
	msg[2] = lower_32_bits(start);
	msg[3] = upper_32_bits(start);
	msg[4] = lower_32_bits(len);
	msg[5] = upper_32_bits(len);

	err = xe_ct_send(xe, XE_EMU_H2G_TLB_INVALIDATE, msg, ARRAY_SIZE(msg));
	mutex_unlock(&xe->tlb_inval.lock);
	if (err)
		return err;

	if (!wait_event_timeout(xe->tlb_inval.wq, xe_tlb_inval_seqno_done(xe, seqno),
				XE_TLB_INVAL_TIMEOUT)) {
		drm_err(&xe->drm, "TLB invalidation %u timed out\n", seqno);
		return -ETIMEDOUT;
	}
	return 0;
}

/**
 * xe_tlb_inval_done() - the GT completed an invalidation
 * @xe: the device
 * @seqno: its seqno, and that of every earlier one
 */
void xe_tlb_inval_done(struct xe_device *xe, u32 seqno)
{
	if ((s32)(seqno - READ_ONCE(xe->tlb_inval.seqno_done)) > 0)
		WRITE_ONCE(xe->tlb_inval.seqno_done, seqno);
	wake_up_all(&xe->tlb_inval.wq);
}

/**
 * xe_tlb_inval_init() - set up invalidation for a device
 * @xe: the device
 *
 * Return: 0 or a negative errno.
 */
int xe_tlb_inval_init(struct xe_device *xe)
{
	int err;

	init_waitqueue_head(&xe->tlb_inval.wq);
	xe->tlb_inval.seqno_next = 0;
	xe->tlb_inval.seqno_done = 0;
	err = drmm_mutex_init(&xe->drm, &xe->tlb_inval.lock);
	if (err)
		return err;

	/* Invalidations run in MMU-notifier callbacks, under reclaim. */
	fs_reclaim_acquire(GFP_KERNEL);
	might_lock(&xe->tlb_inval.lock);
	fs_reclaim_release(GFP_KERNEL);
	return 0;
}

/**
 * xe_tlb_inval_debugfs_register() - add the debug knob
 * @xe: the device, registered
 */
void xe_tlb_inval_debugfs_register(struct xe_device *xe)
{
	if (IS_ENABLED(CONFIG_DRM_XE_DEBUG))
		debugfs_create_bool("skip_tlb_inval", 0600, xe->drm.primary->debugfs_root,
				    &xe->tlb_inval.skip);
}
