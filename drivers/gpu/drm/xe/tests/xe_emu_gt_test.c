// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <kunit/test.h>

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "emu/xe_emu.h"
#include "emu/xe_emu_hw.h"
#include "emu/xe_emu_types.h"

/*
 * These suites drive a complete emulated GPU, built without a bus by
 * xe_emu_test_create(), the way a driver would: through its registers, and
 * through rings, descriptors, page tables and data in memory the test
 * allocates. They look at VRAM directly, as the CPU would through the BAR,
 * and set fault-injection knobs the way their debugfs files do.
 */

#define T_VRAM_SIZE		SZ_16M
#define T_H2G_SIZE		SZ_32K
#define T_G2H_SIZE		SZ_4K
#define T_RING_SIZE		SZ_4K
#define T_TIMEOUT_MS		5000

#define T_BCS0			(XE_EMU_ENGINE_CLASS_COPY << 8 | 0)
#define T_CCS(n)		(XE_EMU_ENGINE_CLASS_COMPUTE << 8 | (n))

#define T_MI_LEN(n)		((n) - 2)
#define T_SDI			(XE_EMU_MI_STORE_DATA_IMM | T_MI_LEN(4))
#define T_SDI_QW		(XE_EMU_MI_STORE_DATA_IMM | XE_EMU_MI_SDI_QW | T_MI_LEN(5))
#define T_BB_START		(XE_EMU_MI_BATCH_BUFFER_START | XE_EMU_MI_BB_PPGTT | T_MI_LEN(3))
#define T_ATOMIC(op)		(XE_EMU_MI_ATOMIC | FIELD_PREP(XE_EMU_MI_ATOMIC_OP, op) | \
				 T_MI_LEN(3))
#define T_ATOMIC_INLINE(op)	(XE_EMU_MI_ATOMIC | XE_EMU_MI_ATOMIC_INLINE | \
				 FIELD_PREP(XE_EMU_MI_ATOMIC_OP, op) | T_MI_LEN(11))
#define T_MEM_SET		(XE_EMU_MEM_SET | T_MI_LEN(7))
#define T_MEM_COPY		(XE_EMU_MEM_COPY | T_MI_LEN(10))

/* A bus address no memory answers at: beyond any physical address. */
#define T_NOWHERE		BIT_ULL(46)

struct t_gt {
	struct kunit *test;
	struct xe_emu_hw *hw;
	u32 *h2g;
	u32 h2g_tail;
	u32 *g2h;
	u32 g2h_head;
	u64 vram_next;
	atomic_t irqs;
	atomic_t irq_seen;
	bool irq_requested;
};

struct t_ctx {
	struct t_gt *t;
	u32 id;
	struct xe_emu_ctx_desc *desc;
	u32 *ring;
	u32 tail;
};

struct t_pt {
	u64 root;
	bool dm;
};

struct t_msg {
	u32 action;
	u32 len;
	u32 p[XE_EMU_CT_MAX_LEN];
};

static void *t_alloc(struct t_gt *t, size_t size)
{
	void *p = kunit_kzalloc(t->test, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(t->test, p);
	return p;
}

static u64 t_bus(const void *p)
{
	return virt_to_phys((void *)p);
}

static u64 t_vram_alloc(struct t_gt *t, u64 size, u64 align)
{
	u64 offset = ALIGN(t->vram_next, align);

	KUNIT_ASSERT_LE(t->test, offset + size, (u64)T_VRAM_SIZE);
	t->vram_next = offset + size;
	return offset;
}

static void *t_vram(struct t_gt *t, u64 offset)
{
	return t->hw->vram + offset;
}

static void t_wr(struct t_gt *t, u32 reg, u32 val)
{
	xe_emu_reg_write(t->hw, reg, val);
}

static u32 t_rd(struct t_gt *t, u32 reg)
{
	return xe_emu_reg_read(t->hw, reg);
}

static u32 t_le32(const __le32 *p)
{
	return le32_to_cpu(READ_ONCE(*p));
}

static int t_gt_init(struct kunit *test)
{
	struct t_gt *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	t->hw = xe_emu_test_create(T_VRAM_SIZE);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t->hw));
	/* Keep offset 0 unused, so a zero VRAM address is never valid data. */
	t->vram_next = SZ_64K;
	test->priv = t;
	return 0;
}

static void t_gt_exit(struct kunit *test)
{
	struct t_gt *t = test->priv;

	if (!t || IS_ERR_OR_NULL(t->hw))
		return;
	if (t->irq_requested)
		free_irq(t->hw->irq, t);
	xe_emu_test_destroy(t->hw);
}

static void t_ct_ring(struct t_gt *t, u32 base_lo, const void *ring, u32 size)
{
	t_wr(t, base_lo, lower_32_bits(t_bus(ring)));
	t_wr(t, base_lo + 4, upper_32_bits(t_bus(ring)));
	t_wr(t, base_lo + 8, size);
	t_wr(t, base_lo + 12, 0);
	t_wr(t, base_lo + 16, 0);
}

static void t_ct_enable(struct t_gt *t)
{
	t->h2g = t_alloc(t, T_H2G_SIZE);
	t->g2h = t_alloc(t, T_G2H_SIZE);
	t_ct_ring(t, XE_EMU_REG_H2G_BASE_LO, t->h2g, T_H2G_SIZE);
	t_ct_ring(t, XE_EMU_REG_G2H_BASE_LO, t->g2h, T_G2H_SIZE);
	t_wr(t, XE_EMU_REG_CT_CTL, XE_EMU_CT_ENABLE);
	KUNIT_ASSERT_EQ(t->test, t_rd(t, XE_EMU_REG_CT_CTL), XE_EMU_CT_ENABLE);
}

static struct t_gt *t_gt(struct kunit *test)
{
	struct t_gt *t = test->priv;

	t_ct_enable(t);
	return t;
}

static void t_h2g(struct t_gt *t, u32 action, const u32 *payload, u32 len)
{
	u32 mask = T_H2G_SIZE / 4 - 1;
	unsigned long timeout = jiffies + msecs_to_jiffies(T_TIMEOUT_MS);
	u32 i;

	while (((t_rd(t, XE_EMU_REG_H2G_HEAD) - t->h2g_tail - 1) & mask) < len + 1) {
		KUNIT_ASSERT_TRUE_MSG(t->test, time_before(jiffies, timeout), "H2G ring stuck");
		usleep_range(100, 200);
	}
	WRITE_ONCE(t->h2g[t->h2g_tail],
		   FIELD_PREP(XE_EMU_CT_ACTION, action) | FIELD_PREP(XE_EMU_CT_LEN, len));
	for (i = 0; i < len; i++)
		WRITE_ONCE(t->h2g[(t->h2g_tail + 1 + i) & mask], payload[i]);
	t->h2g_tail = (t->h2g_tail + len + 1) & mask;
	/* The message is in the ring before the doorbell. */
	wmb();
	t_wr(t, XE_EMU_REG_H2G_TAIL, t->h2g_tail);
}

#define T_H2G(t, action, ...) \
	t_h2g(t, action, (const u32[]){ __VA_ARGS__ }, \
	      ARRAY_SIZE(((const u32[]){ __VA_ARGS__ })))

/* Take the next G2H message, waiting up to @ms for it; false on timeout. */
static bool t_g2h_poll(struct t_gt *t, struct t_msg *msg, unsigned int ms)
{
	u32 mask = T_G2H_SIZE / 4 - 1;
	unsigned long timeout = jiffies + msecs_to_jiffies(ms);
	u32 hdr, i;

	while (t_rd(t, XE_EMU_REG_G2H_TAIL) == t->g2h_head) {
		if (time_after(jiffies, timeout))
			return false;
		usleep_range(100, 200);
	}
	/* The message is read after the tail that covers it. */
	rmb();
	hdr = READ_ONCE(t->g2h[t->g2h_head]);
	msg->action = FIELD_GET(XE_EMU_CT_ACTION, hdr);
	msg->len = FIELD_GET(XE_EMU_CT_LEN, hdr);
	KUNIT_ASSERT_LE(t->test, msg->len, XE_EMU_CT_MAX_LEN);
	for (i = 0; i < msg->len; i++)
		msg->p[i] = READ_ONCE(t->g2h[(t->g2h_head + 1 + i) & mask]);
	t->g2h_head = (t->g2h_head + 1 + msg->len) & mask;
	t_wr(t, XE_EMU_REG_G2H_HEAD, t->g2h_head);
	return true;
}

/* The next G2H message must be @action, with at least @len payload dwords. */
static void t_g2h_expect(struct t_gt *t, u32 action, u32 len, struct t_msg *msg)
{
	KUNIT_ASSERT_TRUE_MSG(t->test, t_g2h_poll(t, msg, T_TIMEOUT_MS),
			      "no G2H message, expected %#x", action);
	KUNIT_ASSERT_EQ_MSG(t->test, msg->action, action,
			    "G2H %#x {%#x, %#x, %#x}", msg->action, msg->p[0], msg->p[1],
			    msg->p[2]);
	KUNIT_ASSERT_GE(t->test, msg->len, len);
}

static void t_g2h_none(struct t_gt *t, unsigned int ms)
{
	struct t_msg msg;

	KUNIT_EXPECT_FALSE_MSG(t->test, t_g2h_poll(t, &msg, ms), "unexpected G2H %#x {%#x, %#x}",
			       msg.action, msg.p[0], msg.p[1]);
}

static void t_expect_ctx_error(struct t_gt *t, u32 id, u32 reason, u64 detail)
{
	struct t_msg msg;

	t_g2h_expect(t, XE_EMU_G2H_CONTEXT_ERROR, 4, &msg);
	KUNIT_EXPECT_EQ(t->test, msg.p[0], id);
	KUNIT_EXPECT_EQ(t->test, msg.p[1], reason);
	KUNIT_EXPECT_EQ(t->test, (u64)msg.p[3] << 32 | msg.p[2], detail);
}

static struct xe_emu_ctx_desc *t_desc(struct t_gt *t, u32 engine, u32 flags, u64 pt_root,
				      u32 asid, u32 **ring)
{
	struct xe_emu_ctx_desc *desc = t_alloc(t, sizeof(*desc));

	*ring = t_alloc(t, T_RING_SIZE);
	desc->ring_base = cpu_to_le64(t_bus(*ring));
	desc->ring_size = cpu_to_le32(T_RING_SIZE);
	desc->flags = cpu_to_le32(flags);
	desc->pt_root = cpu_to_le64(pt_root);
	desc->asid = cpu_to_le32(asid);
	desc->engine = cpu_to_le32(engine);
	desc->status = cpu_to_le32(0xdead);
	return desc;
}

static void t_register(struct t_gt *t, u32 id, const struct xe_emu_ctx_desc *desc)
{
	T_H2G(t, XE_EMU_H2G_CONTEXT_REGISTER, id, lower_32_bits(t_bus(desc)),
	      upper_32_bits(t_bus(desc)));
}

static struct t_ctx *t_ctx(struct t_gt *t, u32 id, u32 engine, u32 flags,
			   const struct t_pt *pt, u32 asid)
{
	struct t_ctx *ctx = t_alloc(t, sizeof(*ctx));
	u64 root = pt ? pt->root | (pt->dm ? XE_EMU_PTE_DM : 0) : 0;

	ctx->t = t;
	ctx->id = id;
	ctx->desc = t_desc(t, engine, flags, root, asid, &ctx->ring);
	t_register(t, id, ctx->desc);
	return ctx;
}

/* Write commands to a batch; return where the next ones go. */
static u32 *t_put(u32 *p, const u32 *dw, u32 n)
{
	memcpy(p, dw, n * sizeof(u32));
	return p + n;
}

#define T_PUT(p, ...) \
	t_put(p, (const u32[]){ __VA_ARGS__ }, ARRAY_SIZE(((const u32[]){ __VA_ARGS__ })))

static void t_emit(struct t_ctx *ctx, const u32 *dw, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		ctx->ring[ctx->tail / 4] = dw[i];
		ctx->tail = (ctx->tail + 4) % T_RING_SIZE;
	}
}

#define T_EMIT(ctx, ...) \
	t_emit(ctx, (const u32[]){ __VA_ARGS__ }, ARRAY_SIZE(((const u32[]){ __VA_ARGS__ })))

static void t_submit(struct t_ctx *ctx)
{
	/* The commands are in the ring before the tail that covers them. */
	wmb();
	WRITE_ONCE(ctx->desc->ring_tail, cpu_to_le32(ctx->tail));
	T_H2G(ctx->t, XE_EMU_H2G_CONTEXT_RUN, ctx->id);
}

static u32 t_status(const struct t_ctx *ctx)
{
	return t_le32(&ctx->desc->status);
}

static bool t_idle(const struct t_ctx *ctx)
{
	return t_le32(&ctx->desc->ring_head) == ctx->tail &&
	       t_status(ctx) == XE_EMU_CTX_STATUS_IDLE;
}

static void t_wait_idle(struct t_ctx *ctx)
{
	unsigned long timeout = jiffies + msecs_to_jiffies(T_TIMEOUT_MS);

	while (!t_idle(ctx)) {
		KUNIT_ASSERT_TRUE_MSG(ctx->t->test, time_before(jiffies, timeout),
				      "context %u: head %#x tail %#x status %u", ctx->id,
				      t_le32(&ctx->desc->ring_head), ctx->tail, t_status(ctx));
		usleep_range(100, 200);
	}
}

static void t_wait_status(struct t_ctx *ctx, u32 status)
{
	unsigned long timeout = jiffies + msecs_to_jiffies(T_TIMEOUT_MS);

	while (t_status(ctx) != status) {
		KUNIT_ASSERT_TRUE_MSG(ctx->t->test, time_before(jiffies, timeout),
				      "context %u: status %u, expected %u", ctx->id,
				      t_status(ctx), status);
		usleep_range(100, 200);
	}
}

static void t_deregister(struct t_gt *t, u32 id)
{
	struct t_msg msg;

	T_H2G(t, XE_EMU_H2G_CONTEXT_DEREGISTER, id);
	t_g2h_expect(t, XE_EMU_G2H_CONTEXT_DEREGISTER_DONE, 1, &msg);
	KUNIT_EXPECT_EQ(t->test, msg.p[0], id);
}

static void t_tlb_invalidate(struct t_gt *t, u32 seqno, u32 asid, u64 start, u64 len)
{
	struct t_msg msg;

	T_H2G(t, XE_EMU_H2G_TLB_INVALIDATE, seqno, asid, lower_32_bits(start),
	      upper_32_bits(start), lower_32_bits(len), upper_32_bits(len));
	t_g2h_expect(t, XE_EMU_G2H_TLB_INVALIDATE_DONE, 1, &msg);
	KUNIT_EXPECT_EQ(t->test, msg.p[0], seqno);
}

/* Page tables, in system memory or VRAM. */

static u64 t_table_alloc(struct t_gt *t, bool dm)
{
	return dm ? t_vram_alloc(t, SZ_4K, SZ_4K) : t_bus(t_alloc(t, SZ_4K));
}

static __le64 *t_table(struct t_gt *t, u64 addr, bool dm)
{
	return dm ? t_vram(t, addr) : phys_to_virt(addr);
}

static struct t_pt t_pt(struct t_gt *t, bool dm)
{
	struct t_pt pt = { .root = t_table_alloc(t, dm), .dm = dm };

	return pt;
}

static unsigned int t_pt_index(u64 va, unsigned int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

/* Set the entry of @va at @level, creating the tables above it. */
static void t_pt_set(struct t_gt *t, const struct t_pt *pt, u64 va, unsigned int level,
		     u64 entry)
{
	u64 table = pt->root, pde;
	bool dm = pt->dm;
	unsigned int l;

	for (l = 3; l > level; l--) {
		__le64 *e = &t_table(t, table, dm)[t_pt_index(va, l)];

		pde = le64_to_cpu(*e);
		if (!(pde & XE_EMU_PTE_PRESENT)) {
			pde = t_table_alloc(t, dm) | XE_EMU_PTE_PRESENT | XE_EMU_PTE_RW |
			      (dm ? XE_EMU_PTE_DM : 0);
			WRITE_ONCE(*e, cpu_to_le64(pde));
		}
		table = pde & XE_EMU_PTE_ADDR;
		dm = pde & XE_EMU_PTE_DM;
	}
	WRITE_ONCE(t_table(t, table, dm)[t_pt_index(va, level)], cpu_to_le64(entry));
	/* The entry is written before the device is told to use it. */
	wmb();
}

static void t_map_4k(struct t_gt *t, const struct t_pt *pt, u64 va, u64 addr, u64 flags)
{
	t_pt_set(t, pt, va, 0, addr | XE_EMU_PTE_PRESENT | flags);
}

static void t_map_64k(struct t_gt *t, const struct t_pt *pt, u64 va, u64 addr, u64 flags)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		t_pt_set(t, pt, va + i * SZ_4K, 0,
			 (addr + i * SZ_4K) | XE_EMU_PTE_PRESENT | XE_EMU_PTE_PS64 | flags);
}

static void t_map_2m(struct t_gt *t, const struct t_pt *pt, u64 va, u64 addr, u64 flags)
{
	t_pt_set(t, pt, va, 1, addr | XE_EMU_PTE_PRESENT | XE_EMU_PDE_PS_2M | flags);
}

static void t_emit_sdi(struct t_ctx *ctx, u64 addr, u32 val)
{
	T_EMIT(ctx, T_SDI, lower_32_bits(addr), upper_32_bits(addr), val);
}

static void t_emit_sdi_ggtt(struct t_ctx *ctx, u64 addr, u32 val)
{
	T_EMIT(ctx, T_SDI | XE_EMU_MI_GGTT, lower_32_bits(addr), upper_32_bits(addr), val);
}

static void t_emit_bb_start(struct t_ctx *ctx, u64 va)
{
	T_EMIT(ctx, T_BB_START, lower_32_bits(va), upper_32_bits(va));
}

/* ------------------------------------------------------------------ */
/* Suite xe_emu_ct: command transport and the context life cycle       */
/* ------------------------------------------------------------------ */

static void xe_emu_ct_enable_test(struct kunit *test)
{
	struct t_gt *t = test->priv;
	u32 *h2g = t_alloc(t, SZ_4K), *g2h = t_alloc(t, SZ_4K);

	/* A size that is not a power of two keeps CT off. */
	t_ct_ring(t, XE_EMU_REG_H2G_BASE_LO, h2g, 3000);
	t_ct_ring(t, XE_EMU_REG_G2H_BASE_LO, g2h, SZ_4K);
	t_wr(t, XE_EMU_REG_CT_CTL, XE_EMU_CT_ENABLE);
	KUNIT_EXPECT_EQ(test, t_rd(t, XE_EMU_REG_CT_CTL), 0);

	/* So does a ring the device cannot reach. */
	t_wr(t, XE_EMU_REG_H2G_SIZE, SZ_4K);
	t_wr(t, XE_EMU_REG_G2H_BASE_HI, upper_32_bits(T_NOWHERE));
	t_wr(t, XE_EMU_REG_CT_CTL, XE_EMU_CT_ENABLE);
	KUNIT_EXPECT_EQ(test, t_rd(t, XE_EMU_REG_CT_CTL), 0);

	t_ct_ring(t, XE_EMU_REG_G2H_BASE_LO, g2h, SZ_4K);
	t_wr(t, XE_EMU_REG_CT_CTL, XE_EMU_CT_ENABLE);
	KUNIT_ASSERT_EQ(test, t_rd(t, XE_EMU_REG_CT_CTL), XE_EMU_CT_ENABLE);

	/* While enabled, the configuration and device-owned pointers are locked. */
	t_wr(t, XE_EMU_REG_H2G_SIZE, SZ_8K);
	t_wr(t, XE_EMU_REG_G2H_TAIL, 5);
	KUNIT_EXPECT_EQ(test, t_rd(t, XE_EMU_REG_H2G_SIZE), SZ_4K);
	KUNIT_EXPECT_EQ(test, t_rd(t, XE_EMU_REG_G2H_TAIL), 0);

	/* The doorbell makes the device consume up to the tail. */
	h2g[0] = FIELD_PREP(XE_EMU_CT_ACTION, XE_EMU_H2G_TLB_INVALIDATE) |
		 FIELD_PREP(XE_EMU_CT_LEN, 6);
	h2g[1] = 42;
	t_wr(t, XE_EMU_REG_H2G_TAIL, 7);
	t->g2h = g2h;
	{
		struct t_msg msg;

		t_g2h_expect(t, XE_EMU_G2H_TLB_INVALIDATE_DONE, 1, &msg);
		KUNIT_EXPECT_EQ(test, msg.p[0], 42);
	}
	KUNIT_EXPECT_EQ(test, t_rd(t, XE_EMU_REG_H2G_HEAD), 7);

	/* Disabled, the device ignores the doorbell. */
	t_wr(t, XE_EMU_REG_CT_CTL, 0);
	KUNIT_EXPECT_EQ(test, t_rd(t, XE_EMU_REG_CT_CTL), 0);
	h2g[7] = h2g[0];
	h2g[8] = 43;
	t_wr(t, XE_EMU_REG_H2G_TAIL, 14);
	msleep(50);
	KUNIT_EXPECT_EQ(test, t_rd(t, XE_EMU_REG_H2G_HEAD), 7);
}

static void xe_emu_ct_register_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_ctx *ctx = t_ctx(t, 3, T_BCS0, XE_EMU_CTX_PHYSICAL, NULL, 0);
	u32 *data = t_alloc(t, SZ_4K);

	t_wait_status(ctx, XE_EMU_CTX_STATUS_IDLE);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->hw->stats.contexts_registered), 1);

	t_emit_sdi_ggtt(ctx, t_bus(data), 0x1234);
	t_submit(ctx);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, data[0], 0x1234);

	t_deregister(t, 3);

	/* The id is free again; a deregistered context never runs again. */
	t_emit_sdi_ggtt(ctx, t_bus(data), 0x5678);
	WRITE_ONCE(ctx->desc->ring_tail, cpu_to_le32(ctx->tail));
	T_H2G(t, XE_EMU_H2G_CONTEXT_RUN, 3);
	ctx = t_ctx(t, 3, T_CCS(2), XE_EMU_CTX_PHYSICAL, NULL, 0);
	t_wait_status(ctx, XE_EMU_CTX_STATUS_IDLE);
	t_deregister(t, 3);
	t_g2h_none(t, 20);
	KUNIT_EXPECT_EQ(test, data[0], 0x1234);
}

struct t_bad_desc {
	const char *what;
	u32 reason;
	void (*mangle)(struct xe_emu_ctx_desc *desc);
};

static void t_mangle_size(struct xe_emu_ctx_desc *d) { d->ring_size = cpu_to_le32(3000); }
static void t_mangle_big(struct xe_emu_ctx_desc *d) { d->ring_size = cpu_to_le32(SZ_2M); }
static void t_mangle_base(struct xe_emu_ctx_desc *d) { le64_add_cpu(&d->ring_base, 8); }
static void t_mangle_class(struct xe_emu_ctx_desc *d) { d->engine = cpu_to_le32(0x200); }
static void t_mangle_fused(struct xe_emu_ctx_desc *d) { d->engine = cpu_to_le32(T_CCS(7)); }
static void t_mangle_flags(struct xe_emu_ctx_desc *d) { d->flags = cpu_to_le32(BIT(5)); }
static void t_mangle_rsvd(struct xe_emu_ctx_desc *d) { d->reserved[2] = cpu_to_le32(1); }
static void t_mangle_head(struct xe_emu_ctx_desc *d) { d->ring_head = cpu_to_le32(2); }
static void t_mangle_root(struct xe_emu_ctx_desc *d) { d->pt_root = cpu_to_le64(0x1004); }
static void t_mangle_ring(struct xe_emu_ctx_desc *d) { d->ring_base = cpu_to_le64(T_NOWHERE); }

static const struct t_bad_desc t_bad_descs[] = {
	{ "ring size not a power of two", XE_EMU_CTX_ERR_COMMAND, t_mangle_size },
	{ "ring size above 1 MiB", XE_EMU_CTX_ERR_COMMAND, t_mangle_big },
	{ "ring not page aligned", XE_EMU_CTX_ERR_COMMAND, t_mangle_base },
	{ "no such engine class", XE_EMU_CTX_ERR_COMMAND, t_mangle_class },
	{ "engine fused off", XE_EMU_CTX_ERR_COMMAND, t_mangle_fused },
	{ "unknown flag", XE_EMU_CTX_ERR_COMMAND, t_mangle_flags },
	{ "reserved not zero", XE_EMU_CTX_ERR_COMMAND, t_mangle_rsvd },
	{ "misaligned head", XE_EMU_CTX_ERR_COMMAND, t_mangle_head },
	{ "page-table root not aligned", XE_EMU_CTX_ERR_COMMAND, t_mangle_root },
	{ "ring out of reach", XE_EMU_CTX_ERR_DMA, t_mangle_ring },
};

static void xe_emu_ct_bad_desc_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct xe_emu_ctx_desc *desc;
	unsigned int i;
	u32 *ring;

	for (i = 0; i < ARRAY_SIZE(t_bad_descs); i++) {
		kunit_info(test, "%s\n", t_bad_descs[i].what);
		desc = t_desc(t, T_CCS(0), 0, pt.root, 1, &ring);
		t_bad_descs[i].mangle(desc);
		t_register(t, 10 + i, desc);
		t_expect_ctx_error(t, 10 + i, t_bad_descs[i].reason,
				   t_bad_descs[i].reason == XE_EMU_CTX_ERR_DMA ?
				   le64_to_cpu(desc->ring_base) : t_bus(desc));
		KUNIT_EXPECT_EQ(test, t_le32(&desc->status), XE_EMU_CTX_STATUS_ERROR);
		/* A failed registration holds its id until deregistered. */
		T_H2G(t, XE_EMU_H2G_CONTEXT_RUN, 10 + i);
		t_deregister(t, 10 + i);
	}

	/* A descriptor out of reach. */
	T_H2G(t, XE_EMU_H2G_CONTEXT_REGISTER, 40, lower_32_bits(T_NOWHERE),
	      upper_32_bits(T_NOWHERE));
	t_expect_ctx_error(t, 40, XE_EMU_CTX_ERR_DMA, T_NOWHERE);
	t_deregister(t, 40);

	/* An id out of range holds nothing. */
	desc = t_desc(t, T_CCS(0), 0, pt.root, 1, &ring);
	t_register(t, XE_EMU_MAX_CONTEXTS, desc);
	t_expect_ctx_error(t, XE_EMU_MAX_CONTEXTS, XE_EMU_CTX_ERR_COMMAND, t_bus(desc));
	KUNIT_EXPECT_EQ(test, t_le32(&desc->status), 0xdead);
	t_g2h_none(t, 20);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->hw->stats.contexts_registered), 0);
}

static void xe_emu_ct_duplicate_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_ctx *ctx = t_ctx(t, 5, T_BCS0, XE_EMU_CTX_PHYSICAL, NULL, 0);
	struct xe_emu_ctx_desc *desc;
	u32 *ring;

	t_wait_status(ctx, XE_EMU_CTX_STATUS_IDLE);
	desc = t_desc(t, T_BCS0, XE_EMU_CTX_PHYSICAL, 0, 0, &ring);
	t_register(t, 5, desc);
	t_expect_ctx_error(t, 5, XE_EMU_CTX_ERR_COMMAND, t_bus(desc));
	/* The context registered under the id is the one that dies. */
	KUNIT_EXPECT_EQ(test, t_status(ctx), XE_EMU_CTX_STATUS_ERROR);
	KUNIT_EXPECT_EQ(test, t_le32(&desc->status), 0xdead);
	t_deregister(t, 5);
}

static void xe_emu_ct_protocol_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);

	/* Unknown actions, short payloads and unknown ids are ignored... */
	T_H2G(t, 0x0777, 1, 2, 3);
	T_H2G(t, XE_EMU_H2G_CONTEXT_REGISTER, 1);
	T_H2G(t, XE_EMU_H2G_CONTEXT_RUN, 77);
	T_H2G(t, XE_EMU_H2G_PAGE_FAULT_REPLY, 0x12345, 0);
	t_g2h_none(t, 20);
	/* ... and the device goes on serving what follows. */
	t_tlb_invalidate(t, 9, 1, 0, 0);
	/* Deregistering an unknown id answers at once. */
	t_deregister(t, 77);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->hw->stats.h2g_messages), 6);
}

/* A G2H ring the driver does not drain makes the device wait, not drop. */
static void xe_emu_ct_backpressure_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	const u32 n = 700;
	struct t_msg msg;
	u32 i, room;

	for (i = 0; i < n; i++) {
		u32 payload[] = { i, 1, 0, 0, 0, 0 };
		u32 mask = T_H2G_SIZE / 4 - 1;

		/* Queue without the helper's wait, which would not be met. */
		KUNIT_ASSERT_GE(test, (t_rd(t, XE_EMU_REG_H2G_HEAD) - t->h2g_tail - 1) & mask,
				7u);
		t_h2g(t, XE_EMU_H2G_TLB_INVALIDATE, payload, ARRAY_SIZE(payload));
	}
	msleep(100);
	room = (t_rd(t, XE_EMU_REG_G2H_HEAD) - t_rd(t, XE_EMU_REG_G2H_TAIL) - 1) &
	       (T_G2H_SIZE / 4 - 1);
	KUNIT_EXPECT_LT(test, room, 2u);
	KUNIT_EXPECT_NE(test, t_rd(t, XE_EMU_REG_H2G_HEAD), t->h2g_tail);

	for (i = 0; i < n; i++) {
		t_g2h_expect(t, XE_EMU_G2H_TLB_INVALIDATE_DONE, 1, &msg);
		KUNIT_ASSERT_EQ(test, msg.p[0], i);
	}
	KUNIT_EXPECT_EQ(test, t_rd(t, XE_EMU_REG_H2G_HEAD), t->h2g_tail);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->hw->stats.tlb_invalidations), n);
}

/* Like a driver's: acknowledge what was raised, and remember it. */
static irqreturn_t t_irq_handler(int irq, void *arg)
{
	struct t_gt *t = arg;
	u32 status = t_rd(t, XE_EMU_REG_IRQ_STATUS);

	if (!status)
		return IRQ_NONE;
	t_wr(t, XE_EMU_REG_IRQ_STATUS, status);
	atomic_or(status, &t->irq_seen);
	atomic_inc(&t->irqs);
	return IRQ_HANDLED;
}

static void t_request_irq(struct t_gt *t)
{
	KUNIT_ASSERT_EQ(t->test, request_irq(t->hw->irq, t_irq_handler, 0, "xe_emu_test", t), 0);
	t->irq_requested = true;
}

static void t_wait_irqs(struct t_gt *t, int n)
{
	unsigned long timeout = jiffies + msecs_to_jiffies(T_TIMEOUT_MS);

	while (atomic_read(&t->irqs) < n) {
		KUNIT_ASSERT_TRUE_MSG(t->test, time_before(jiffies, timeout),
				      "%d interrupts, expected %d", atomic_read(&t->irqs), n);
		usleep_range(100, 200);
	}
}

static void xe_emu_ct_irq_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_ctx *ctx;

	t_request_irq(t);

	/* G2H events latch while disabled, and interrupt once enabled. */
	t_tlb_invalidate(t, 1, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, t_rd(t, XE_EMU_REG_IRQ_STATUS), XE_EMU_IRQ_G2H);
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->irqs), 0);
	t_wr(t, XE_EMU_REG_IRQ_ENABLE, XE_EMU_IRQ_G2H | XE_EMU_IRQ_USER_MASK);
	t_wait_irqs(t, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->irq_seen), XE_EMU_IRQ_G2H);
	KUNIT_EXPECT_EQ(test, t_rd(t, XE_EMU_REG_IRQ_STATUS), 0);
	/* Only existing engines' bits can be enabled: bcs0, ccs0-3. */
	KUNIT_EXPECT_EQ(test, t_rd(t, XE_EMU_REG_IRQ_ENABLE),
			XE_EMU_IRQ_G2H | XE_EMU_IRQ_USER(0) | (0xf << 16));

	/* MI_USER_INTERRUPT on ccs1 latches its bit and raises the line. */
	t_wr(t, XE_EMU_REG_IRQ_ENABLE, XE_EMU_IRQ_USER(9));
	atomic_set(&t->irqs, 0);
	atomic_set(&t->irq_seen, 0);
	ctx = t_ctx(t, 1, T_CCS(1), XE_EMU_CTX_PHYSICAL, NULL, 0);
	T_EMIT(ctx, XE_EMU_MI_NOOP, XE_EMU_MI_USER_INTERRUPT);
	t_submit(ctx);
	t_wait_idle(ctx);
	t_wait_irqs(t, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->irq_seen), XE_EMU_IRQ_USER(9));

	/* Status bits are write-1-to-clear. */
	T_EMIT(ctx, XE_EMU_MI_USER_INTERRUPT);
	t_wr(t, XE_EMU_REG_IRQ_ENABLE, 0);
	t_submit(ctx);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, t_rd(t, XE_EMU_REG_IRQ_STATUS), XE_EMU_IRQ_USER(9));
	t_wr(t, XE_EMU_REG_IRQ_STATUS, XE_EMU_IRQ_G2H);
	KUNIT_EXPECT_EQ(test, t_rd(t, XE_EMU_REG_IRQ_STATUS), XE_EMU_IRQ_USER(9));
	t_wr(t, XE_EMU_REG_IRQ_STATUS, XE_EMU_IRQ_USER(9));
	KUNIT_EXPECT_EQ(test, t_rd(t, XE_EMU_REG_IRQ_STATUS), 0);
}

/* The line is level-triggered: an event that comes while it is masked is not lost. */
static void xe_emu_ct_irq_level_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_ctx *ctx = t_ctx(t, 1, T_BCS0, XE_EMU_CTX_PHYSICAL, NULL, 0);

	t_request_irq(t);
	t_wr(t, XE_EMU_REG_IRQ_ENABLE, XE_EMU_IRQ_USER(0));

	/* Mask it at the controller now, not at the next interrupt. */
	irq_set_status_flags(t->hw->irq, IRQ_DISABLE_UNLAZY);
	disable_irq(t->hw->irq);
	T_EMIT(ctx, XE_EMU_MI_USER_INTERRUPT);
	t_submit(ctx);
	t_wait_idle(ctx);
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->irqs), 0);
	enable_irq(t->hw->irq);
	irq_clear_status_flags(t->hw->irq, IRQ_DISABLE_UNLAZY);
	t_wait_irqs(t, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->irq_seen), XE_EMU_IRQ_USER(0));

	/* Many events, each one served: the level never stays up unnoticed. */
	atomic_set(&t->irqs, 0);
	T_EMIT(ctx, XE_EMU_MI_USER_INTERRUPT, XE_EMU_MI_NOOP, XE_EMU_MI_USER_INTERRUPT,
	       XE_EMU_MI_NOOP, XE_EMU_MI_USER_INTERRUPT);
	t_submit(ctx);
	t_wait_idle(ctx);
	t_wait_irqs(t, 1);
	msleep(20);
	KUNIT_EXPECT_EQ(test, t_rd(t, XE_EMU_REG_IRQ_STATUS), 0);
}

static struct kunit_case xe_emu_ct_cases[] = {
	KUNIT_CASE(xe_emu_ct_enable_test),
	KUNIT_CASE(xe_emu_ct_register_test),
	KUNIT_CASE(xe_emu_ct_bad_desc_test),
	KUNIT_CASE(xe_emu_ct_duplicate_test),
	KUNIT_CASE(xe_emu_ct_protocol_test),
	KUNIT_CASE(xe_emu_ct_backpressure_test),
	KUNIT_CASE(xe_emu_ct_irq_test),
	KUNIT_CASE(xe_emu_ct_irq_level_test),
	{}
};

static struct kunit_suite xe_emu_ct_suite = {
	.name = "xe_emu_ct",
	.init = t_gt_init,
	.exit = t_gt_exit,
	.test_cases = xe_emu_ct_cases,
};

/* ------------------------------------------------------------------ */
/* Suite xe_emu_cs: commands                                           */
/* ------------------------------------------------------------------ */

static void xe_emu_cs_store_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_ctx *ctx = t_ctx(t, 1, T_BCS0, XE_EMU_CTX_PHYSICAL, NULL, 0);
	u64 *sys = t_alloc(t, SZ_4K);
	u64 vram = t_vram_alloc(t, SZ_4K, SZ_4K);
	u64 *v = t_vram(t, vram);

	T_EMIT(ctx, T_SDI, lower_32_bits(t_bus(sys)), upper_32_bits(t_bus(sys)), 0x11111111);
	T_EMIT(ctx, T_SDI_QW, lower_32_bits(t_bus(&sys[1])), upper_32_bits(t_bus(&sys[1])),
	       0x33333333, 0x22222222);
	T_EMIT(ctx, T_SDI_QW, lower_32_bits(vram), upper_32_bits(vram | XE_EMU_ADDR_DM),
	       0x55555555, 0x44444444);
	/* Post-sync writes of MI_FLUSH_DW, dword then qword. */
	T_EMIT(ctx, XE_EMU_MI_FLUSH_DW | XE_EMU_MI_FLUSH_STOREDW | T_MI_LEN(4),
	       lower_32_bits(t_bus(&sys[2])) | XE_EMU_MI_FLUSH_GGTT,
	       upper_32_bits(t_bus(&sys[2])), 0x66666666);
	T_EMIT(ctx, XE_EMU_MI_FLUSH_DW | XE_EMU_MI_FLUSH_STOREDW | T_MI_LEN(5),
	       lower_32_bits(vram + 8) | XE_EMU_MI_FLUSH_GGTT,
	       upper_32_bits((vram + 8) | XE_EMU_ADDR_DM), 0x88888888, 0x77777777);
	/* A flush without post-sync writes nothing. */
	T_EMIT(ctx, XE_EMU_MI_FLUSH_DW | T_MI_LEN(3), 0, 0);
	t_submit(ctx);
	t_wait_idle(ctx);

	KUNIT_EXPECT_EQ(test, sys[0], 0x11111111ull);
	KUNIT_EXPECT_EQ(test, sys[1], 0x2222222233333333ull);
	KUNIT_EXPECT_EQ(test, v[0], 0x4444444455555555ull);
	KUNIT_EXPECT_EQ(test, sys[2], 0x66666666ull);
	KUNIT_EXPECT_EQ(test, v[1], 0x7777777788888888ull);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->hw->stats.commands), 6);
	t_g2h_none(t, 10);
}

static void t_emit_mem_set(struct t_ctx *ctx, u64 dst, u32 len, u8 val)
{
	T_EMIT(ctx, T_MEM_SET, len - 1, 0, 0, lower_32_bits(dst), upper_32_bits(dst),
	       FIELD_PREP(XE_EMU_MEM_SET_DATA, val));
}

static void t_emit_mem_copy(struct t_ctx *ctx, u64 dst, u64 src, u32 width, bool pages)
{
	T_EMIT(ctx, T_MEM_COPY | (pages ? XE_EMU_MEM_COPY_PAGE : 0), width - 1, 0, 0, 0,
	       lower_32_bits(src), upper_32_bits(src), lower_32_bits(dst), upper_32_bits(dst), 0);
}

static void xe_emu_cs_mem_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_ctx *ctx = t_ctx(t, 2, T_BCS0, XE_EMU_CTX_PHYSICAL, NULL, 0);
	u8 *src = t_alloc(t, 4 * SZ_4K), *dst = t_alloc(t, 4 * SZ_4K);
	u8 *fill = t_alloc(t, 2 * SZ_4K);
	u64 vram = t_vram_alloc(t, 4 * SZ_4K, SZ_4K);
	u8 *expect = t_alloc(t, 4 * SZ_4K);
	struct rnd_state rnd;
	u32 seed = get_random_u32();
	u32 off, len;

	kunit_info(test, "seed %u\n", seed);
	prandom_seed_state(&rnd, seed);
	prandom_bytes_state(&rnd, src, 4 * SZ_4K);
	off = prandom_u32_state(&rnd) % SZ_4K;
	len = SZ_4K + prandom_u32_state(&rnd) % (2 * SZ_4K);

	/* Bytes: system to VRAM at an odd offset, across pages. */
	t_emit_mem_copy(ctx, (vram + off + 1) | XE_EMU_ADDR_DM, t_bus(src) + off, len, false);
	/* Pages: VRAM back to system memory. */
	t_emit_mem_copy(ctx, t_bus(dst), vram | XE_EMU_ADDR_DM, 4, true);
	/* A fill that crosses a page boundary. */
	t_emit_mem_set(ctx, t_bus(fill) + 4000, 200, 0xa5);
	t_submit(ctx);
	t_wait_idle(ctx);

	memcpy(expect + off + 1, src + off, len);
	KUNIT_EXPECT_EQ(test, memcmp(dst, expect, 4 * SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, memcmp(t_vram(t, vram), expect, 4 * SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, fill[3999], 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(fill + 4000, 0xa5, 200));
	KUNIT_EXPECT_EQ(test, fill[4200], 0);
}

static void xe_emu_cs_mem_errors_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_ctx *ccs = t_ctx(t, 1, T_CCS(0), XE_EMU_CTX_PHYSICAL, NULL, 0);
	struct t_ctx *bcs = t_ctx(t, 2, T_BCS0, XE_EMU_CTX_PHYSICAL, NULL, 0);
	struct t_ctx *far = t_ctx(t, 3, T_BCS0, XE_EMU_CTX_PHYSICAL, NULL, 0);
	struct t_ctx *pages = t_ctx(t, 4, T_BCS0, XE_EMU_CTX_PHYSICAL, NULL, 0);
	u8 *buf = t_alloc(t, SZ_4K);

	/* Copy-engine commands are command errors on a compute engine. */
	t_emit_mem_set(ccs, t_bus(buf), 16, 1);
	t_submit(ccs);
	t_expect_ctx_error(t, 1, XE_EMU_CTX_ERR_COMMAND, T_MEM_SET);
	t_wait_status(ccs, XE_EMU_CTX_STATUS_ERROR);
	KUNIT_EXPECT_EQ(test, buf[0], 0);

	/* Injected copy failure. */
	atomic_set(&t->hw->knobs.copy_fail, 1);
	t_emit_mem_set(bcs, t_bus(buf), 16, 2);
	t_submit(bcs);
	t_expect_ctx_error(t, 2, XE_EMU_CTX_ERR_COPY, t_bus(buf));
	KUNIT_EXPECT_EQ(test, buf[0], 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->hw->knobs.copy_fail), 0);

	/* Past the end of VRAM. */
	t_emit_mem_set(far, (T_VRAM_SIZE - 8) | XE_EMU_ADDR_DM, 16, 3);
	t_submit(far);
	t_expect_ctx_error(t, 3, XE_EMU_CTX_ERR_DMA, T_VRAM_SIZE | XE_EMU_ADDR_DM);

	/* Page mode needs page-aligned addresses. */
	t_emit_mem_copy(pages, t_bus(buf) + 64, t_bus(buf), 1, true);
	t_submit(pages);
	t_expect_ctx_error(t, 4, XE_EMU_CTX_ERR_COMMAND, T_MEM_COPY | XE_EMU_MEM_COPY_PAGE);
}

static void xe_emu_cs_bad_command_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_ctx *ctx = t_ctx(t, 1, T_CCS(0), XE_EMU_CTX_PHYSICAL, NULL, 0);
	struct t_ctx *ctx2 = t_ctx(t, 2, T_CCS(0), XE_EMU_CTX_PHYSICAL, NULL, 0);
	struct t_ctx *ctx3 = t_ctx(t, 3, T_CCS(0), XE_EMU_CTX_PHYSICAL, NULL, 0);
	struct t_ctx *ctx4 = t_ctx(t, 4, T_CCS(0), XE_EMU_CTX_PHYSICAL, NULL, 0);
	u32 *data = t_alloc(t, SZ_4K);
	const u32 bad = XE_EMU_MI(0x3e) | 1;

	t_emit_sdi_ggtt(ctx, t_bus(data), 1);
	T_EMIT(ctx, bad, 0, 0);
	t_emit_sdi_ggtt(ctx, t_bus(data), 2);
	t_submit(ctx);
	t_expect_ctx_error(t, 1, XE_EMU_CTX_ERR_COMMAND, bad);
	KUNIT_EXPECT_EQ(test, t_status(ctx), XE_EMU_CTX_STATUS_ERROR);
	KUNIT_EXPECT_EQ(test, data[0], 1);
	/* The head stays on the offending command. */
	KUNIT_EXPECT_EQ(test, t_le32(&ctx->desc->ring_head), 16);

	/* An ERROR context does not run again. */
	T_H2G(t, XE_EMU_H2G_CONTEXT_RUN, 1);
	msleep(20);
	KUNIT_EXPECT_EQ(test, data[0], 1);

	/* MI_ATOMIC returning the old value is not supported. */
	T_EMIT(ctx2, T_ATOMIC(XE_EMU_ATOMIC_INC) | XE_EMU_MI_ATOMIC_RETURN | XE_EMU_MI_GGTT,
	       lower_32_bits(t_bus(data)), upper_32_bits(t_bus(data)));
	t_submit(ctx2);
	t_expect_ctx_error(t, 2, XE_EMU_CTX_ERR_COMMAND,
			   T_ATOMIC(XE_EMU_ATOMIC_INC) | XE_EMU_MI_ATOMIC_RETURN |
			   XE_EMU_MI_GGTT);

	/* Batches cannot start in a physical context. */
	t_emit_bb_start(ctx3, SZ_1M);
	t_submit(ctx3);
	t_expect_ctx_error(t, 3, XE_EMU_CTX_ERR_COMMAND, T_BB_START);

	/* A tail that cuts a command in two. */
	T_EMIT(ctx4, T_SDI | XE_EMU_MI_GGTT, lower_32_bits(t_bus(data)));
	t_submit(ctx4);
	t_expect_ctx_error(t, 4, XE_EMU_CTX_ERR_COMMAND, T_SDI | XE_EMU_MI_GGTT);
	KUNIT_EXPECT_EQ(test, data[0], 1);
	t_g2h_none(t, 10);
}

/* Many engines updating the same dwords at once lose no update. */
static void xe_emu_cs_atomic_race_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	const u32 engines[] = { T_CCS(0), T_CCS(1), T_CCS(2), T_CCS(3), T_BCS0 };
	const unsigned int rounds = 1000, n = ARRAY_SIZE(engines);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *ctx[ARRAY_SIZE(engines)];
	u32 *batch = t_alloc(t, SZ_64K), *b = batch;
	u64 vram = t_vram_alloc(t, SZ_4K, SZ_4K);
	u32 *sys = t_alloc(t, SZ_4K);
	const u64 bva = SZ_1G, vva = SZ_2G, sva = SZ_2G + SZ_4K;
	unsigned int i;

	t_map_64k(t, &pt, bva, t_bus(batch), 0);
	t_map_4k(t, &pt, vva, vram, XE_EMU_PTE_RW | XE_EMU_PTE_DM);
	t_map_4k(t, &pt, sva, t_bus(sys), XE_EMU_PTE_RW | XE_EMU_PTE_AE);
	for (i = 0; i < rounds; i++) {
		b = T_PUT(b, T_ATOMIC(XE_EMU_ATOMIC_INC), lower_32_bits(vva), upper_32_bits(vva));
		b = T_PUT(b, T_ATOMIC_INLINE(XE_EMU_ATOMIC_ADD), lower_32_bits(sva),
			  upper_32_bits(sva), 3, 0, 0, 0, 0, 0, 0, 0);
	}
	*b = XE_EMU_MI_BATCH_BUFFER_END;

	for (i = 0; i < ARRAY_SIZE(engines); i++) {
		ctx[i] = t_ctx(t, i, engines[i], 0, &pt, 1);
		t_emit_bb_start(ctx[i], bva);
	}
	for (i = 0; i < ARRAY_SIZE(engines); i++)
		t_submit(ctx[i]);
	for (i = 0; i < ARRAY_SIZE(engines); i++)
		t_wait_idle(ctx[i]);

	KUNIT_EXPECT_EQ(test, *(u32 *)t_vram(t, vram), rounds * n);
	KUNIT_EXPECT_EQ(test, sys[0], 3 * rounds * n);
	t_g2h_none(t, 10);
}

/* A long context does not keep others on its engine waiting. */
static void xe_emu_cs_timeslice_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *slow = t_ctx(t, 1, T_CCS(3), 0, &pt, 1);
	struct t_ctx *quick = t_ctx(t, 2, T_CCS(3), 0, &pt, 1);
	u8 *batch = t_alloc(t, SZ_64K);
	u32 *data = t_alloc(t, SZ_4K);
	unsigned long timeout;
	const u64 va = SZ_1G, dva = SZ_2G;

	/* The slow batch: 8K MI_NOOPs (zeroes), a store, the end. */
	t_map_64k(t, &pt, va, t_bus(batch), 0);
	t_map_4k(t, &pt, dva, t_bus(data), XE_EMU_PTE_RW);
	T_PUT((u32 *)(batch + SZ_32K), T_SDI, lower_32_bits(dva), upper_32_bits(dva), 1,
	      XE_EMU_MI_BATCH_BUFFER_END);
	WRITE_ONCE(t->hw->knobs.engine_delay_us, 50);

	t_emit_bb_start(slow, va);
	t_submit(slow);
	usleep_range(5000, 6000);
	t_emit_sdi_ggtt(quick, t_bus(&data[1]), 2);
	t_submit(quick);

	timeout = jiffies + msecs_to_jiffies(T_TIMEOUT_MS);
	while (!READ_ONCE(data[1])) {
		KUNIT_ASSERT_TRUE(test, time_before(jiffies, timeout));
		usleep_range(100, 200);
	}
	KUNIT_EXPECT_EQ(test, READ_ONCE(data[0]), 0);
	KUNIT_EXPECT_EQ(test, t_status(slow), XE_EMU_CTX_STATUS_RUNNING);

	WRITE_ONCE(t->hw->knobs.engine_delay_us, 0);
	t_wait_idle(slow);
	KUNIT_EXPECT_EQ(test, data[0], 1);
}

static void xe_emu_cs_deregister_busy_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *ctx = t_ctx(t, 1, T_CCS(2), 0, &pt, 1);
	u8 *batch = t_alloc(t, SZ_64K);
	u32 *data = t_alloc(t, SZ_4K);
	u32 head;
	const u64 va = SZ_1G, dva = SZ_2G;

	t_map_64k(t, &pt, va, t_bus(batch), 0);
	t_map_4k(t, &pt, dva, t_bus(data), XE_EMU_PTE_RW);
	T_PUT((u32 *)(batch + SZ_32K), T_SDI, lower_32_bits(dva), upper_32_bits(dva), 1,
	      XE_EMU_MI_BATCH_BUFFER_END);
	WRITE_ONCE(t->hw->knobs.engine_delay_us, 100);

	t_emit_bb_start(ctx, va);
	t_emit_sdi_ggtt(ctx, t_bus(&data[1]), 2);
	t_submit(ctx);
	t_wait_status(ctx, XE_EMU_CTX_STATUS_RUNNING);
	msleep(20);
	t_deregister(t, 1);

	/* Once DONE is in, the device never touches the context again. */
	head = t_le32(&ctx->desc->ring_head);
	ctx->desc->status = cpu_to_le32(0xdead);
	WRITE_ONCE(t->hw->knobs.engine_delay_us, 0);
	msleep(100);
	KUNIT_EXPECT_EQ(test, t_le32(&ctx->desc->ring_head), head);
	KUNIT_EXPECT_EQ(test, t_status(ctx), 0xdead);
	KUNIT_EXPECT_EQ(test, data[0], 0);
	KUNIT_EXPECT_EQ(test, data[1], 0);
}

#define T_COND_END	(XE_EMU_MI_COND_BATCH_BUFFER_END | XE_EMU_MI_COND_COMPARE | T_MI_LEN(4))

/*
 * A spinner as userspace writes one: a store saying it started, then a
 * loop of MI_ARB_CHECK, MI_COND_BATCH_BUFFER_END on a dword the CPU clears
 * to stop it, and MI_BATCH_BUFFER_START back to the loop.
 */
static void xe_emu_cs_spin_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *ctx = t_ctx(t, 1, T_CCS(1), 0, &pt, 1);
	struct t_ctx *bad_ring = t_ctx(t, 2, T_CCS(1), 0, &pt, 1);
	struct t_ctx *no_compare = t_ctx(t, 3, T_CCS(1), 0, &pt, 1);
	u32 *batch = t_alloc(t, SZ_64K), *b = batch, *loop;
	u32 *data = t_alloc(t, SZ_4K);
	const u64 va = SZ_1G, dva = SZ_2G;
	const u64 end = dva + 8;
	u64 loop_va;

	t_map_64k(t, &pt, va, t_bus(batch), 0);
	t_map_4k(t, &pt, dva, t_bus(data), XE_EMU_PTE_RW);
	data[2] = 1;		/* above 0: go on */

	b = T_PUT(b, T_SDI, lower_32_bits(dva), upper_32_bits(dva), 0xc0ffee);
	loop = b;
	loop_va = va + (loop - batch) * sizeof(u32);
	b = T_PUT(b, XE_EMU_MI_ARB_CHECK);
	b = T_PUT(b, T_COND_END, 0, lower_32_bits(end), upper_32_bits(end));
	b = T_PUT(b, T_BB_START, lower_32_bits(loop_va), upper_32_bits(loop_va));
	/* Never reached: the loop ends the batch itself. */
	b = T_PUT(b, T_SDI, lower_32_bits(dva + 4), upper_32_bits(dva + 4), 0xbad);
	*b = XE_EMU_MI_BATCH_BUFFER_END;

	t_emit_bb_start(ctx, va);
	t_emit_sdi_ggtt(ctx, t_bus(&data[3]), 3);
	t_submit(ctx);
	t_wait_status(ctx, XE_EMU_CTX_STATUS_RUNNING);
	msleep(50);
	KUNIT_EXPECT_EQ(test, READ_ONCE(data[0]), 0xc0ffee);
	KUNIT_EXPECT_EQ(test, t_status(ctx), XE_EMU_CTX_STATUS_RUNNING);
	KUNIT_EXPECT_EQ(test, READ_ONCE(data[3]), 0);

	WRITE_ONCE(data[2], 0);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, data[1], 0);
	KUNIT_EXPECT_EQ(test, data[3], 3);

	/* The conditional end belongs in batches. */
	T_EMIT(bad_ring, T_COND_END, 0, lower_32_bits(end), upper_32_bits(end));
	t_submit(bad_ring);
	t_expect_ctx_error(t, 2, XE_EMU_CTX_ERR_COMMAND, T_COND_END);

	/* Without the compare bit it is not supported. */
	b = batch + SZ_16K / sizeof(u32);
	T_PUT(b, T_COND_END & ~XE_EMU_MI_COND_COMPARE, 0, lower_32_bits(end), upper_32_bits(end));
	t_emit_bb_start(no_compare, va + SZ_16K);
	t_submit(no_compare);
	t_expect_ctx_error(t, 3, XE_EMU_CTX_ERR_COMMAND, T_COND_END & ~XE_EMU_MI_COND_COMPARE);

	t_g2h_none(t, 10);
}

static struct kunit_case xe_emu_cs_cases[] = {
	KUNIT_CASE(xe_emu_cs_store_test),
	KUNIT_CASE(xe_emu_cs_mem_test),
	KUNIT_CASE(xe_emu_cs_mem_errors_test),
	KUNIT_CASE(xe_emu_cs_bad_command_test),
	KUNIT_CASE(xe_emu_cs_atomic_race_test),
	KUNIT_CASE(xe_emu_cs_timeslice_test),
	KUNIT_CASE(xe_emu_cs_spin_test),
	KUNIT_CASE(xe_emu_cs_deregister_busy_test),
	{}
};

static struct kunit_suite xe_emu_cs_suite = {
	.name = "xe_emu_cs",
	.init = t_gt_init,
	.exit = t_gt_exit,
	.test_cases = xe_emu_cs_cases,
};

/* ------------------------------------------------------------------ */
/* Suite xe_emu_mmu: translation, faults, TLB                          */
/* ------------------------------------------------------------------ */

#define T_VA		0x123456789000ull

static void xe_emu_mmu_4k_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *ctx = t_ctx(t, 1, T_CCS(0), 0, &pt, 1);
	u32 *page = t_alloc(t, SZ_4K);

	t_map_4k(t, &pt, T_VA, t_bus(page), XE_EMU_PTE_RW);
	t_emit_sdi(ctx, T_VA + 0x40, 0xcafe);
	t_submit(ctx);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, page[0x10], 0xcafe);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->hw->stats.tlb_misses), 1);
}

static void xe_emu_mmu_64k_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *ctx = t_ctx(t, 1, T_CCS(0), 0, &pt, 1);
	u32 *big = t_alloc(t, SZ_64K);
	const u64 va = 0x7f0000ull << 16;

	t_map_64k(t, &pt, va, t_bus(big), XE_EMU_PTE_RW);
	t_emit_sdi(ctx, va + 0x9008, 0xbeef);
	t_emit_sdi(ctx, va + 0x1000, 0xf00d);
	t_emit_sdi(ctx, va + 0xfffc, 0xd00d);
	t_submit(ctx);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, big[0x9008 / 4], 0xbeef);
	KUNIT_EXPECT_EQ(test, big[0x1000 / 4], 0xf00d);
	KUNIT_EXPECT_EQ(test, big[0xfffc / 4], 0xd00d);
	/* One walk serves the whole 64 KiB page. */
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->hw->stats.tlb_misses), 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->hw->stats.tlb_hits), 2);
}

static void xe_emu_mmu_2m_dm_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, true);
	struct t_ctx *ctx = t_ctx(t, 1, T_CCS(0), 0, &pt, 1);
	u64 page = t_vram_alloc(t, SZ_2M, SZ_2M);
	u64 small = t_vram_alloc(t, SZ_4K, SZ_4K);
	const u64 va = 0x40000000ull;

	t_map_2m(t, &pt, va, page, XE_EMU_PTE_RW | XE_EMU_PTE_DM);
	t_map_4k(t, &pt, va + SZ_2M, small, XE_EMU_PTE_RW | XE_EMU_PTE_DM);
	t_emit_sdi(ctx, va + 0x12344, 0xabcd);
	t_emit_sdi(ctx, va + SZ_2M - 4, 0xdcba);
	t_emit_sdi(ctx, va + SZ_2M + 4, 0x5a5a);
	t_submit(ctx);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, *(u32 *)t_vram(t, page + 0x12344), 0xabcd);
	KUNIT_EXPECT_EQ(test, *(u32 *)t_vram(t, page + SZ_2M - 4), 0xdcba);
	KUNIT_EXPECT_EQ(test, *(u32 *)t_vram(t, small + 4), 0x5a5a);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->hw->stats.tlb_misses), 2);
}

static void xe_emu_mmu_atomic_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *ctx = t_ctx(t, 1, T_CCS(1), 0, &pt, 1);
	u64 vram = t_vram_alloc(t, SZ_4K, SZ_4K);
	u32 *sys = t_alloc(t, SZ_4K);
	u32 *v = t_vram(t, vram);
	const u64 va = SZ_1G, sva = SZ_1G + SZ_4K;

	t_map_4k(t, &pt, va, vram, XE_EMU_PTE_RW | XE_EMU_PTE_DM);
	t_map_4k(t, &pt, sva, t_bus(sys), XE_EMU_PTE_RW | XE_EMU_PTE_AE);
	v[0] = 10;
	v[1] = 10;
	v[2] = 7;
	v[3] = 7;
	T_EMIT(ctx, T_ATOMIC(XE_EMU_ATOMIC_INC), lower_32_bits(va), upper_32_bits(va));
	T_EMIT(ctx, T_ATOMIC(XE_EMU_ATOMIC_DEC), lower_32_bits(va + 4), upper_32_bits(va));
	T_EMIT(ctx, T_ATOMIC_INLINE(XE_EMU_ATOMIC_ADD), lower_32_bits(va), upper_32_bits(va),
	       5, 0, 0, 0, 0, 0, 0, 0);
	T_EMIT(ctx, T_ATOMIC_INLINE(XE_EMU_ATOMIC_SUB), lower_32_bits(va + 4),
	       upper_32_bits(va), 3, 0, 0, 0, 0, 0, 0, 0);
	/* CMPXCHG: the first matches, the second does not. */
	T_EMIT(ctx, T_ATOMIC_INLINE(XE_EMU_ATOMIC_CMPXCHG), lower_32_bits(va + 8),
	       upper_32_bits(va), 7, 99, 0, 0, 0, 0, 0, 0);
	T_EMIT(ctx, T_ATOMIC_INLINE(XE_EMU_ATOMIC_CMPXCHG), lower_32_bits(va + 12),
	       upper_32_bits(va), 8, 99, 0, 0, 0, 0, 0, 0);
	/* System memory with XE_EMU_PTE_AE allows atomics. */
	T_EMIT(ctx, T_ATOMIC(XE_EMU_ATOMIC_DEC), lower_32_bits(sva), upper_32_bits(sva));
	t_submit(ctx);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, v[0], 16);
	KUNIT_EXPECT_EQ(test, v[1], 6);
	KUNIT_EXPECT_EQ(test, v[2], 99);
	KUNIT_EXPECT_EQ(test, v[3], 7);
	KUNIT_EXPECT_EQ(test, sys[0], 0xffffffff);
	t_g2h_none(t, 10);
}

static void xe_emu_mmu_batch_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *ctx = t_ctx(t, 1, T_CCS(0), 0, &pt, 1);
	struct t_ctx *ggtt = t_ctx(t, 2, T_CCS(0), 0, &pt, 1);
	struct t_ctx *nest = t_ctx(t, 3, T_CCS(0), 0, &pt, 1);
	u32 *batch = t_alloc(t, SZ_4K), *data = t_alloc(t, SZ_4K);
	const u64 bva = 0x100000, dva = 0x200000;

	t_map_4k(t, &pt, bva, t_bus(batch), 0);
	t_map_4k(t, &pt, dva, t_bus(data), XE_EMU_PTE_RW);
	/* A batch at the end of its page, run between two ring commands. */
	T_PUT(batch + 1016, T_SDI, lower_32_bits(dva + 4), upper_32_bits(dva + 4), 2,
	      XE_EMU_MI_NOOP, XE_EMU_MI_BATCH_BUFFER_END);
	t_emit_sdi(ctx, dva, 1);
	t_emit_bb_start(ctx, bva + 1016 * 4);
	t_emit_sdi(ctx, dva + 8, 3);
	t_submit(ctx);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, data[0], 1);
	KUNIT_EXPECT_EQ(test, data[1], 2);
	KUNIT_EXPECT_EQ(test, data[2], 3);

	/* Physical addresses are not allowed in a batch. */
	T_PUT(batch + 100, T_SDI | XE_EMU_MI_GGTT, lower_32_bits(t_bus(data)),
	      upper_32_bits(t_bus(data)), 7, XE_EMU_MI_BATCH_BUFFER_END);
	t_emit_bb_start(ggtt, bva + 400);
	t_submit(ggtt);
	t_expect_ctx_error(t, 2, XE_EMU_CTX_ERR_COMMAND, T_SDI | XE_EMU_MI_GGTT);
	KUNIT_EXPECT_EQ(test, data[0], 1);

	/* Batches do not nest (MI_BATCH_BUFFER_START in a batch chains). */
	T_PUT(batch + 200, T_BB_START | XE_EMU_MI_BB_SECOND_LEVEL, lower_32_bits(bva),
	      upper_32_bits(bva));
	t_emit_bb_start(nest, bva + 800);
	t_submit(nest);
	t_expect_ctx_error(t, 3, XE_EMU_CTX_ERR_COMMAND, T_BB_START | XE_EMU_MI_BB_SECOND_LEVEL);

	/* An atomic on system memory without AE, in a non-faultable context. */
	T_PUT(batch + 300, T_ATOMIC(XE_EMU_ATOMIC_INC), lower_32_bits(dva + 12),
	      upper_32_bits(dva + 12), XE_EMU_MI_BATCH_BUFFER_END);
	t_emit_bb_start(ctx, bva + 1200);
	t_submit(ctx);
	t_expect_ctx_error(t, 1, XE_EMU_CTX_ERR_CAT, dva + 12);
	KUNIT_EXPECT_EQ(test, t_status(ctx), XE_EMU_CTX_STATUS_ERROR);
	KUNIT_EXPECT_EQ(test, data[3], 0);
}

/* Expect a PAGE_FAULT and return its id. */
static u32 t_expect_fault(struct t_gt *t, u32 ctx_id, u32 asid, u64 va, u32 access,
			  u32 engine, u32 level, u32 reason)
{
	struct t_msg msg;

	t_g2h_expect(t, XE_EMU_G2H_PAGE_FAULT, 9, &msg);
	KUNIT_EXPECT_EQ(t->test, msg.p[1], ctx_id);
	KUNIT_EXPECT_EQ(t->test, msg.p[2], asid);
	KUNIT_EXPECT_EQ(t->test, (u64)msg.p[4] << 32 | msg.p[3], va);
	KUNIT_EXPECT_EQ(t->test, msg.p[5], access);
	KUNIT_EXPECT_EQ(t->test, msg.p[6], engine);
	KUNIT_EXPECT_EQ(t->test, msg.p[7], level);
	KUNIT_EXPECT_EQ(t->test, msg.p[8], reason);
	return msg.p[0];
}

static void xe_emu_mmu_fault_replay_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *ctx = t_ctx(t, 7, T_CCS(1), XE_EMU_CTX_FAULTABLE, &pt, 42);
	struct t_ctx *other = t_ctx(t, 8, T_CCS(1), XE_EMU_CTX_FAULTABLE, &pt, 42);
	u32 *page = t_alloc(t, SZ_4K), *near = t_alloc(t, SZ_4K);
	u32 fault_id;

	/* The page next door is mapped, so the walk stops at the PTE. */
	t_map_4k(t, &pt, T_VA + SZ_4K, t_bus(near), XE_EMU_PTE_RW);
	t_emit_sdi(ctx, T_VA + 0x80, 0x1111);
	t_emit_sdi(ctx, T_VA + 0x84, 0x2222);
	t_submit(ctx);
	fault_id = t_expect_fault(t, 7, 42, T_VA + 0x80, XE_EMU_ACCESS_WRITE, T_CCS(1), 0,
				  XE_EMU_FAULT_NOT_PRESENT);
	t_wait_status(ctx, XE_EMU_CTX_STATUS_STALLED);
	KUNIT_EXPECT_EQ(test, t_le32(&ctx->desc->ring_head), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->hw->stats.faults), 1);

	/* Other contexts on the engine keep running meanwhile. */
	t_emit_sdi(other, T_VA + SZ_4K, 0x3333);
	t_submit(other);
	t_wait_idle(other);
	KUNIT_EXPECT_EQ(test, near[0], 0x3333);

	t_map_4k(t, &pt, T_VA, t_bus(page), XE_EMU_PTE_RW);
	T_H2G(t, XE_EMU_H2G_PAGE_FAULT_REPLY, fault_id, 0);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, page[0x20], 0x1111);
	KUNIT_EXPECT_EQ(test, page[0x21], 0x2222);

	/* A second reply to the same fault is stale and ignored. */
	T_H2G(t, XE_EMU_H2G_PAGE_FAULT_REPLY, fault_id, 1);
	t_g2h_none(t, 20);
	KUNIT_EXPECT_EQ(test, t_status(ctx), XE_EMU_CTX_STATUS_IDLE);
}

static void xe_emu_mmu_fault_fail_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *ctx = t_ctx(t, 3, T_CCS(2), XE_EMU_CTX_FAULTABLE, &pt, 5);
	u32 *page = t_alloc(t, SZ_4K);
	u32 fault_id;

	t_emit_sdi(ctx, T_VA, 1);
	t_submit(ctx);
	/* Nothing is mapped: the walk stops at the PML4. */
	fault_id = t_expect_fault(t, 3, 5, T_VA, XE_EMU_ACCESS_WRITE, T_CCS(2), 3,
				  XE_EMU_FAULT_NOT_PRESENT);
	T_H2G(t, XE_EMU_H2G_PAGE_FAULT_REPLY, fault_id, 1);
	t_expect_ctx_error(t, 3, XE_EMU_CTX_ERR_FAULT, T_VA);
	KUNIT_EXPECT_EQ(test, t_status(ctx), XE_EMU_CTX_STATUS_ERROR);

	/* Mapping the page now changes nothing: the context is dead. */
	t_map_4k(t, &pt, T_VA, t_bus(page), XE_EMU_PTE_RW);
	T_H2G(t, XE_EMU_H2G_CONTEXT_RUN, 3);
	t_g2h_none(t, 20);
	KUNIT_EXPECT_EQ(test, page[0], 0);
	t_deregister(t, 3);
}

static void xe_emu_mmu_cat_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, true);
	struct t_ctx *ctx = t_ctx(t, 4, T_CCS(0), 0, &pt, 5);

	T_EMIT(ctx, T_SDI_QW, lower_32_bits(T_VA + 8), upper_32_bits(T_VA + 8), 1, 2);
	t_submit(ctx);
	t_expect_ctx_error(t, 4, XE_EMU_CTX_ERR_CAT, T_VA + 8);
	KUNIT_EXPECT_EQ(test, t_status(ctx), XE_EMU_CTX_STATUS_ERROR);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->hw->stats.faults), 0);
}

static void xe_emu_mmu_write_protect_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *ctx = t_ctx(t, 1, T_CCS(3), XE_EMU_CTX_FAULTABLE, &pt, 9);
	u32 *page = t_alloc(t, SZ_4K);
	u32 fault_id;

	t_map_4k(t, &pt, T_VA, t_bus(page), 0);
	/* Fetching the batch caches the read-only page in the TLB. */
	T_PUT(page + 64, T_SDI, lower_32_bits(T_VA + 4), upper_32_bits(T_VA + 4), 0x88,
	      XE_EMU_MI_BATCH_BUFFER_END);
	t_emit_bb_start(ctx, T_VA + 256);
	t_submit(ctx);
	fault_id = t_expect_fault(t, 1, 9, T_VA + 4, XE_EMU_ACCESS_WRITE, T_CCS(3), 0,
				  XE_EMU_FAULT_WRITE_PROTECTED);
	KUNIT_EXPECT_EQ(test, page[1], 0);

	/* Upgrading the PTE needs no invalidation: the fault dropped the entry. */
	t_map_4k(t, &pt, T_VA, t_bus(page), XE_EMU_PTE_RW);
	T_H2G(t, XE_EMU_H2G_PAGE_FAULT_REPLY, fault_id, 0);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, page[1], 0x88);
}

static void xe_emu_mmu_atomic_fault_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *ctx = t_ctx(t, 2, T_CCS(0), XE_EMU_CTX_FAULTABLE, &pt, 3);
	u32 *page = t_alloc(t, SZ_4K);
	u32 fault_id;

	t_map_4k(t, &pt, T_VA, t_bus(page), XE_EMU_PTE_RW);
	page[3] = 41;
	T_EMIT(ctx, T_ATOMIC(XE_EMU_ATOMIC_INC), lower_32_bits(T_VA + 12),
	       upper_32_bits(T_VA + 12));
	t_submit(ctx);
	fault_id = t_expect_fault(t, 2, 3, T_VA + 12, XE_EMU_ACCESS_ATOMIC, T_CCS(0), 0,
				  XE_EMU_FAULT_ATOMIC);
	KUNIT_EXPECT_EQ(test, page[3], 41);

	/* The driver migrates the page to VRAM and replays. */
	{
		u64 vram = t_vram_alloc(t, SZ_4K, SZ_4K);

		memcpy(t_vram(t, vram), page, SZ_4K);
		t_map_4k(t, &pt, T_VA, vram, XE_EMU_PTE_RW | XE_EMU_PTE_DM);
		t_tlb_invalidate(t, 1, 3, T_VA, SZ_4K);
		T_H2G(t, XE_EMU_H2G_PAGE_FAULT_REPLY, fault_id, 0);
		t_wait_idle(ctx);
		KUNIT_EXPECT_EQ(test, ((u32 *)t_vram(t, vram))[3], 42);
		KUNIT_EXPECT_EQ(test, page[3], 41);
	}
}

/* Without invalidation the engine keeps the old translation. */
static void xe_emu_mmu_tlb_stale_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *ctx = t_ctx(t, 1, T_CCS(2), 0, &pt, 6);
	struct t_ctx *other = t_ctx(t, 2, T_CCS(2), 0, &pt, 7);
	u32 *a = t_alloc(t, SZ_4K), *b = t_alloc(t, SZ_4K);

	t_map_4k(t, &pt, T_VA, t_bus(a), XE_EMU_PTE_RW);
	t_emit_sdi(ctx, T_VA, 1);
	t_submit(ctx);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, a[0], 1);

	t_map_4k(t, &pt, T_VA, t_bus(b), XE_EMU_PTE_RW);
	t_emit_sdi(ctx, T_VA, 2);
	t_submit(ctx);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, a[0], 2);
	KUNIT_EXPECT_EQ(test, b[0], 0);

	/* Another address space walks afresh: TLB entries are tagged. */
	t_emit_sdi(other, T_VA + 4, 5);
	t_submit(other);
	t_wait_idle(other);
	KUNIT_EXPECT_EQ(test, b[1], 5);

	/* Invalidating another ASID, or another range, changes nothing. */
	t_tlb_invalidate(t, 10, 7, 0, 0);
	t_tlb_invalidate(t, 11, 6, T_VA + SZ_4K, SZ_4K);
	t_emit_sdi(ctx, T_VA, 3);
	t_submit(ctx);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, a[0], 3);
	KUNIT_EXPECT_EQ(test, b[0], 0);

	t_tlb_invalidate(t, 12, 6, T_VA, SZ_4K);
	t_emit_sdi(ctx, T_VA, 4);
	t_submit(ctx);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, a[0], 3);
	KUNIT_EXPECT_EQ(test, b[0], 4);
}

static void xe_emu_mmu_null_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *ctx = t_ctx(t, 1, T_BCS0, 0, &pt, 1);
	u8 *page = t_alloc(t, SZ_4K);

	memset(page, 0xff, SZ_4K);
	t_map_4k(t, &pt, T_VA, 0, XE_EMU_PTE_NULL);
	t_map_4k(t, &pt, T_VA + SZ_4K, t_bus(page), XE_EMU_PTE_RW);
	/* Writes to a NULL page vanish; reads from it return zeroes. */
	t_emit_sdi(ctx, T_VA, 1);
	t_emit_mem_copy(ctx, T_VA + SZ_4K + 16, T_VA + 100, 32, false);
	t_submit(ctx);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, page[15], 0xff);
	KUNIT_EXPECT_NULL(test, memchr_inv(page + 16, 0, 32));
	KUNIT_EXPECT_EQ(test, page[48], 0xff);
	t_g2h_none(t, 10);
}

static void xe_emu_mmu_batch_fault_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *ctx = t_ctx(t, 1, T_BCS0, XE_EMU_CTX_FAULTABLE, &pt, 2);
	u32 *batch = t_alloc(t, 2 * SZ_4K), *data = t_alloc(t, SZ_4K);
	const u64 bva = 0x300000, dva = 0x400000;
	u32 fault_id;

	batch = PTR_ALIGN(batch, SZ_4K);
	t_map_4k(t, &pt, bva, t_bus(batch), 0);
	t_map_4k(t, &pt, dva, t_bus(data), XE_EMU_PTE_RW);
	/* A store whose last dword is on the next, unmapped, batch page. */
	T_PUT(batch + 1021, T_SDI, lower_32_bits(dva), upper_32_bits(dva));
	batch[1024] = 0x99;
	batch[1025] = XE_EMU_MI_BATCH_BUFFER_END;
	t_emit_bb_start(ctx, bva + 1021 * 4);
	t_submit(ctx);
	fault_id = t_expect_fault(t, 1, 2, bva + SZ_4K, XE_EMU_ACCESS_READ, T_BCS0, 0,
				  XE_EMU_FAULT_NOT_PRESENT);
	KUNIT_EXPECT_EQ(test, data[0], 0);

	t_map_4k(t, &pt, bva + SZ_4K, t_bus(batch + 1024), 0);
	T_H2G(t, XE_EMU_H2G_PAGE_FAULT_REPLY, fault_id, 0);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, data[0], 0x99);
}

static void xe_emu_mmu_knobs_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *ctx = t_ctx(t, 1, T_CCS(0), XE_EMU_CTX_FAULTABLE, &pt, 2);
	u32 *page = t_alloc(t, SZ_4K);
	unsigned long start;
	u32 fault_id;

	/* A dropped reply leaves the context stalled. */
	t_emit_sdi(ctx, T_VA, 1);
	t_submit(ctx);
	fault_id = t_expect_fault(t, 1, 2, T_VA, XE_EMU_ACCESS_WRITE, T_CCS(0), 3,
				  XE_EMU_FAULT_NOT_PRESENT);
	t_map_4k(t, &pt, T_VA, t_bus(page), XE_EMU_PTE_RW);
	atomic_set(&t->hw->knobs.drop_fault_replies, 1);
	T_H2G(t, XE_EMU_H2G_PAGE_FAULT_REPLY, fault_id, 0);
	msleep(50);
	KUNIT_EXPECT_EQ(test, t_status(ctx), XE_EMU_CTX_STATUS_STALLED);
	KUNIT_EXPECT_EQ(test, page[0], 0);

	/* A delayed reply takes effect after the delay. */
	WRITE_ONCE(t->hw->knobs.fault_reply_delay_ms, 200);
	start = jiffies;
	T_H2G(t, XE_EMU_H2G_PAGE_FAULT_REPLY, fault_id, 0);
	t_wait_idle(ctx);
	KUNIT_EXPECT_GE(test, jiffies_to_msecs(jiffies - start), 150);
	KUNIT_EXPECT_EQ(test, page[0], 1);

	/* A delayed invalidation: the stale translation lives on meanwhile. */
	WRITE_ONCE(t->hw->knobs.tlb_inval_delay_ms, 200);
	T_H2G(t, XE_EMU_H2G_TLB_INVALIDATE, 5, 2, lower_32_bits(T_VA), upper_32_bits(T_VA),
	      SZ_4K, 0);
	start = jiffies;
	t_map_4k(t, &pt, T_VA, 0, XE_EMU_PTE_NULL);
	t_emit_sdi(ctx, T_VA, 2);
	t_submit(ctx);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, page[0], 2);
	{
		struct t_msg msg;

		t_g2h_expect(t, XE_EMU_G2H_TLB_INVALIDATE_DONE, 1, &msg);
		KUNIT_EXPECT_EQ(test, msg.p[0], 5);
		KUNIT_EXPECT_GE(test, jiffies_to_msecs(jiffies - start), 150);
	}
	t_emit_sdi(ctx, T_VA, 3);
	t_submit(ctx);
	t_wait_idle(ctx);
	KUNIT_EXPECT_EQ(test, page[0], 2);
}

/* Teardown copes with whatever the driver left behind. */
static void xe_emu_mmu_teardown_test(struct kunit *test)
{
	struct t_gt *t = t_gt(test);
	struct t_pt pt = t_pt(t, false);
	struct t_ctx *ctx = t_ctx(t, 1, T_CCS(0), XE_EMU_CTX_FAULTABLE, &pt, 2);
	struct t_ctx *busy = t_ctx(t, 2, T_CCS(1), 0, &pt, 2);
	u8 *batch = t_alloc(t, SZ_64K);
	unsigned long start;
	unsigned int i;

	t_map_64k(t, &pt, SZ_1G, t_bus(batch), 0);
	WRITE_ONCE(t->hw->knobs.fault_reply_delay_ms, 60000);
	t_emit_sdi(ctx, T_VA, 1);
	t_submit(ctx);
	t_expect_fault(t, 1, 2, T_VA, XE_EMU_ACCESS_WRITE, T_CCS(0), 3,
		       XE_EMU_FAULT_NOT_PRESENT);
	T_H2G(t, XE_EMU_H2G_PAGE_FAULT_REPLY, 0, 0);
	WRITE_ONCE(t->hw->knobs.engine_delay_us, 1000);
	t_emit_bb_start(busy, SZ_1G);
	t_submit(busy);
	/* And a full G2H ring, with the GuC thread waiting for room. */
	for (i = 0; i < 600; i++)
		T_H2G(t, XE_EMU_H2G_TLB_INVALIDATE, i, 1, 0, 0, 0, 0);
	msleep(50);

	start = jiffies;
	xe_emu_test_destroy(t->hw);
	t->hw = NULL;
	KUNIT_EXPECT_LT(test, jiffies_to_msecs(jiffies - start), 2000);
}

static struct kunit_case xe_emu_mmu_cases[] = {
	KUNIT_CASE(xe_emu_mmu_4k_test),
	KUNIT_CASE(xe_emu_mmu_64k_test),
	KUNIT_CASE(xe_emu_mmu_2m_dm_test),
	KUNIT_CASE(xe_emu_mmu_atomic_test),
	KUNIT_CASE(xe_emu_mmu_batch_test),
	KUNIT_CASE(xe_emu_mmu_fault_replay_test),
	KUNIT_CASE(xe_emu_mmu_fault_fail_test),
	KUNIT_CASE(xe_emu_mmu_cat_test),
	KUNIT_CASE(xe_emu_mmu_write_protect_test),
	KUNIT_CASE(xe_emu_mmu_atomic_fault_test),
	KUNIT_CASE(xe_emu_mmu_tlb_stale_test),
	KUNIT_CASE(xe_emu_mmu_null_test),
	KUNIT_CASE(xe_emu_mmu_batch_fault_test),
	KUNIT_CASE(xe_emu_mmu_knobs_test),
	KUNIT_CASE(xe_emu_mmu_teardown_test),
	{}
};

static struct kunit_suite xe_emu_mmu_suite = {
	.name = "xe_emu_mmu",
	.init = t_gt_init,
	.exit = t_gt_exit,
	.test_cases = xe_emu_mmu_cases,
};

kunit_test_suites(&xe_emu_ct_suite, &xe_emu_cs_suite, &xe_emu_mmu_suite);
