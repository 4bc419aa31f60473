// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/bitfield.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "xe_emu.h"
#include "xe_emu_hw.h"
#include "xe_emu_types.h"

/**
 * DOC: Command transport and the GuC thread
 *
 * The device side of the two CT rings. The GuC thread sleeps until the
 * driver rings the doorbell (writes XE_EMU_REG_H2G_TAIL), then consumes
 * H2G messages one at a time, in order, advancing XE_EMU_REG_H2G_HEAD as
 * it takes each one, and acts on it:
 *
 * - CONTEXT_REGISTER reads and checks the descriptor and binds the context
 *   to its engine. A registration that fails is answered with
 *   CONTEXT_ERROR; if the id was valid and free it stays taken by a
 *   context in ERROR, which must be deregistered like any other. A
 *   registration of an id already in use puts that context in ERROR.
 * - CONTEXT_RUN hands the context to its engine's scheduler.
 * - CONTEXT_DEREGISTER waits for the engine to let go of the context and
 *   answers CONTEXT_DEREGISTER_DONE; an id that names no context is
 *   answered at once, since the device does not touch its memory.
 * - PAGE_FAULT_REPLY resumes the stalled context, or kills it.
 * - TLB_INVALIDATE makes every engine forget the range, taking each
 *   engine's MMU lock so that no access through a forgotten translation
 *   is in flight, and answers TLB_INVALIDATE_DONE.
 *
 * Malformed messages (a length past XE_EMU_CT_MAX_LEN or past the tail)
 * make the device skip to the tail; unknown actions and short payloads are
 * ignored. Both are logged, rate limited: they are driver bugs, not
 * device failures.
 *
 * G2H messages come from the GuC thread and from the engine threads,
 * through xe_emu_g2h_send(). A message is written whole, the tail moves
 * past it, and XE_EMU_IRQ_G2H is latched. When the ring lacks room the
 * writer sleeps until the driver moves the head, CT is disabled (the
 * message is dropped) or the device is torn down.
 *
 * The fault-injection knobs fault_reply_delay_ms and tlb_inval_delay_ms
 * hold messages back in two lists, each in arrival order, so that TLB
 * invalidations still complete in the order they were requested.
 */

/**
 * DOC: Locking
 *
 * - &xe_emu_hw.reg_lock (spinlock, interrupts off) protects the ring
 *   registers. Ring memory is only read or written under it, so once the
 *   driver has cleared XE_EMU_CT_ENABLE the device never touches the rings
 *   again.
 * - &xe_emu_hw.g2h_lock (mutex) serialises G2H writers; it is held while
 *   waiting for room, and so is never taken with any other emulator lock
 *   held. An engine thread posts without its engine's locks, so while it
 *   waits for the driver to drain G2H, other engines run and its TLB can
 *   still be flushed; what waits is only what needs the ring: the writers
 *   themselves. Order: g2h_lock, then reg_lock.
 * - The context table and the deferred lists belong to the GuC thread and
 *   need no lock; teardown touches them after stopping the thread.
 */

#define XE_EMU_CT_PAYLOAD(msg)	((msg) + 1)

static const u32 xe_emu_h2g_min_len[] = {
	[XE_EMU_H2G_CONTEXT_REGISTER] = 3,
	[XE_EMU_H2G_CONTEXT_RUN] = 1,
	[XE_EMU_H2G_CONTEXT_DEREGISTER] = 1,
	[XE_EMU_H2G_PAGE_FAULT_REPLY] = 2,
	[XE_EMU_H2G_TLB_INVALIDATE] = 6,
};

static bool xe_emu_ct_ring_valid(struct xe_emu_hw *hw, const struct xe_emu_ct_ring *ring)
{
	u32 dwords = ring->size / sizeof(u32);

	return PAGE_ALIGNED(ring->base) && is_power_of_2(ring->size) &&
	       ring->size >= SZ_4K && ring->size <= SZ_1M &&
	       ring->head < dwords && ring->tail < dwords &&
	       xe_emu_mem_reachable(hw, ring->base, ring->size);
}

/**
 * xe_emu_ct_valid() - check the ring registers before CT is enabled
 * @hw: the device, whose &xe_emu_hw.reg_lock the caller holds
 *
 * Return: true if both rings are well formed and in reachable memory.
 */
bool xe_emu_ct_valid(struct xe_emu_hw *hw)
{
	lockdep_assert_held(&hw->reg_lock);

	return xe_emu_ct_ring_valid(hw, &hw->h2g) && xe_emu_ct_ring_valid(hw, &hw->g2h);
}

static u64 xe_emu_ct_slot(const struct xe_emu_ct_ring *ring, u32 dword)
{
	return ring->base + (dword & (ring->size / sizeof(u32) - 1)) * sizeof(u32);
}

static bool xe_emu_ct_enabled(struct xe_emu_hw *hw)
{
	lockdep_assert_held(&hw->reg_lock);

	return hw->ct_ctl & XE_EMU_CT_ENABLE;
}

static bool xe_emu_h2g_pending(struct xe_emu_hw *hw)
{
	unsigned long flags;
	bool pending;

	spin_lock_irqsave(&hw->reg_lock, flags);
	pending = xe_emu_ct_enabled(hw) && hw->h2g.head != hw->h2g.tail;
	spin_unlock_irqrestore(&hw->reg_lock, flags);
	return pending;
}

/* Take the next H2G message off the ring; false if there is none. */
static bool xe_emu_h2g_fetch_locked(struct xe_emu_hw *hw, u32 *msg)
{
	struct xe_emu_ct_ring *ring = &hw->h2g;
	u32 mask = ring->size / sizeof(u32) - 1;
	u32 avail, len, i;

	if (!xe_emu_ct_enabled(hw) || ring->head == ring->tail)
		return false;

	avail = (ring->tail - ring->head) & mask;
	msg[0] = 0;
	if (xe_emu_mem_read32(hw, xe_emu_ct_slot(ring, ring->head), &msg[0]))
		goto malformed;
	len = FIELD_GET(XE_EMU_CT_LEN, msg[0]);
	if (len > XE_EMU_CT_MAX_LEN || len + 1 > avail)
		goto malformed;
	for (i = 1; i <= len; i++)
		if (xe_emu_mem_read32(hw, xe_emu_ct_slot(ring, ring->head + i), &msg[i]))
			goto malformed;

	ring->head = (ring->head + len + 1) & mask;
	return true;

malformed:
	pr_warn_ratelimited("xe_emu%u: malformed H2G message %#x at %u, skipping to %u\n",
			    hw->index, msg[0], ring->head, ring->tail);
	ring->head = ring->tail;
	return false;
}

static bool xe_emu_h2g_fetch(struct xe_emu_hw *hw, u32 *msg)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&hw->reg_lock, flags);
	ret = xe_emu_h2g_fetch_locked(hw, msg);
	spin_unlock_irqrestore(&hw->reg_lock, flags);
	return ret;
}

/* Room in the G2H ring, in dwords; a ring is never filled completely. */
static u32 xe_emu_g2h_room_locked(struct xe_emu_hw *hw)
{
	const struct xe_emu_ct_ring *ring = &hw->g2h;

	return (ring->head - ring->tail - 1) & (ring->size / sizeof(u32) - 1);
}

static bool xe_emu_g2h_can_write(struct xe_emu_hw *hw, u32 dwords)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&hw->reg_lock, flags);
	ret = !xe_emu_ct_enabled(hw) || xe_emu_g2h_room_locked(hw) >= dwords;
	spin_unlock_irqrestore(&hw->reg_lock, flags);
	return ret || xe_emu_stopping(hw);
}

static int xe_emu_g2h_write(struct xe_emu_hw *hw, const u32 *msg, u32 dwords)
{
	struct xe_emu_ct_ring *ring = &hw->g2h;
	unsigned long flags;
	int err = 0;
	u32 i;

	spin_lock_irqsave(&hw->reg_lock, flags);
	if (!xe_emu_ct_enabled(hw)) {
		err = -ENODEV;
	} else if (xe_emu_g2h_room_locked(hw) < dwords) {
		err = -ENOSPC;
	} else {
		for (i = 0; i < dwords; i++)
			xe_emu_mem_write32(hw, xe_emu_ct_slot(ring, ring->tail + i), msg[i]);
		ring->tail = (ring->tail + dwords) & (ring->size / sizeof(u32) - 1);
	}
	spin_unlock_irqrestore(&hw->reg_lock, flags);
	return err;
}

/**
 * xe_emu_g2h_send() - post a G2H message and raise the interrupt
 * @hw: the device
 * @action: XE_EMU_G2H_*
 * @payload: payload dwords
 * @len: number of payload dwords, at most XE_EMU_CT_MAX_LEN
 *
 * Sleeps while the ring lacks room. Called from the device threads with no
 * emulator lock held.
 *
 * Return: 0; -ENODEV if CT is disabled, or -ESHUTDOWN if the device is
 * being torn down, and the message was dropped.
 */
int xe_emu_g2h_send(struct xe_emu_hw *hw, u32 action, const u32 *payload, u32 len)
{
	u32 msg[1 + XE_EMU_CT_MAX_LEN];
	int err;

	might_sleep();
	if (WARN_ON_ONCE(len > XE_EMU_CT_MAX_LEN))
		return -EINVAL;

	msg[0] = FIELD_PREP(XE_EMU_CT_ACTION, action) | FIELD_PREP(XE_EMU_CT_LEN, len);
	memcpy(&msg[1], payload, len * sizeof(u32));

	mutex_lock(&hw->g2h_lock);
	for (;;) {
		err = xe_emu_g2h_write(hw, msg, len + 1);
		if (err != -ENOSPC)
			break;
		if (xe_emu_stopping(hw)) {
			err = -ESHUTDOWN;
			break;
		}
		wait_event_interruptible_timeout(hw->g2h_wq, xe_emu_g2h_can_write(hw, len + 1), HZ);
	}
	mutex_unlock(&hw->g2h_lock);

	if (!err) {
		atomic64_inc(&hw->stats.g2h_messages);
		xe_emu_irq_latch(hw, XE_EMU_IRQ_G2H);
	}
	return err;
}

static void xe_emu_ct_post_error(struct xe_emu_hw *hw, u32 ctx_id, u32 reason, u64 detail)
{
	u32 msg[] = { ctx_id, reason, lower_32_bits(detail), upper_32_bits(detail) };

	atomic64_inc(&hw->stats.context_errors);
	xe_emu_g2h_send(hw, XE_EMU_G2H_CONTEXT_ERROR, msg, ARRAY_SIZE(msg));
}

/**
 * xe_emu_ctx_error() - report that a context entered ERROR
 * @ctx: the context
 * @reason: XE_EMU_CTX_ERR_*
 * @detail: offending address or command dword
 */
void xe_emu_ctx_error(struct xe_emu_ctx *ctx, u32 reason, u64 detail)
{
	xe_emu_ct_post_error(ctx->hw, ctx->id, reason, detail);
}

/* Read and check a descriptor; return 0 or the XE_EMU_CTX_ERR_* that rejects it. */
static u32 xe_emu_ct_load_desc(struct xe_emu_hw *hw, struct xe_emu_ctx *ctx, u64 *detail)
{
	struct xe_emu_ctx_desc desc;
	u64 pt_root;
	u32 head;

	*detail = ctx->desc;
	if (xe_emu_mem_read(hw, ctx->desc, &desc, sizeof(desc)))
		return XE_EMU_CTX_ERR_DMA;
	ctx->desc_ok = true;

	ctx->ring_base = le64_to_cpu(desc.ring_base);
	ctx->ring_size = le32_to_cpu(desc.ring_size);
	ctx->flags = le32_to_cpu(desc.flags);
	ctx->asid = le32_to_cpu(desc.asid);
	ctx->engine = xe_emu_engine_lookup(hw, le32_to_cpu(desc.engine));
	head = le32_to_cpu(desc.ring_head);
	pt_root = le64_to_cpu(desc.pt_root);

	if (!ctx->engine || !PAGE_ALIGNED(ctx->ring_base) ||
	    !is_power_of_2(ctx->ring_size) || ctx->ring_size < SZ_4K || ctx->ring_size > SZ_1M ||
	    head >= ctx->ring_size || !IS_ALIGNED(head, sizeof(u32)) ||
	    (ctx->flags & ~(XE_EMU_CTX_FAULTABLE | XE_EMU_CTX_PHYSICAL)) ||
	    memchr_inv(desc.reserved, 0, sizeof(desc.reserved)))
		goto bad;
	if (!(ctx->flags & XE_EMU_CTX_PHYSICAL)) {
		if (pt_root & ~(XE_EMU_PTE_ADDR | XE_EMU_PTE_DM))
			goto bad;
		ctx->pt_root = pt_root & XE_EMU_PTE_DM ?
			XE_EMU_PA_DM | (pt_root & XE_EMU_PTE_ADDR) : pt_root;
	}
	ctx->ring_head = head;

	if (!xe_emu_mem_reachable(hw, ctx->ring_base, ctx->ring_size)) {
		*detail = ctx->ring_base;
		goto dma;
	}
	return 0;

bad:
	ctx->engine = NULL;
	return XE_EMU_CTX_ERR_COMMAND;
dma:
	ctx->engine = NULL;
	return XE_EMU_CTX_ERR_DMA;
}

static void xe_emu_ct_register(struct xe_emu_hw *hw, const u32 *p)
{
	u32 id = p[0], reason;
	struct xe_emu_ctx *ctx;
	u64 detail = (u64)p[2] << 32 | p[1];

	if (id >= XE_EMU_MAX_CONTEXTS) {
		xe_emu_ct_post_error(hw, id, XE_EMU_CTX_ERR_COMMAND, detail);
		return;
	}
	ctx = hw->ctx[id];
	if (ctx) {
		if (ctx->engine)
			xe_emu_engine_kill(ctx);
		xe_emu_ct_post_error(hw, id, XE_EMU_CTX_ERR_COMMAND, detail);
		return;
	}

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx) {
		xe_emu_ct_post_error(hw, id, XE_EMU_CTX_ERR_COMMAND, detail);
		return;
	}
	ctx->hw = hw;
	ctx->id = id;
	ctx->desc = detail;
	INIT_LIST_HEAD(&ctx->link);
	hw->ctx[id] = ctx;

	reason = xe_emu_ct_load_desc(hw, ctx, &detail);
	if (reason) {
		xe_emu_ctx_set_state(ctx, XE_EMU_CTX_ERROR);
		xe_emu_ctx_error(ctx, reason, detail);
		return;
	}

	spin_lock(&ctx->engine->lock);
	xe_emu_ctx_set_state(ctx, XE_EMU_CTX_IDLE);
	spin_unlock(&ctx->engine->lock);
	atomic64_inc(&hw->stats.contexts_registered);
}

static struct xe_emu_ctx *xe_emu_ct_lookup(struct xe_emu_hw *hw, u32 id, const char *what)
{
	struct xe_emu_ctx *ctx = id < XE_EMU_MAX_CONTEXTS ? hw->ctx[id] : NULL;

	if (!ctx)
		pr_warn_ratelimited("xe_emu%u: %s of unknown context %u\n", hw->index, what, id);
	return ctx;
}

static void xe_emu_ct_run(struct xe_emu_hw *hw, const u32 *p)
{
	struct xe_emu_ctx *ctx = xe_emu_ct_lookup(hw, p[0], "run");

	if (ctx && ctx->engine)
		xe_emu_engine_run(ctx);
}

static void xe_emu_ct_deregister(struct xe_emu_hw *hw, const u32 *p)
{
	struct xe_emu_ctx *ctx = xe_emu_ct_lookup(hw, p[0], "deregistration");
	u32 id = p[0];

	if (ctx) {
		if (ctx->engine && !xe_emu_engine_detach(ctx))
			return;
		hw->ctx[id] = NULL;
		kfree(ctx);
	}
	xe_emu_g2h_send(hw, XE_EMU_G2H_CONTEXT_DEREGISTER_DONE, &id, 1);
}

static void xe_emu_ct_fault_reply(struct xe_emu_hw *hw, const u32 *p)
{
	u32 fault_id = p[0], result = p[1];
	struct xe_emu_ctx *ctx = hw->ctx[fault_id % XE_EMU_MAX_CONTEXTS];
	struct xe_emu_fault fault;

	if (!ctx || !ctx->engine ||
	    xe_emu_engine_reply(ctx, fault_id, result == 0, &fault)) {
		pr_debug("xe_emu%u: stale page-fault reply %#x\n", hw->index, fault_id);
		return;
	}
	atomic64_inc(&hw->stats.fault_replies);
	if (result)
		xe_emu_ctx_error(ctx, XE_EMU_CTX_ERR_FAULT, fault.va);
}

static void xe_emu_ct_tlb_invalidate(struct xe_emu_hw *hw, const u32 *p)
{
	u32 seqno = p[0], asid = p[1];
	u64 start = (u64)p[3] << 32 | p[2];
	u64 len = (u64)p[5] << 32 | p[4];
	unsigned int slot;

	for (slot = 0; slot < XE_EMU_ENGINE_SLOTS; slot++)
		if (hw->engines[slot])
			xe_emu_mmu_invalidate(hw->engines[slot], asid, start, len);

	atomic64_inc(&hw->stats.tlb_invalidations);
	xe_emu_g2h_send(hw, XE_EMU_G2H_TLB_INVALIDATE_DONE, &seqno, 1);
}

/* Act on a message now; its length has been checked. */
static void xe_emu_ct_act(struct xe_emu_hw *hw, const u32 *msg)
{
	const u32 *p = XE_EMU_CT_PAYLOAD(msg);

	switch (FIELD_GET(XE_EMU_CT_ACTION, msg[0])) {
	case XE_EMU_H2G_CONTEXT_REGISTER:
		xe_emu_ct_register(hw, p);
		break;
	case XE_EMU_H2G_CONTEXT_RUN:
		xe_emu_ct_run(hw, p);
		break;
	case XE_EMU_H2G_CONTEXT_DEREGISTER:
		xe_emu_ct_deregister(hw, p);
		break;
	case XE_EMU_H2G_PAGE_FAULT_REPLY:
		xe_emu_ct_fault_reply(hw, p);
		break;
	case XE_EMU_H2G_TLB_INVALIDATE:
		xe_emu_ct_tlb_invalidate(hw, p);
		break;
	}
}

/* Act on the deferred messages that are due; wait for them all if @all. */
static void xe_emu_ct_run_deferred(struct xe_emu_hw *hw, struct list_head *list, bool all)
{
	struct xe_emu_deferred *d;

	while ((d = list_first_entry_or_null(list, struct xe_emu_deferred, link))) {
		if (time_before(jiffies, d->due)) {
			if (!all)
				return;
			xe_emu_sleep_us(hw, jiffies_to_usecs(d->due - jiffies));
		}
		list_del(&d->link);
		xe_emu_ct_act(hw, d->msg);
		kfree(d);
	}
}

/*
 * Hold @msg back for @delay_ms behind the messages already held in @list.
 * Without memory, wait for those and for the delay here instead.
 */
static void xe_emu_ct_defer(struct xe_emu_hw *hw, struct list_head *list, const u32 *msg,
			    u32 len, u32 delay_ms)
{
	struct xe_emu_deferred *d = kmalloc(sizeof(*d), GFP_KERNEL);

	if (!d) {
		xe_emu_ct_run_deferred(hw, list, true);
		xe_emu_sleep_us(hw, (u64)delay_ms * USEC_PER_MSEC);
		xe_emu_ct_act(hw, msg);
		return;
	}
	d->due = jiffies + msecs_to_jiffies(delay_ms);
	d->len = len;
	memcpy(d->msg, msg, (len + 1) * sizeof(u32));
	list_add_tail(&d->link, list);
}

static void xe_emu_ct_dispatch(struct xe_emu_hw *hw, const u32 *msg)
{
	u32 action = FIELD_GET(XE_EMU_CT_ACTION, msg[0]);
	u32 len = FIELD_GET(XE_EMU_CT_LEN, msg[0]);
	u32 delay;

	atomic64_inc(&hw->stats.h2g_messages);
	if (action >= ARRAY_SIZE(xe_emu_h2g_min_len) || !xe_emu_h2g_min_len[action]) {
		pr_warn_ratelimited("xe_emu%u: unknown H2G action %#x\n", hw->index, action);
		return;
	}
	if (len < xe_emu_h2g_min_len[action]) {
		pr_warn_ratelimited("xe_emu%u: H2G action %#x with %u payload dwords\n",
				    hw->index, action, len);
		return;
	}

	switch (action) {
	case XE_EMU_H2G_PAGE_FAULT_REPLY:
		if (atomic_dec_if_positive(&hw->knobs.drop_fault_replies) >= 0)
			return;
		delay = READ_ONCE(hw->knobs.fault_reply_delay_ms);
		if (delay) {
			xe_emu_ct_defer(hw, &hw->deferred_replies, msg, len, delay);
			return;
		}
		break;
	case XE_EMU_H2G_TLB_INVALIDATE:
		delay = READ_ONCE(hw->knobs.tlb_inval_delay_ms);
		if (delay || !list_empty(&hw->deferred_invals)) {
			xe_emu_ct_defer(hw, &hw->deferred_invals, msg, len, delay);
			return;
		}
		break;
	}
	xe_emu_ct_act(hw, msg);
}

/* Jiffies until the first deferred message is due. */
static long xe_emu_ct_next_due(struct xe_emu_hw *hw)
{
	struct list_head *lists[] = { &hw->deferred_replies, &hw->deferred_invals };
	long timeout = MAX_SCHEDULE_TIMEOUT;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		struct xe_emu_deferred *d =
			list_first_entry_or_null(lists[i], struct xe_emu_deferred, link);

		if (d)
			timeout = min(timeout, time_before(jiffies, d->due) ?
				      (long)(d->due - jiffies) : 0L);
	}
	return timeout;
}

static int xe_emu_guc_thread(void *arg)
{
	struct xe_emu_hw *hw = arg;
	u32 msg[1 + XE_EMU_CT_MAX_LEN];

	while (!kthread_should_stop()) {
		wait_event_interruptible_timeout(hw->guc_wq,
						 kthread_should_stop() || xe_emu_h2g_pending(hw),
						 xe_emu_ct_next_due(hw));
		if (kthread_should_stop())
			break;
		xe_emu_ct_run_deferred(hw, &hw->deferred_replies, false);
		xe_emu_ct_run_deferred(hw, &hw->deferred_invals, false);
		if (xe_emu_h2g_fetch(hw, msg))
			xe_emu_ct_dispatch(hw, msg);
	}
	return 0;
}

/**
 * xe_emu_ct_init() - set up command transport and start the GuC thread
 * @hw: the device, whose engines exist
 *
 * Return: 0, or a negative errno after undoing what was done.
 */
int xe_emu_ct_init(struct xe_emu_hw *hw)
{
	struct task_struct *guc;

	mutex_init(&hw->g2h_lock);
	init_waitqueue_head(&hw->g2h_wq);
	init_waitqueue_head(&hw->guc_wq);
	INIT_LIST_HEAD(&hw->deferred_replies);
	INIT_LIST_HEAD(&hw->deferred_invals);

	hw->ctx = kvcalloc(XE_EMU_MAX_CONTEXTS, sizeof(*hw->ctx), GFP_KERNEL);
	if (!hw->ctx)
		goto err_mutex;

	guc = kthread_run(xe_emu_guc_thread, hw, "xe_emu%u_guc", hw->index);
	if (IS_ERR(guc))
		goto err_ctx;
	hw->guc = guc;
	return 0;

err_ctx:
	kvfree(hw->ctx);
	hw->ctx = NULL;
err_mutex:
	mutex_destroy(&hw->g2h_lock);
	return -ENOMEM;
}

/**
 * xe_emu_ct_stop() - stop the GuC thread
 * @hw: the device, with &xe_emu_hw.stopping set
 */
void xe_emu_ct_stop(struct xe_emu_hw *hw)
{
	if (hw->guc) {
		kthread_stop(hw->guc);
		hw->guc = NULL;
	}
}

static void xe_emu_ct_free_deferred(struct list_head *list)
{
	struct xe_emu_deferred *d, *next;

	list_for_each_entry_safe(d, next, list, link) {
		list_del(&d->link);
		kfree(d);
	}
}

/**
 * xe_emu_ct_fini() - free the contexts and what the GuC thread held
 * @hw: the device, whose GuC and engine threads are stopped
 *
 * Contexts the driver did not deregister are dropped, as at a reset.
 */
void xe_emu_ct_fini(struct xe_emu_hw *hw)
{
	unsigned int id;

	xe_emu_ct_free_deferred(&hw->deferred_replies);
	xe_emu_ct_free_deferred(&hw->deferred_invals);
	for (id = 0; id < XE_EMU_MAX_CONTEXTS; id++)
		kfree(hw->ctx[id]);
	kvfree(hw->ctx);
	hw->ctx = NULL;
	mutex_destroy(&hw->g2h_lock);
}
