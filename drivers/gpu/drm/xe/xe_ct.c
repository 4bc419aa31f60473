// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/sizes.h>

#include <drm/drm_managed.h>

#include "emu/xe_emu_hw.h"
#include "xe_ct.h"
#include "xe_device_types.h"
#include "xe_mmio.h"
#include "xe_pagefault.h"
#include "xe_submit.h"
#include "xe_tlb_inval.h"

/**
 * DOC: Command transport
 *
 * The driver and the GT talk through two rings in system memory (see the
 * contract's Command transport): the driver sends H2G messages to
 * register and run contexts, answer page faults and invalidate TLBs; the
 * GT sends G2H messages to report page faults, finished invalidations,
 * context errors and finished deregistrations.
 *
 * xe_ct_send() may sleep: it waits for room in the H2G ring. G2H messages
 * are consumed by the interrupt thread (xe_ct_g2h_process()), in order,
 * and handed to their consumers, none of which allocates or sleeps for
 * long: page faults go into the preallocated fault queue, finished TLB
 * invalidations signal fences, context events are passed to submission.
 *
 * Locking: &xe_ct.lock serialises H2G senders. It is taken in MMU-notifier
 * callbacks (through TLB invalidation), so nothing under it allocates
 * memory or waits for anything but the GT consuming H2G messages. The
 * G2H side has a single consumer and needs no lock.
 */

#define XE_CT_H2G_SIZE		SZ_16K
#define XE_CT_G2H_SIZE		SZ_64K
#define XE_CT_SEND_TIMEOUT_US	(2 * USEC_PER_SEC)

static u32 xe_ct_space(u32 head, u32 tail, u32 size)
{
	return (head - tail - 1) & (size - 1);
}

static void xe_ct_disable(void *arg)
{
	struct xe_device *xe = arg;

	mutex_lock(&xe->ct.lock);
	xe->ct.enabled = false;
	xe_mmio_write32(xe, XE_EMU_REG_CT_CTL, 0);
	mutex_unlock(&xe->ct.lock);
}

static int xe_ct_ring_alloc(struct xe_device *xe, struct xe_ct_ring *ring, u32 bytes)
{
	ring->cmds = dmam_alloc_coherent(xe->drm.dev, bytes, &ring->dma, GFP_KERNEL);
	if (!ring->cmds)
		return -ENOMEM;
	ring->size = bytes / sizeof(u32);
	ring->pos = 0;
	return 0;
}

/**
 * xe_ct_init() - allocate the rings and start the transport
 * @xe: the device
 *
 * The transport stops (and the rings are freed) when the device unbinds.
 *
 * Return: 0 or a negative errno.
 */
int xe_ct_init(struct xe_device *xe)
{
	struct xe_ct *ct = &xe->ct;
	int err;

	err = drmm_mutex_init(&xe->drm, &ct->lock);
	if (err)
		return err;

	/* Senders run under reclaim (MMU notifiers): tell lockdep early. */
	fs_reclaim_acquire(GFP_KERNEL);
	might_lock(&ct->lock);
	fs_reclaim_release(GFP_KERNEL);

	err = xe_ct_ring_alloc(xe, &ct->h2g, XE_CT_H2G_SIZE);
	if (!err)
		err = xe_ct_ring_alloc(xe, &ct->g2h, XE_CT_G2H_SIZE);
	if (err)
		return err;

	xe_mmio_write32(xe, XE_EMU_REG_CT_CTL, 0);
	xe_mmio_write32(xe, XE_EMU_REG_H2G_BASE_LO, lower_32_bits(ct->h2g.dma));
	xe_mmio_write32(xe, XE_EMU_REG_H2G_BASE_HI, upper_32_bits(ct->h2g.dma));
	xe_mmio_write32(xe, XE_EMU_REG_H2G_SIZE, XE_CT_H2G_SIZE);
	xe_mmio_write32(xe, XE_EMU_REG_H2G_HEAD, 0);
	xe_mmio_write32(xe, XE_EMU_REG_H2G_TAIL, 0);
	xe_mmio_write32(xe, XE_EMU_REG_G2H_BASE_LO, lower_32_bits(ct->g2h.dma));
	xe_mmio_write32(xe, XE_EMU_REG_G2H_BASE_HI, upper_32_bits(ct->g2h.dma));
	xe_mmio_write32(xe, XE_EMU_REG_G2H_SIZE, XE_CT_G2H_SIZE);
	xe_mmio_write32(xe, XE_EMU_REG_G2H_HEAD, 0);
	xe_mmio_write32(xe, XE_EMU_REG_G2H_TAIL, 0);
	xe_mmio_write32(xe, XE_EMU_REG_CT_CTL, XE_EMU_CT_ENABLE);
	ct->enabled = true;

	return devm_add_action_or_reset(xe->drm.dev, xe_ct_disable, xe);
}

/**
 * xe_ct_send() - send one H2G message
 * @xe: the device
 * @action: XE_EMU_H2G_* action
 * @payload: the message's payload dwords
 * @len: number of payload dwords, at most XE_EMU_CT_MAX_LEN
 *
 * Waits for room in the ring, which the GT makes by consuming messages.
 * Does not wait for the message to be handled.
 *
 * Return: 0 when the message is in the ring; -ENODEV once the transport
 * is stopped; -ETIMEDOUT if the GT stopped consuming messages.
 */
int xe_ct_send(struct xe_device *xe, u32 action, const u32 *payload, u32 len)
{
	struct xe_ct_ring *h2g = &xe->ct.h2g;
	unsigned int waited = 0;
	u32 head, i;
	int err = 0;

	if (drm_WARN_ON(&xe->drm, len > XE_EMU_CT_MAX_LEN))
		return -EINVAL;

	mutex_lock(&xe->ct.lock);
	for (;;) {
		if (!xe->ct.enabled) {
			err = -ENODEV;
			goto out;
		}
		head = xe_mmio_read32(xe, XE_EMU_REG_H2G_HEAD);
		if (xe_ct_space(head, h2g->pos, h2g->size) > len)
			break;
		if (waited >= XE_CT_SEND_TIMEOUT_US) {
			drm_err(&xe->drm, "GT stopped consuming H2G messages\n");
			err = -ETIMEDOUT;
			goto out;
		}
		usleep_range(20, 50);
		waited += 50;
	}

	h2g->cmds[h2g->pos] = FIELD_PREP(XE_EMU_CT_ACTION, action) |
			      FIELD_PREP(XE_EMU_CT_LEN, len);
	h2g->pos = (h2g->pos + 1) & (h2g->size - 1);
	for (i = 0; i < len; i++) {
		h2g->cmds[h2g->pos] = payload[i];
		h2g->pos = (h2g->pos + 1) & (h2g->size - 1);
	}
	/* The message must be in memory before the doorbell. */
	wmb();
	xe_mmio_write32(xe, XE_EMU_REG_H2G_TAIL, h2g->pos);
out:
	mutex_unlock(&xe->ct.lock);
	return err;
}

static void xe_ct_g2h_dispatch(struct xe_device *xe, u32 action, const u32 *msg,
			       u32 len)
{
	switch (action) {
	case XE_EMU_G2H_PAGE_FAULT:
		xe_pagefault_g2h(xe, msg, len);
		break;
	case XE_EMU_G2H_TLB_INVALIDATE_DONE:
		if (len >= 1)
			xe_tlb_inval_done(xe, msg[0]);
		break;
	case XE_EMU_G2H_CONTEXT_ERROR:
		if (len >= 4)
			xe_submit_context_error(xe, msg[0], msg[1],
						(u64)msg[3] << 32 | msg[2]);
		break;
	case XE_EMU_G2H_CONTEXT_DEREGISTER_DONE:
		if (len >= 1)
			xe_submit_deregister_done(xe, msg[0]);
		break;
	default:
		drm_err_ratelimited(&xe->drm, "unknown G2H action %#x\n", action);
		break;
	}
}

/**
 * xe_ct_g2h_process() - consume every G2H message the GT has written
 * @xe: the device
 *
 * Called from the interrupt thread only.
 */
void xe_ct_g2h_process(struct xe_device *xe)
{
	struct xe_ct_ring *g2h = &xe->ct.g2h;
	u32 msg[XE_EMU_CT_MAX_LEN];
	u32 tail, avail, hdr, len, i;

	tail = xe_mmio_read32(xe, XE_EMU_REG_G2H_TAIL) & (g2h->size - 1);
	/* Read the messages only after seeing the tail that covers them. */
	rmb();
	while (g2h->pos != tail) {
		avail = (tail - g2h->pos) & (g2h->size - 1);
		hdr = g2h->cmds[g2h->pos];
		len = FIELD_GET(XE_EMU_CT_LEN, hdr);
		if (len > XE_EMU_CT_MAX_LEN || len >= avail) {
			drm_err_ratelimited(&xe->drm, "malformed G2H message %#x\n", hdr);
			g2h->pos = tail;
			xe_mmio_write32(xe, XE_EMU_REG_G2H_HEAD, g2h->pos);
			break;
		}
		for (i = 0; i < len; i++)
			msg[i] = g2h->cmds[(g2h->pos + 1 + i) & (g2h->size - 1)];
		g2h->pos = (g2h->pos + 1 + len) & (g2h->size - 1);
		/* Hand the room back at once: the GT may be waiting for it. */
		xe_mmio_write32(xe, XE_EMU_REG_G2H_HEAD, g2h->pos);
		xe_ct_g2h_dispatch(xe, FIELD_GET(XE_EMU_CT_ACTION, hdr), msg, len);
	}
}
