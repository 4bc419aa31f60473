// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/bitfield.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sizes.h>
#include <linux/stddef.h>
#include <linux/time64.h>

#include "xe_emu.h"
#include "xe_emu_hw.h"
#include "xe_emu_types.h"

/**
 * DOC: Command streamer
 *
 * xe_emu_cs_run() executes one time slice of a context on an engine: at
 * most XE_EMU_CS_SLICE_CMDS commands or XE_EMU_CS_SLICE_NS of time, fewer
 * if the ring runs dry, a translation fails or the context hits an error.
 *
 * Commands are fetched from the ring at &xe_emu_ctx.ring_head, wrapping at
 * the ring's end, up to the ring tail the driver last wrote in the
 * descriptor; MI_BATCH_BUFFER_START switches to fetching from the batch,
 * through the context's page tables, until MI_BATCH_BUFFER_END. A command
 * is fetched whole before it executes, and the position (ring head, or
 * &xe_emu_ctx.batch_va) moves past it only once it has completed; the
 * ring head is written back to the descriptor after each ring command.
 *
 * A command that fails translation leaves no trace but what it already
 * wrote, and is executed again from its start when the context resumes:
 * MI_STORE_DATA_IMM, MI_FLUSH_DW and MI_ATOMIC translate before they write,
 * and MEM_SET and MEM_COPY redo what they had done, which is idempotent
 * (overlapping copies excepted, as on hardware).
 *
 * Addresses are translated through the context's page tables, except in
 * XE_EMU_CTX_PHYSICAL contexts and for ring commands with their GGTT bit
 * set, whose addresses are physical (see xe_emu_mem_phys()).
 */

/**
 * DOC: Locking
 *
 * Runs in the engine thread, with the context as the engine's active
 * context and no lock held. Translated accesses take the engine's
 * &xe_emu_engine.mmu_lock around each translation and the access it
 * serves. Long transfers drop it every XE_EMU_CS_CHUNK bytes, so TLB
 * invalidations and teardown are not held up.
 */

#define XE_EMU_CS_SLICE_CMDS	64
#define XE_EMU_CS_SLICE_NS	NSEC_PER_MSEC
#define XE_EMU_CS_CHUNK		SZ_1M
#define XE_EMU_CS_MAX_DWORDS	11

/* Internal result of a step: 0 on success, else one of these. */
#define XE_EMU_CS_E_FAULT	(-EFAULT)	/* out->fault is set */
#define XE_EMU_CS_E_ERROR	(-EIO)		/* out->err and detail are set */
#define XE_EMU_CS_E_ABORT	(-EAGAIN)	/* stop now, redo the command later */

/**
 * struct xe_emu_cs - a command being executed
 */
struct xe_emu_cs {
	/** @hw: the device */
	struct xe_emu_hw *hw;
	/** @engine: the engine executing it */
	struct xe_emu_engine *engine;
	/** @ctx: the context it belongs to */
	struct xe_emu_ctx *ctx;
	/** @out: where failures are described */
	struct xe_emu_cs_outcome *out;
	/** @tail: the ring tail, bytes */
	u32 tail;
	/** @batch: the command comes from a batch */
	bool batch;
	/** @jumped: the command moved the batch address itself */
	bool jumped;
	/** @ndw: dwords in @dw */
	u32 ndw;
	/** @dw: the command */
	u32 dw[XE_EMU_CS_MAX_DWORDS];
};

static int xe_emu_cs_error(struct xe_emu_cs *cs, u32 err, u64 detail)
{
	cs->out->err = err;
	cs->out->detail = detail;
	return XE_EMU_CS_E_ERROR;
}

static int xe_emu_cs_bad(struct xe_emu_cs *cs)
{
	return xe_emu_cs_error(cs, XE_EMU_CTX_ERR_COMMAND, cs->dw[0]);
}

static bool xe_emu_cs_abort(struct xe_emu_cs *cs)
{
	return READ_ONCE(cs->ctx->dying) ||
	       READ_ONCE(cs->ctx->state) == XE_EMU_CTX_ERROR ||
	       xe_emu_stopping(cs->hw);
}

static u64 xe_emu_cs_addr(const struct xe_emu_cs *cs, unsigned int lo)
{
	return (u64)cs->dw[lo + 1] << 32 | cs->dw[lo];
}

static void xe_emu_cs_lock(struct xe_emu_cs *cs, bool phys)
{
	if (!phys)
		mutex_lock(&cs->engine->mmu_lock);
}

static void xe_emu_cs_unlock(struct xe_emu_cs *cs, bool phys)
{
	if (!phys)
		mutex_unlock(&cs->engine->mmu_lock);
}

/*
 * Resolve @addr for an access of up to @len bytes: @x gets the device
 * address and how many of the bytes are contiguous there.
 */
static int xe_emu_cs_xlate(struct xe_emu_cs *cs, bool phys, u64 addr, u64 len,
			   u32 access, struct xe_emu_xlate *x)
{
	int err;

	if (phys) {
		if (!xe_emu_mem_phys(addr, &x->pa))
			return xe_emu_cs_error(cs, XE_EMU_CTX_ERR_DMA, addr);
		x->len = len;
		x->null = false;
		return 0;
	}

	err = xe_emu_mmu_translate(cs->engine, cs->ctx, addr, access, x);
	if (err == -EFAULT) {
		cs->out->fault = x->fault;
		return XE_EMU_CS_E_FAULT;
	}
	if (err)
		return xe_emu_cs_error(cs, XE_EMU_CTX_ERR_DMA, xe_emu_mem_bus_addr(x->pa));
	x->len = min(x->len, len);
	return 0;
}

/* Whether the addresses of the command are physical; a GGTT bit in a batch is an error. */
static int xe_emu_cs_phys(struct xe_emu_cs *cs, bool ggtt, bool *phys)
{
	if (cs->ctx->flags & XE_EMU_CTX_PHYSICAL) {
		*phys = true;
		return 0;
	}
	if (ggtt && cs->batch)
		return xe_emu_cs_bad(cs);
	*phys = ggtt;
	return 0;
}

/* Store @len bytes (4 or 8, naturally aligned, so within one page). */
static int xe_emu_cs_store(struct xe_emu_cs *cs, bool phys, u64 addr, const void *data, u32 len)
{
	struct xe_emu_xlate x;
	int err;

	xe_emu_cs_lock(cs, phys);
	err = xe_emu_cs_xlate(cs, phys, addr, len, XE_EMU_ACCESS_WRITE, &x);
	if (!err && !x.null && xe_emu_mem_write(cs->hw, x.pa, data, len))
		err = xe_emu_cs_error(cs, XE_EMU_CTX_ERR_DMA, xe_emu_mem_bus_addr(x.pa));
	xe_emu_cs_unlock(cs, phys);
	return err;
}

/* Give TLB invalidations and teardown a chance during a long transfer. */
static int xe_emu_cs_breathe(struct xe_emu_cs *cs, bool phys)
{
	xe_emu_cs_unlock(cs, phys);
	cond_resched();
	if (xe_emu_cs_abort(cs))
		return XE_EMU_CS_E_ABORT;
	xe_emu_cs_lock(cs, phys);
	return 0;
}

/* Move @n bytes between two translated pieces, honouring NULL pages. */
static int xe_emu_cs_move(struct xe_emu_cs *cs, const struct xe_emu_xlate *d,
			  const struct xe_emu_xlate *s, u64 n, u64 *bad)
{
	if (d->null)
		return 0;
	if (s->null)
		return xe_emu_mem_fill(cs->hw, d->pa, 0, n, bad);
	return xe_emu_mem_copy(cs->hw, d->pa, s->pa, n, bad);
}

/*
 * Writes @len bytes at @dst: copied from @src when @copy, else filled with
 * @val. Translates piece by piece, yielding every XE_EMU_CS_CHUNK bytes.
 */
static int xe_emu_cs_blit(struct xe_emu_cs *cs, bool phys, u64 dst, u64 src,
			  bool copy, u8 val, u64 len)
{
	u64 done = 0, budget = XE_EMU_CS_CHUNK;
	struct xe_emu_xlate s, d;
	int err = 0;
	u64 bad;

	xe_emu_cs_lock(cs, phys);
	while (done < len) {
		u64 n = min(len - done, budget);

		if (!budget) {
			err = xe_emu_cs_breathe(cs, phys);
			if (err)
				return err;
			budget = XE_EMU_CS_CHUNK;
			continue;
		}
		if (copy) {
			err = xe_emu_cs_xlate(cs, phys, src + done, n, XE_EMU_ACCESS_READ, &s);
			if (err)
				break;
			n = s.len;
		}
		err = xe_emu_cs_xlate(cs, phys, dst + done, n, XE_EMU_ACCESS_WRITE, &d);
		if (err)
			break;
		n = d.len;
		if (copy ? xe_emu_cs_move(cs, &d, &s, n, &bad) :
		    !d.null && xe_emu_mem_fill(cs->hw, d.pa, val, n, &bad)) {
			err = xe_emu_cs_error(cs, XE_EMU_CTX_ERR_DMA, xe_emu_mem_bus_addr(bad));
			break;
		}
		done += n;
		budget -= n;
	}
	xe_emu_cs_unlock(cs, phys);
	return err;
}

static int xe_emu_cs_store_data_imm(struct xe_emu_cs *cs)
{
	bool qw = cs->dw[0] & XE_EMU_MI_SDI_QW;
	__le32 data[2];
	bool phys;
	int err;

	if (cs->ndw != (qw ? 5 : 4))
		return xe_emu_cs_bad(cs);
	err = xe_emu_cs_phys(cs, cs->dw[0] & XE_EMU_MI_GGTT, &phys);
	if (err)
		return err;

	data[0] = cpu_to_le32(cs->dw[3]);
	data[1] = cpu_to_le32(qw ? cs->dw[4] : 0);
	return xe_emu_cs_store(cs, phys, xe_emu_cs_addr(cs, 1) & (qw ? ~7ull : ~3ull),
			       data, qw ? 8 : 4);
}

static int xe_emu_cs_flush_dw(struct xe_emu_cs *cs)
{
	__le32 data[2];
	bool phys, qw;
	int err;

	if (cs->ndw < 2 || cs->ndw > 5)
		return xe_emu_cs_bad(cs);
	if (!(cs->dw[0] & XE_EMU_MI_FLUSH_STOREDW))
		return 0;
	if (cs->ndw < 4)
		return xe_emu_cs_bad(cs);
	err = xe_emu_cs_phys(cs, cs->dw[1] & XE_EMU_MI_FLUSH_GGTT, &phys);
	if (err)
		return err;

	qw = cs->ndw == 5;
	data[0] = cpu_to_le32(cs->dw[3]);
	data[1] = cpu_to_le32(qw ? cs->dw[4] : 0);
	/* Everything before the flush is visible before its post-sync write. */
	smp_wmb();
	return xe_emu_cs_store(cs, phys, xe_emu_cs_addr(cs, 1) & ~7ull, data, qw ? 8 : 4);
}

static bool xe_emu_cs_atomic_valid(u32 op, bool inline_data)
{
	switch (op) {
	case XE_EMU_ATOMIC_INC:
	case XE_EMU_ATOMIC_DEC:
		return true;
	case XE_EMU_ATOMIC_ADD:
	case XE_EMU_ATOMIC_SUB:
	case XE_EMU_ATOMIC_CMPXCHG:
		return inline_data;
	default:
		return false;
	}
}

static int xe_emu_cs_atomic(struct xe_emu_cs *cs)
{
	bool inline_data = cs->dw[0] & XE_EMU_MI_ATOMIC_INLINE;
	u32 op = FIELD_GET(XE_EMU_MI_ATOMIC_OP, cs->dw[0]);
	u64 addr = xe_emu_cs_addr(cs, 1) & ~3ull;
	struct xe_emu_xlate x;
	bool phys;
	int err;

	if ((cs->dw[0] & XE_EMU_MI_ATOMIC_RETURN) || cs->ndw != (inline_data ? 11 : 3) ||
	    !xe_emu_cs_atomic_valid(op, inline_data))
		return xe_emu_cs_bad(cs);
	err = xe_emu_cs_phys(cs, cs->dw[0] & XE_EMU_MI_GGTT, &phys);
	if (err)
		return err;

	xe_emu_cs_lock(cs, phys);
	err = xe_emu_cs_xlate(cs, phys, addr, sizeof(u32), XE_EMU_ACCESS_ATOMIC, &x);
	if (!err && !x.null &&
	    xe_emu_mem_atomic(cs->hw, x.pa, op, inline_data ? cs->dw[3] : 0,
			      inline_data ? cs->dw[4] : 0))
		err = xe_emu_cs_error(cs, XE_EMU_CTX_ERR_DMA, xe_emu_mem_bus_addr(x.pa));
	xe_emu_cs_unlock(cs, phys);
	return err;
}

/* Read the dword at @va through the context's page tables (mmu_lock held). */
static int xe_emu_cs_fetch_dword(struct xe_emu_cs *cs, u64 va, u32 *dw)
{
	struct xe_emu_xlate x;
	int err;

	err = xe_emu_cs_xlate(cs, false, va, sizeof(u32), XE_EMU_ACCESS_READ, &x);
	if (err)
		return err;
	*dw = 0;
	if (!x.null && xe_emu_mem_read32(cs->hw, x.pa, dw))
		return xe_emu_cs_error(cs, XE_EMU_CTX_ERR_DMA, xe_emu_mem_bus_addr(x.pa));
	return 0;
}

/* From a ring, start a batch; in a batch, go on at the new address. */
static int xe_emu_cs_batch_start(struct xe_emu_cs *cs)
{
	struct xe_emu_ctx *ctx = cs->ctx;

	if ((ctx->flags & XE_EMU_CTX_PHYSICAL) || !(cs->dw[0] & XE_EMU_MI_BB_PPGTT) ||
	    (cs->dw[0] & XE_EMU_MI_BB_SECOND_LEVEL) || cs->ndw != 3)
		return xe_emu_cs_bad(cs);

	ctx->batch_va = xe_emu_cs_addr(cs, 1) & ~3ull;
	ctx->in_batch = true;
	cs->jumped = cs->batch;
	return 0;
}

/* End the batch unless the dword at the address is above the inline one. */
static int xe_emu_cs_cond_batch_end(struct xe_emu_cs *cs)
{
	u32 val;
	int err;

	if (!cs->batch || !(cs->dw[0] & XE_EMU_MI_COND_COMPARE) ||
	    (cs->dw[0] & XE_EMU_MI_GGTT) || cs->ndw != 4)
		return xe_emu_cs_bad(cs);

	xe_emu_cs_lock(cs, false);
	err = xe_emu_cs_fetch_dword(cs, xe_emu_cs_addr(cs, 2) & ~3ull, &val);
	xe_emu_cs_unlock(cs, false);
	if (err)
		return err;
	if (val <= cs->dw[1])
		cs->ctx->in_batch = false;
	return 0;
}

static int xe_emu_cs_copy_engine_check(struct xe_emu_cs *cs, u32 ndw)
{
	if (cs->engine->class != XE_EMU_ENGINE_CLASS_COPY || cs->ndw != ndw || cs->dw[2])
		return xe_emu_cs_bad(cs);
	return 0;
}

static int xe_emu_cs_injected_copy_failure(struct xe_emu_cs *cs, u64 dst)
{
	if (atomic_dec_if_positive(&cs->hw->knobs.copy_fail) < 0)
		return 0;
	return xe_emu_cs_error(cs, XE_EMU_CTX_ERR_COPY, dst);
}

static int xe_emu_cs_mem_set(struct xe_emu_cs *cs)
{
	u64 dst = xe_emu_cs_addr(cs, 4);
	int err;

	err = xe_emu_cs_copy_engine_check(cs, 7);
	if (!err)
		err = xe_emu_cs_injected_copy_failure(cs, dst);
	if (err)
		return err;

	return xe_emu_cs_blit(cs, cs->ctx->flags & XE_EMU_CTX_PHYSICAL, dst, 0, false,
			      FIELD_GET(XE_EMU_MEM_SET_DATA, cs->dw[6]), (u64)cs->dw[1] + 1);
}

static int xe_emu_cs_mem_copy(struct xe_emu_cs *cs)
{
	bool pages = cs->dw[0] & XE_EMU_MEM_COPY_PAGE;
	u64 src = xe_emu_cs_addr(cs, 5);
	u64 dst = xe_emu_cs_addr(cs, 7);
	u64 len = ((u64)cs->dw[1] + 1) * (pages ? SZ_4K : 1);
	int err;

	err = xe_emu_cs_copy_engine_check(cs, 10);
	if (err)
		return err;
	if (pages && (!IS_ALIGNED(src, SZ_4K) || !IS_ALIGNED(dst, SZ_4K)))
		return xe_emu_cs_bad(cs);
	err = xe_emu_cs_injected_copy_failure(cs, dst);
	if (err)
		return err;

	return xe_emu_cs_blit(cs, cs->ctx->flags & XE_EMU_CTX_PHYSICAL, dst, src, true, 0, len);
}

static int xe_emu_cs_exec_mi(struct xe_emu_cs *cs)
{
	switch (cs->dw[0] & XE_EMU_MI_OPCODE) {
	case XE_EMU_MI_NOOP:
		return 0;
	case XE_EMU_MI_USER_INTERRUPT:
		/* What the context wrote is visible before the interrupt. */
		smp_wmb();
		xe_emu_irq_latch(cs->hw, XE_EMU_IRQ_USER(cs->engine->slot));
		return 0;
	case XE_EMU_MI_BATCH_BUFFER_END:
		if (!cs->batch)
			return xe_emu_cs_bad(cs);
		cs->ctx->in_batch = false;
		return 0;
	case XE_EMU_MI_ARB_CHECK:
		return 0;
	case XE_EMU_MI_BATCH_BUFFER_START:
		return xe_emu_cs_batch_start(cs);
	case XE_EMU_MI_COND_BATCH_BUFFER_END:
		return xe_emu_cs_cond_batch_end(cs);
	case XE_EMU_MI_STORE_DATA_IMM:
		return xe_emu_cs_store_data_imm(cs);
	case XE_EMU_MI_FLUSH_DW:
		return xe_emu_cs_flush_dw(cs);
	case XE_EMU_MI_ATOMIC:
		return xe_emu_cs_atomic(cs);
	default:
		return xe_emu_cs_bad(cs);
	}
}

static int xe_emu_cs_exec(struct xe_emu_cs *cs)
{
	switch (cs->dw[0] & (XE_EMU_INSTR_TYPE | XE_EMU_BLT_OPCODE)) {
	case XE_EMU_MEM_SET:
		return xe_emu_cs_mem_set(cs);
	case XE_EMU_MEM_COPY:
		return xe_emu_cs_mem_copy(cs);
	}
	if (FIELD_GET(XE_EMU_INSTR_TYPE, cs->dw[0]) == XE_EMU_INSTR_MI)
		return xe_emu_cs_exec_mi(cs);
	return xe_emu_cs_bad(cs);
}

/* Dwords of the command that starts with @dw0, or 0 if no such command exists. */
static u32 xe_emu_cs_length(u32 dw0)
{
	u32 n = XE_EMU_INSTR_DWORDS(dw0);

	switch (FIELD_GET(XE_EMU_INSTR_TYPE, dw0)) {
	case XE_EMU_INSTR_MI:
		switch (dw0 & XE_EMU_MI_OPCODE) {
		case XE_EMU_MI_NOOP:
		case XE_EMU_MI_USER_INTERRUPT:
		case XE_EMU_MI_ARB_CHECK:
		case XE_EMU_MI_BATCH_BUFFER_END:
			return 1;
		case XE_EMU_MI_BATCH_BUFFER_START:
		case XE_EMU_MI_COND_BATCH_BUFFER_END:
		case XE_EMU_MI_STORE_DATA_IMM:
		case XE_EMU_MI_FLUSH_DW:
		case XE_EMU_MI_ATOMIC:
			return n <= XE_EMU_CS_MAX_DWORDS ? n : 0;
		}
		return 0;
	case XE_EMU_INSTR_BLT:
		switch (dw0 & (XE_EMU_INSTR_TYPE | XE_EMU_BLT_OPCODE)) {
		case XE_EMU_MEM_SET:
		case XE_EMU_MEM_COPY:
			return n <= XE_EMU_CS_MAX_DWORDS ? n : 0;
		}
		return 0;
	default:
		return 0;
	}
}

static u64 xe_emu_cs_ring_addr(const struct xe_emu_ctx *ctx, u32 offset)
{
	return ctx->ring_base + (offset & (ctx->ring_size - 1));
}

static int xe_emu_cs_fetch_ring(struct xe_emu_cs *cs)
{
	struct xe_emu_ctx *ctx = cs->ctx;
	u32 avail = (cs->tail - ctx->ring_head) & (ctx->ring_size - 1);
	u32 i;

	for (i = 0; i < cs->ndw || !i; i++) {
		u64 addr = xe_emu_cs_ring_addr(ctx, ctx->ring_head + i * sizeof(u32));

		if (xe_emu_mem_read32(cs->hw, addr, &cs->dw[i]))
			return xe_emu_cs_error(cs, XE_EMU_CTX_ERR_DMA, addr);
		if (i)
			continue;
		cs->ndw = xe_emu_cs_length(cs->dw[0]);
		if (!cs->ndw)
			return xe_emu_cs_bad(cs);
		/* The driver moved the tail into the middle of a command. */
		if (cs->ndw * sizeof(u32) > avail)
			return xe_emu_cs_bad(cs);
	}
	return 0;
}

static int xe_emu_cs_fetch_batch(struct xe_emu_cs *cs)
{
	u64 va = cs->ctx->batch_va;
	int err = 0;
	u32 i;

	xe_emu_cs_lock(cs, false);
	for (i = 0; i < cs->ndw || !i; i++) {
		err = xe_emu_cs_fetch_dword(cs, va + i * sizeof(u32), &cs->dw[i]);
		if (err)
			break;
		if (i)
			continue;
		cs->ndw = xe_emu_cs_length(cs->dw[0]);
		if (!cs->ndw) {
			err = xe_emu_cs_bad(cs);
			break;
		}
	}
	xe_emu_cs_unlock(cs, false);
	return err;
}

static void xe_emu_cs_advance(struct xe_emu_cs *cs, bool batch)
{
	struct xe_emu_ctx *ctx = cs->ctx;

	if (batch) {
		ctx->batch_va += cs->ndw * sizeof(u32);
		return;
	}
	ctx->ring_head = (ctx->ring_head + cs->ndw * sizeof(u32)) & (ctx->ring_size - 1);
	/* What the command wrote is visible before the head moves past it. */
	smp_wmb();
	xe_emu_mem_write32(cs->hw, ctx->desc + offsetof(struct xe_emu_ctx_desc, ring_head),
			   ctx->ring_head);
}

/* Fetch and execute the next command. */
static int xe_emu_cs_step(struct xe_emu_cs *cs)
{
	int err;

	memset(cs->dw, 0, sizeof(cs->dw));
	cs->ndw = 0;
	cs->batch = cs->ctx->in_batch;
	cs->jumped = false;
	err = cs->batch ? xe_emu_cs_fetch_batch(cs) : xe_emu_cs_fetch_ring(cs);
	if (!err)
		err = xe_emu_cs_exec(cs);
	if (err)
		return err;

	if (!cs->jumped)
		xe_emu_cs_advance(cs, cs->batch);
	atomic64_inc(&cs->hw->stats.commands);
	return 0;
}

/* Read and check the ring tail the driver wrote in the descriptor. */
static int xe_emu_cs_read_tail(struct xe_emu_cs *cs)
{
	struct xe_emu_ctx *ctx = cs->ctx;
	u64 addr = ctx->desc + offsetof(struct xe_emu_ctx_desc, ring_tail);

	if (xe_emu_mem_read32(cs->hw, addr, &cs->tail))
		return xe_emu_cs_error(cs, XE_EMU_CTX_ERR_DMA, ctx->desc);
	if (cs->tail >= ctx->ring_size || !IS_ALIGNED(cs->tail, sizeof(u32)))
		return xe_emu_cs_error(cs, XE_EMU_CTX_ERR_COMMAND, cs->tail);
	/* The ring contents are read after the tail that covers them. */
	smp_rmb();
	return 0;
}

static enum xe_emu_cs_result xe_emu_cs_result(int err)
{
	switch (err) {
	case XE_EMU_CS_E_FAULT:
		return XE_EMU_CS_FAULT;
	case XE_EMU_CS_E_ERROR:
		return XE_EMU_CS_ERROR;
	default:
		return XE_EMU_CS_YIELD;
	}
}

/**
 * xe_emu_cs_run() - execute a time slice of a context
 * @engine: the engine, whose thread calls this
 * @ctx: the engine's active context
 * @out: filled when the slice ends in a fault or an error
 *
 * Return: why the slice ended, see &enum xe_emu_cs_result.
 */
enum xe_emu_cs_result xe_emu_cs_run(struct xe_emu_engine *engine, struct xe_emu_ctx *ctx,
				    struct xe_emu_cs_outcome *out)
{
	struct xe_emu_cs cs = {
		.hw = engine->hw,
		.engine = engine,
		.ctx = ctx,
		.out = out,
	};
	u64 deadline = local_clock() + XE_EMU_CS_SLICE_NS;
	unsigned int n;
	int err;

	for (n = 0; n < XE_EMU_CS_SLICE_CMDS; n++) {
		if (xe_emu_cs_abort(&cs) || (n && local_clock() > deadline))
			return XE_EMU_CS_YIELD;

		if (!ctx->in_batch) {
			err = xe_emu_cs_read_tail(&cs);
			if (err)
				return xe_emu_cs_result(err);
			if (cs.tail == ctx->ring_head)
				return XE_EMU_CS_IDLE;
		}

		xe_emu_sleep_us(cs.hw, READ_ONCE(cs.hw->knobs.engine_delay_us));
		err = xe_emu_cs_step(&cs);
		if (err)
			return xe_emu_cs_result(err);
		cond_resched();
	}
	return XE_EMU_CS_YIELD;
}
