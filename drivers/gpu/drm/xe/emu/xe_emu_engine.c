// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/bitfield.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <linux/stddef.h>

#include "xe_emu.h"
#include "xe_emu_hw.h"
#include "xe_emu_types.h"

/**
 * DOC: Engines
 *
 * Every fused engine has a thread that runs the READY contexts bound to
 * it round robin, one time slice each (see xe_emu_cs_run()). A context
 * enters the run queue when CONTEXT_RUN finds it IDLE, or when the reply
 * to its page fault lets it replay; it leaves when its ring is empty
 * (IDLE), when a translation fails (STALLED: a G2H PAGE_FAULT is posted in
 * a faultable context, a CAT error in any other) or when it hits an error
 * (ERROR: G2H CONTEXT_ERROR). A context whose slice is used up goes to the
 * back of the queue. Every state change is written to the descriptor's
 * status.
 *
 * The GuC thread drives contexts through xe_emu_engine_run(),
 * xe_emu_engine_reply(), xe_emu_engine_kill() and xe_emu_engine_detach();
 * the last one returns once the engine will never touch the context again,
 * which is what CONTEXT_DEREGISTER_DONE promises.
 */

/**
 * DOC: Locking
 *
 * &xe_emu_engine.lock, a spinlock, protects the run queue, the active
 * context and each bound context's scheduling fields (state, kick, dying,
 * fault). Taken by the engine thread and the GuC thread, never from
 * interrupt context, never held while sleeping or while posting G2H
 * messages, and never nested with another lock of the emulator.
 *
 * The active context is owned by the engine thread outside the lock: its
 * ring position and batch state are touched by that thread only, and the
 * context is not freed while it is active, because deregistration waits
 * on &xe_emu_engine.idle_wq for the engine to let go of it. The thread
 * posts its G2H messages about a context while the context is still
 * active, so they always precede the context's DEREGISTER_DONE.
 */

static const u32 xe_emu_ctx_status[] = {
	[XE_EMU_CTX_IDLE] = XE_EMU_CTX_STATUS_IDLE,
	[XE_EMU_CTX_READY] = XE_EMU_CTX_STATUS_RUNNING,
	[XE_EMU_CTX_STALLED] = XE_EMU_CTX_STATUS_STALLED,
	[XE_EMU_CTX_ERROR] = XE_EMU_CTX_STATUS_ERROR,
};

/**
 * xe_emu_ctx_set_state() - change the state of a context
 * @ctx: the context
 * @state: new state
 *
 * Writes the matching XE_EMU_CTX_STATUS_* to the descriptor. The caller
 * holds the lock of the context's engine, if it has one.
 */
void xe_emu_ctx_set_state(struct xe_emu_ctx *ctx, enum xe_emu_ctx_state state)
{
	if (ctx->engine)
		lockdep_assert_held(&ctx->engine->lock);

	ctx->state = state;
	if (ctx->desc_ok)
		xe_emu_mem_write32(ctx->hw, ctx->desc + offsetof(struct xe_emu_ctx_desc, status),
				   xe_emu_ctx_status[state]);
}

/* Make a READY context run: queue it, or have its current slice requeue it. */
static void xe_emu_engine_queue_locked(struct xe_emu_engine *engine, struct xe_emu_ctx *ctx)
{
	lockdep_assert_held(&engine->lock);

	if (engine->active == ctx) {
		ctx->kick = true;
	} else if (list_empty(&ctx->link)) {
		list_add_tail(&ctx->link, &engine->runq);
		wake_up(&engine->work_wq);
	}
}

/**
 * xe_emu_engine_run() - CONTEXT_RUN: the ring tail of a context moved
 * @ctx: the context, bound to an engine
 *
 * An IDLE context becomes READY; a READY one that is running is run again
 * after its slice, so it sees the new tail. STALLED contexts see it when
 * they resume, and ERROR ones never run again.
 */
void xe_emu_engine_run(struct xe_emu_ctx *ctx)
{
	struct xe_emu_engine *engine = ctx->engine;

	spin_lock(&engine->lock);
	if (!ctx->dying) {
		if (ctx->state == XE_EMU_CTX_IDLE) {
			xe_emu_ctx_set_state(ctx, XE_EMU_CTX_READY);
			xe_emu_engine_queue_locked(engine, ctx);
		} else if (ctx->state == XE_EMU_CTX_READY) {
			xe_emu_engine_queue_locked(engine, ctx);
		}
	}
	spin_unlock(&engine->lock);
}

/**
 * xe_emu_engine_reply() - PAGE_FAULT_REPLY for a stalled context
 * @ctx: the context the fault id names, bound to an engine
 * @fault_id: the fault id of the reply
 * @ok: the driver resolved the fault; the faulting command replays
 * @fault: where the fault is returned when @ok is false
 *
 * On failure the context enters ERROR; the caller reports it.
 *
 * Return: 0, or -ESRCH if @ctx is not stalled on @fault_id (a stale or
 * duplicate reply, which is ignored).
 */
int xe_emu_engine_reply(struct xe_emu_ctx *ctx, u32 fault_id, bool ok,
			struct xe_emu_fault *fault)
{
	struct xe_emu_engine *engine = ctx->engine;
	int err = 0;

	spin_lock(&engine->lock);
	if (ctx->dying || ctx->state != XE_EMU_CTX_STALLED || ctx->fault_id != fault_id) {
		err = -ESRCH;
	} else if (ok) {
		xe_emu_ctx_set_state(ctx, XE_EMU_CTX_READY);
		xe_emu_engine_queue_locked(engine, ctx);
	} else {
		*fault = ctx->fault;
		xe_emu_ctx_set_state(ctx, XE_EMU_CTX_ERROR);
	}
	spin_unlock(&engine->lock);
	return err;
}

/**
 * xe_emu_engine_kill() - put a context in ERROR at once
 * @ctx: the context, bound to an engine
 *
 * Its running slice, if any, stops at the next command boundary. The
 * caller reports the error.
 */
void xe_emu_engine_kill(struct xe_emu_ctx *ctx)
{
	struct xe_emu_engine *engine = ctx->engine;

	spin_lock(&engine->lock);
	list_del_init(&ctx->link);
	xe_emu_ctx_set_state(ctx, XE_EMU_CTX_ERROR);
	spin_unlock(&engine->lock);
}

static bool xe_emu_engine_lets_go(struct xe_emu_engine *engine, struct xe_emu_ctx *ctx)
{
	bool idle;

	spin_lock(&engine->lock);
	idle = engine->active != ctx;
	spin_unlock(&engine->lock);
	return idle;
}

/**
 * xe_emu_engine_detach() - take a context away from its engine for good
 * @ctx: the context, bound to an engine
 *
 * Takes the context off the run queue and waits until the engine is done
 * with the command it may be executing for it.
 *
 * Return: true once the engine will never touch @ctx or its memory again;
 * false if the device is being torn down first (the context must then be
 * left for teardown to free).
 */
bool xe_emu_engine_detach(struct xe_emu_ctx *ctx)
{
	struct xe_emu_engine *engine = ctx->engine;

	spin_lock(&engine->lock);
	ctx->dying = true;
	list_del_init(&ctx->link);
	spin_unlock(&engine->lock);

	wait_event_interruptible(engine->idle_wq, xe_emu_engine_lets_go(engine, ctx) ||
				 xe_emu_stopping(ctx->hw));
	return xe_emu_engine_lets_go(engine, ctx);
}

static struct xe_emu_ctx *xe_emu_engine_pick(struct xe_emu_engine *engine)
{
	struct xe_emu_ctx *ctx;

	spin_lock(&engine->lock);
	ctx = list_first_entry_or_null(&engine->runq, struct xe_emu_ctx, link);
	if (ctx && !xe_emu_stopping(engine->hw)) {
		list_del_init(&ctx->link);
		ctx->kick = false;
		engine->active = ctx;
	} else {
		ctx = NULL;
	}
	spin_unlock(&engine->lock);
	return ctx;
}

/* Stall a faultable context on @fault and report the fault. */
static void xe_emu_engine_stall(struct xe_emu_engine *engine, struct xe_emu_ctx *ctx,
				const struct xe_emu_fault *fault)
{
	struct xe_emu_hw *hw = engine->hw;
	u32 msg[9];

	spin_lock(&engine->lock);
	if (ctx->dying || ctx->state != XE_EMU_CTX_READY) {
		spin_unlock(&engine->lock);
		return;
	}
	ctx->fault = *fault;
	ctx->fault_id = (u32)atomic_inc_return(&hw->fault_seq) * XE_EMU_MAX_CONTEXTS + ctx->id;
	xe_emu_ctx_set_state(ctx, XE_EMU_CTX_STALLED);
	msg[0] = ctx->fault_id;
	spin_unlock(&engine->lock);

	msg[1] = ctx->id;
	msg[2] = ctx->asid;
	msg[3] = lower_32_bits(fault->va);
	msg[4] = upper_32_bits(fault->va);
	msg[5] = fault->access;
	msg[6] = engine->class << 8 | engine->instance;
	msg[7] = fault->level;
	msg[8] = fault->reason;
	atomic64_inc(&hw->stats.faults);
	xe_emu_g2h_send(hw, XE_EMU_G2H_PAGE_FAULT, msg, ARRAY_SIZE(msg));
}

/* Put a context in ERROR and report it. */
static void xe_emu_engine_fail(struct xe_emu_engine *engine, struct xe_emu_ctx *ctx,
			       u32 reason, u64 detail)
{
	spin_lock(&engine->lock);
	if (ctx->dying || ctx->state != XE_EMU_CTX_READY) {
		spin_unlock(&engine->lock);
		return;
	}
	xe_emu_ctx_set_state(ctx, XE_EMU_CTX_ERROR);
	spin_unlock(&engine->lock);

	xe_emu_ctx_error(ctx, reason, detail);
}

/* End the slice: requeue the context if it has more to do. */
static void xe_emu_engine_release(struct xe_emu_engine *engine, struct xe_emu_ctx *ctx,
				  bool more)
{
	spin_lock(&engine->lock);
	engine->active = NULL;
	if (!ctx->dying && ctx->state == XE_EMU_CTX_READY) {
		if (more || ctx->kick)
			xe_emu_engine_queue_locked(engine, ctx);
		else
			xe_emu_ctx_set_state(ctx, XE_EMU_CTX_IDLE);
	}
	spin_unlock(&engine->lock);
	wake_up_all(&engine->idle_wq);
}

static void xe_emu_engine_slice(struct xe_emu_engine *engine, struct xe_emu_ctx *ctx)
{
	struct xe_emu_cs_outcome out = {};
	enum xe_emu_cs_result res;

	res = xe_emu_cs_run(engine, ctx, &out);
	if (res == XE_EMU_CS_FAULT && !(ctx->flags & XE_EMU_CTX_FAULTABLE)) {
		res = XE_EMU_CS_ERROR;
		out.err = XE_EMU_CTX_ERR_CAT;
		out.detail = out.fault.va;
	}

	if (res == XE_EMU_CS_FAULT)
		xe_emu_engine_stall(engine, ctx, &out.fault);
	else if (res == XE_EMU_CS_ERROR)
		xe_emu_engine_fail(engine, ctx, out.err, out.detail);

	xe_emu_engine_release(engine, ctx, res == XE_EMU_CS_YIELD);
}

static int xe_emu_engine_thread(void *arg)
{
	struct xe_emu_engine *engine = arg;
	struct xe_emu_ctx *ctx;

	while (!kthread_should_stop()) {
		wait_event_interruptible(engine->work_wq, kthread_should_stop() ||
					 (!xe_emu_stopping(engine->hw) &&
					  !list_empty_careful(&engine->runq)));
		ctx = xe_emu_engine_pick(engine);
		if (ctx)
			xe_emu_engine_slice(engine, ctx);
	}
	return 0;
}

/**
 * xe_emu_engine_lookup() - find an engine by its contract id
 * @hw: the device
 * @id: class << 8 | instance
 *
 * Return: the engine, or NULL if the device has no such engine.
 */
struct xe_emu_engine *xe_emu_engine_lookup(struct xe_emu_hw *hw, u32 id)
{
	u32 class = id >> 8, instance = id & 0xff;

	if (class == XE_EMU_ENGINE_CLASS_COPY && instance < XE_EMU_FUSE_CCS_SHIFT)
		return hw->engines[instance];
	if (class == XE_EMU_ENGINE_CLASS_COMPUTE &&
	    instance < XE_EMU_ENGINE_SLOTS - XE_EMU_FUSE_CCS_SHIFT)
		return hw->engines[XE_EMU_FUSE_CCS_SHIFT + instance];
	return NULL;
}

static struct xe_emu_engine *xe_emu_engine_create(struct xe_emu_hw *hw, unsigned int slot)
{
	struct xe_emu_engine *engine;
	bool copy = slot < XE_EMU_FUSE_CCS_SHIFT;

	engine = kzalloc(sizeof(*engine), GFP_KERNEL);
	if (!engine)
		return ERR_PTR(-ENOMEM);

	engine->hw = hw;
	engine->slot = slot;
	engine->class = copy ? XE_EMU_ENGINE_CLASS_COPY : XE_EMU_ENGINE_CLASS_COMPUTE;
	engine->instance = copy ? slot : slot - XE_EMU_FUSE_CCS_SHIFT;
	snprintf(engine->name, sizeof(engine->name), "%s%u", copy ? "bcs" : "ccs",
		 engine->instance);
	spin_lock_init(&engine->lock);
	INIT_LIST_HEAD(&engine->runq);
	init_waitqueue_head(&engine->work_wq);
	init_waitqueue_head(&engine->idle_wq);
	mutex_init(&engine->mmu_lock);

	engine->thread = kthread_run(xe_emu_engine_thread, engine, "xe_emu%u_%s",
				     hw->index, engine->name);
	if (IS_ERR(engine->thread)) {
		struct task_struct *thread = engine->thread;

		mutex_destroy(&engine->mmu_lock);
		kfree(engine);
		return ERR_CAST(thread);
	}
	return engine;
}

/**
 * xe_emu_engines_init() - create the fused engines and start their threads
 * @hw: the device
 *
 * Return: 0, or a negative errno after undoing what was done.
 */
int xe_emu_engines_init(struct xe_emu_hw *hw)
{
	unsigned long fuse = hw->engine_fuse;
	unsigned int slot;

	for_each_set_bit(slot, &fuse, XE_EMU_ENGINE_SLOTS) {
		struct xe_emu_engine *engine = xe_emu_engine_create(hw, slot);

		if (IS_ERR(engine)) {
			xe_emu_engines_stop(hw);
			xe_emu_engines_fini(hw);
			return PTR_ERR(engine);
		}
		hw->engines[slot] = engine;
	}
	return 0;
}

/**
 * xe_emu_engines_stop() - stop the engine threads
 * @hw: the device, with &xe_emu_hw.stopping set
 *
 * Each thread finishes the command it is executing, and exits.
 */
void xe_emu_engines_stop(struct xe_emu_hw *hw)
{
	unsigned int slot;

	for (slot = 0; slot < XE_EMU_ENGINE_SLOTS; slot++) {
		struct xe_emu_engine *engine = hw->engines[slot];

		if (engine && engine->thread) {
			kthread_stop(engine->thread);
			engine->thread = NULL;
		}
	}
}

/**
 * xe_emu_engines_fini() - free the engines
 * @hw: the device, whose engine threads are stopped and contexts freed
 */
void xe_emu_engines_fini(struct xe_emu_hw *hw)
{
	unsigned int slot;

	for (slot = 0; slot < XE_EMU_ENGINE_SLOTS; slot++) {
		struct xe_emu_engine *engine = hw->engines[slot];

		if (!engine)
			continue;
		mutex_destroy(&engine->mmu_lock);
		kfree(engine);
		hw->engines[slot] = NULL;
	}
}
