// SPDX-License-Identifier: GPL-2.0-only
/*
 * DRM_IOCTL_XE_EXEC and DRM_IOCTL_XE_WAIT_USER_FENCE in VMs without page
 * faults: stores and atomics into system memory, VRAM and user memory, on
 * every engine, copy-engine fills and copies, ordering through syncobjs
 * and timelines, user fences, argument checking, queue bans on GPU errors,
 * eviction of VRAM between jobs and userptr invalidation.
 *
 * Every value the GPU is asked to write is read back by the CPU.
 *
 * The harness's EXPECT_*() and ASSERT_*() macros expand to two statements,
 * so they are always braced when they form the body of an if, else or for.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xe_ioctl.h"

/*
 * The harness keeps the pid of fork() in a non-volatile local of the
 * function calling setjmp(), into which test bodies get inlined; GCC then
 * warns about it. Only the path after a failed ASSERT_*() is affected.
 */
#pragma GCC diagnostic ignored "-Wclobbered"

/* GPU addresses, away from the context batch buffers. */
#define DATA_ADDR	0x00200000ull
#define DATA2_ADDR	0x00400000ull
#define FENCE_ADDR	0x00600000ull
#define BATCH2_ADDR	0x00800000ull
#define UNMAPPED_ADDR	0x00a00000ull
#define EVICT_ADDR	0x40000000ull

#define DATA_SIZE	SZ_64K

FIXTURE(xe_exec_basic) {
	int fd;
	struct xe_ctx ctx;	/* compute engine 0, VM without flags */
	struct xe_buf data;	/* system memory at DATA_ADDR */
};

FIXTURE_SETUP(xe_exec_basic)
{
	self->fd = drm_open_driver_xe();
	if (self->fd < 0 && !xe_devices_expected())
		SKIP(return, "no xe device found");
	ASSERT_GE(self->fd, 0) {
		TH_LOG("xe is loaded but no device could be opened: %s", strerror(errno));
	}

	ASSERT_EQ(0, xe_ctx_init(self->fd, &self->ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, DATA_SIZE, &self->data));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &self->data, DATA_ADDR, 0));
}

FIXTURE_TEARDOWN(xe_exec_basic)
{
	xe_buf_destroy(self->fd, &self->data);
	xe_ctx_fini(&self->ctx);
	close(self->fd);
}

/* A batch at offset of ctx's batch buffer that stores value at addr. */
static void store_batch(struct xe_ctx *ctx, uint64_t offset, uint64_t addr, uint32_t value)
{
	uint32_t *cs = xe_ctx_cs(ctx, offset);

	cs = xe_emit_store_dword(cs, addr, value);
	xe_emit_bb_end(cs);
}

/* --- stores into each kind of memory ------------------------------------ */

/* One job storing a dword and a qword into a fresh buffer of the given kind. */
static void store_once(struct __test_metadata *_metadata, FIXTURE_DATA(xe_exec_basic) *self,
		       enum xe_buf_kind kind)
{
	struct xe_buf buf;
	uint32_t *cs;
	uint64_t i;

	ASSERT_EQ(0, xe_buf_create(self->fd, kind, 2 * SZ_4K, &buf));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &buf, DATA2_ADDR, 0));

	cs = xe_ctx_cs(&self->ctx, 0);
	cs = xe_emit_store_dword(cs, DATA2_ADDR + 0x100, 0xc0ffee00 | kind);
	cs = xe_emit_store_qword(cs, DATA2_ADDR + SZ_4K + 0x208, 0x0123456789abcdefull);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, xe_ctx_run(&self->ctx));

	EXPECT_EQ(0xc0ffee00u | kind, xe_rd32(buf.ptr, 0x100));
	EXPECT_EQ(0x0123456789abcdefull, xe_rd64(buf.ptr, SZ_4K + 0x208));
	/* Nothing else was touched. */
	for (i = 0; i < 2 * SZ_4K; i += 4) {
		if (i == 0x100 || i == SZ_4K + 0x208 || i == SZ_4K + 0x20c)
			continue;
		ASSERT_EQ(0u, xe_rd32(buf.ptr, i)) {
			TH_LOG("%s offset %#llx", xe_buf_kind_name(kind), (unsigned long long)i);
		}
	}

	EXPECT_EQ(0, xe_vm_unbind(self->fd, self->ctx.vm, DATA2_ADDR, buf.size));
	xe_buf_destroy(self->fd, &buf);
}

TEST_F(xe_exec_basic, once_sysmem)
{
	store_once(_metadata, self, XE_BUF_SYSMEM);
}

TEST_F(xe_exec_basic, once_vram)
{
	store_once(_metadata, self, XE_BUF_VRAM);
}

TEST_F(xe_exec_basic, once_userptr)
{
	store_once(_metadata, self, XE_BUF_USERPTR);
}

/*
 * 64 jobs in a row on one queue, each storing into its own slot, only the
 * last one with an out-sync: the queue runs them in order, so once it
 * signalled every slot is written.
 */
static void store_many(struct __test_metadata *_metadata, FIXTURE_DATA(xe_exec_basic) *self,
		       enum xe_buf_kind kind)
{
	const unsigned int jobs = 64;
	struct drm_xe_sync sync;
	struct xe_buf buf;
	uint32_t syncobj;
	unsigned int i;

	ASSERT_EQ(0, xe_buf_create(self->fd, kind, SZ_4K, &buf));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &buf, DATA2_ADDR, 0));
	syncobj = syncobj_create(self->fd, 0);
	ASSERT_NE(0u, syncobj);
	sync = xe_sync_syncobj(syncobj, true);

	for (i = 0; i < jobs; i++) {
		store_batch(&self->ctx, i * 64, DATA2_ADDR + i * 4, 0x5100 + i);
		ASSERT_EQ(0, xe_exec(self->fd, self->ctx.queue, self->ctx.batch.addr + i * 64,
				     i == jobs - 1 ? &sync : NULL, i == jobs - 1)) {
			TH_LOG("job %u", i);
		}
	}
	ASSERT_EQ(0, syncobj_wait(self->fd, &syncobj, 1, 2 * XE_TIMEOUT_NS, 0));
	EXPECT_EQ(1, syncobj_fence_status(self->fd, syncobj));

	for (i = 0; i < jobs; i++) {
		EXPECT_EQ(0x5100 + i, xe_rd32(buf.ptr, i * 4)) {
			TH_LOG("%s slot %u", xe_buf_kind_name(kind), i);
		}
	}
	EXPECT_EQ(0u, xe_rd32(buf.ptr, jobs * 4));

	EXPECT_EQ(0, syncobj_destroy(self->fd, syncobj));
	xe_buf_destroy(self->fd, &buf);
}

TEST_F_TIMEOUT(xe_exec_basic, many_sysmem, 120)
{
	store_many(_metadata, self, XE_BUF_SYSMEM);
}

TEST_F_TIMEOUT(xe_exec_basic, many_vram, 120)
{
	store_many(_metadata, self, XE_BUF_VRAM);
}

TEST_F_TIMEOUT(xe_exec_basic, many_userptr, 120)
{
	store_many(_metadata, self, XE_BUF_USERPTR);
}

/* MI_FLUSH_DW's post-sync write is a store too. */
TEST_F(xe_exec_basic, flush_dw_store)
{
	uint32_t *cs = xe_ctx_cs(&self->ctx, 0);

	cs = xe_emit_store_dword(cs, DATA_ADDR + 0x10, 1);
	cs = xe_emit_flush_dw_store(cs, DATA_ADDR + 0x18, 0xf1a5);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, xe_ctx_run(&self->ctx));
	EXPECT_EQ(1u, xe_rd32(self->data.ptr, 0x10));
	EXPECT_EQ(0xf1a5u, xe_rd32(self->data.ptr, 0x18));
}

/* --- atomics ------------------------------------------------------------ */

TEST_F(xe_exec_basic, atomic_inc)
{
	uint32_t *cs = xe_ctx_cs(&self->ctx, 0);
	unsigned int i;

	xe_wr32(self->data.ptr, 0x40, 0);
	xe_wr32(self->data.ptr, 0x44, 0xaaaa);
	for (i = 0; i < 100; i++)
		cs = xe_emit_atomic(cs, ATOMIC_INC, DATA_ADDR + 0x40);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, xe_ctx_run(&self->ctx));
	EXPECT_EQ(100u, xe_rd32(self->data.ptr, 0x40));
	EXPECT_EQ(0xaaaau, xe_rd32(self->data.ptr, 0x44));

	/* Again, counting on from there. */
	ASSERT_EQ(0, xe_ctx_run(&self->ctx));
	EXPECT_EQ(200u, xe_rd32(self->data.ptr, 0x40));
}

/* Every operation, dword sized, wrapping around, with and without a match. */
TEST_F(xe_exec_basic, atomic_ops)
{
	static const struct {
		uint32_t op, start, op0, op1, expect;
		bool inline_data;
	} cases[] = {
		{ ATOMIC_INC, 7, 0, 0, 8, false },
		{ ATOMIC_INC, 0xffffffff, 0, 0, 0, false },
		{ ATOMIC_DEC, 7, 0, 0, 6, false },
		{ ATOMIC_DEC, 0, 0, 0, 0xffffffff, false },
		{ ATOMIC_INC, 41, 0, 0, 42, true },
		{ ATOMIC_DEC, 43, 0, 0, 42, true },
		{ ATOMIC_ADD, 10, 5, 0, 15, true },
		{ ATOMIC_ADD, 5, 0xfffffffe, 0, 3, true },
		{ ATOMIC_SUB, 20, 7, 0, 13, true },
		{ ATOMIC_SUB, 1, 2, 0, 0xffffffff, true },
		{ ATOMIC_CMPXCHG, 30, 30, 31, 31, true },
		{ ATOMIC_CMPXCHG, 40, 41, 42, 40, true },
		{ ATOMIC_CMPXCHG, 0, 0, 0xdeadbeef, 0xdeadbeef, true },
	};
	uint32_t *cs = xe_ctx_cs(&self->ctx, 0);
	size_t i;

	/* Cases 8 bytes apart, with a guard dword after each. */
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		xe_wr32(self->data.ptr, i * 8, cases[i].start);
		xe_wr32(self->data.ptr, i * 8 + 4, 0x6a6a6a6a);
		if (cases[i].inline_data)
			cs = xe_emit_atomic_inline(cs, cases[i].op, DATA_ADDR + i * 8,
						   cases[i].op0, cases[i].op1);
		else
			cs = xe_emit_atomic(cs, cases[i].op, DATA_ADDR + i * 8);
	}
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, xe_ctx_run(&self->ctx));

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		EXPECT_EQ(cases[i].expect, xe_rd32(self->data.ptr, i * 8)) {
			TH_LOG("case %zu: op %#x on %#x (%#x, %#x)", i, cases[i].op,
			       cases[i].start, cases[i].op0, cases[i].op1);
		}
		EXPECT_EQ(0x6a6a6a6au, xe_rd32(self->data.ptr, i * 8 + 4));
	}
}

/* Atomics into VRAM and user memory. */
TEST_F(xe_exec_basic, atomic_vram_userptr)
{
	const enum xe_buf_kind kinds[] = { XE_BUF_VRAM, XE_BUF_USERPTR };
	struct xe_buf buf;
	uint32_t *cs;
	unsigned int i;
	size_t k;

	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		ASSERT_EQ(0, xe_buf_create(self->fd, kinds[k], SZ_4K, &buf));
		ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &buf, DATA2_ADDR, 0));
		cs = xe_ctx_cs(&self->ctx, 0);
		for (i = 0; i < 50; i++)
			cs = xe_emit_atomic(cs, ATOMIC_INC, DATA2_ADDR + 0x80);
		cs = xe_emit_atomic_inline(cs, ATOMIC_ADD, DATA2_ADDR + 0x80, 1000, 0);
		cs = xe_emit_atomic_inline(cs, ATOMIC_CMPXCHG, DATA2_ADDR + 0x84, 0, 77);
		xe_emit_bb_end(cs);
		ASSERT_EQ(0, xe_ctx_run(&self->ctx));
		EXPECT_EQ(1050u, xe_rd32(buf.ptr, 0x80)) {
			TH_LOG("%s", xe_buf_kind_name(kinds[k]));
		}
		EXPECT_EQ(77u, xe_rd32(buf.ptr, 0x84)) {
			TH_LOG("%s", xe_buf_kind_name(kinds[k]));
		}
		EXPECT_EQ(0, xe_vm_unbind(self->fd, self->ctx.vm, DATA2_ADDR, SZ_4K));
		xe_buf_destroy(self->fd, &buf);
	}
}

/* --- where batches live ------------------------------------------------- */

static void batch_in(struct __test_metadata *_metadata, FIXTURE_DATA(xe_exec_basic) *self,
		     enum xe_buf_kind kind)
{
	struct xe_buf batch;
	uint32_t *cs;

	ASSERT_EQ(0, xe_buf_create(self->fd, kind, 2 * SZ_4K, &batch));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &batch, BATCH2_ADDR, 0));

	/* Starting in the first page and running on into the second. */
	cs = (uint32_t *)((char *)batch.ptr + SZ_4K - 2 * 4 * sizeof(uint32_t));
	cs = xe_emit_store_dword(cs, DATA_ADDR + 0x300, 0xba7c0000 | kind);
	cs = xe_emit_store_dword(cs, DATA_ADDR + 0x304, 0xba7c1000 | kind);
	cs = xe_emit_store_dword(cs, DATA_ADDR + 0x308, 0xba7c2000 | kind);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, xe_exec_wait(self->fd, self->ctx.queue,
				  BATCH2_ADDR + SZ_4K - 2 * 4 * sizeof(uint32_t), XE_TIMEOUT_NS));
	EXPECT_EQ(0xba7c0000u | kind, xe_rd32(self->data.ptr, 0x300));
	EXPECT_EQ(0xba7c1000u | kind, xe_rd32(self->data.ptr, 0x304));
	EXPECT_EQ(0xba7c2000u | kind, xe_rd32(self->data.ptr, 0x308));

	EXPECT_EQ(0, xe_vm_unbind(self->fd, self->ctx.vm, BATCH2_ADDR, batch.size));
	xe_buf_destroy(self->fd, &batch);
}

TEST_F(xe_exec_basic, batch_userptr)
{
	batch_in(_metadata, self, XE_BUF_USERPTR);
}

TEST_F(xe_exec_basic, batch_vram)
{
	batch_in(_metadata, self, XE_BUF_VRAM);
}

/* --- engines -------------------------------------------------------------- */

/* Every engine the query reports runs jobs, each in the same VM. */
TEST_F_TIMEOUT(xe_exec_basic, all_engines, 120)
{
	struct drm_xe_query_engines *engines;
	uint32_t i, copy = 0, compute = 0;
	struct xe_ctx ctx;
	uint32_t *cs;

	engines = xe_get_engines(self->fd);
	ASSERT_NE(NULL, engines);
	ASSERT_EQ(5u, engines->num_engines);

	for (i = 0; i < engines->num_engines; i++) {
		const struct drm_xe_engine_class_instance *eci = &engines->engines[i].instance;
		uint64_t addr = DATA_ADDR + 0x400 + i * 8;
		uint32_t value = 0xe0000000 | eci->engine_class << 8 | eci->engine_instance;

		copy += eci->engine_class == DRM_XE_ENGINE_CLASS_COPY;
		compute += eci->engine_class == DRM_XE_ENGINE_CLASS_COMPUTE;
		ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, self->ctx.vm, 0, eci->engine_class,
					 eci->engine_instance));
		/* A store and an atomic, each engine in its turn. */
		xe_wr32(self->data.ptr, 0x500, i);
		cs = xe_ctx_cs(&ctx, 0);
		cs = xe_emit_store_dword(cs, addr, value);
		cs = xe_emit_atomic(cs, ATOMIC_INC, DATA_ADDR + 0x500);
		xe_emit_bb_end(cs);
		EXPECT_EQ(0, xe_ctx_run(&ctx)) {
			TH_LOG("%s%u", xe_engine_class_name(eci->engine_class),
			       eci->engine_instance);
		}
		EXPECT_EQ(value, xe_rd32(self->data.ptr, 0x400 + i * 8)) {
			TH_LOG("%s%u", xe_engine_class_name(eci->engine_class),
			       eci->engine_instance);
		}
		EXPECT_EQ(i + 1, xe_rd32(self->data.ptr, 0x500));
		xe_ctx_fini(&ctx);
	}
	EXPECT_EQ(1u, copy);
	EXPECT_EQ(4u, compute);
	free(engines);
}

/* --- copy engine commands ----------------------------------------------- */

TEST_F(xe_exec_basic, mem_set)
{
	static const struct {
		uint32_t offset, len;
		uint8_t value;
	} fills[] = {
		{ 100, 5000, 0x3c },	/* unaligned, across a page */
		{ 3 * SZ_4K, 1, 0xfe },	/* a single byte */
		{ 4 * SZ_4K, 2 * SZ_4K, 0x00 },
		{ 7 * SZ_4K - 3, 3, 0x81 },
	};
	struct xe_ctx copy;
	struct xe_buf buf;
	uint8_t *p, expect;
	uint32_t *cs;
	size_t i, j;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &copy, 0, 0, DRM_XE_ENGINE_CLASS_COPY, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_VRAM, 8 * SZ_4K, &buf));
	ASSERT_EQ(0, xe_buf_bind(self->fd, copy.vm, &buf, DATA_ADDR, 0));
	p = buf.ptr;
	memset(p, 0x11, buf.size);

	cs = xe_ctx_cs(&copy, 0);
	for (i = 0; i < ARRAY_SIZE(fills); i++)
		cs = xe_emit_mem_set(cs, DATA_ADDR + fills[i].offset, fills[i].len, fills[i].value);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, xe_ctx_run(&copy));

	for (j = 0; j < buf.size; j++) {
		expect = 0x11;
		for (i = 0; i < ARRAY_SIZE(fills); i++)
			if (j >= fills[i].offset && j < fills[i].offset + fills[i].len)
				expect = fills[i].value;
		ASSERT_EQ(expect, p[j]) {
			TH_LOG("byte %zu", j);
		}
	}

	xe_buf_destroy(self->fd, &buf);
	xe_ctx_fini(&copy);
}

TEST_F(xe_exec_basic, mem_copy)
{
	const uint32_t len = 3 * SZ_4K + 123;
	struct xe_buf src, dst, user;
	uint8_t *s, *d, *u;
	struct xe_ctx copy;
	uint32_t *cs;
	uint32_t i;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &copy, 0, 0, DRM_XE_ENGINE_CLASS_COPY, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_VRAM, 4 * SZ_4K, &src));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, 4 * SZ_4K, &dst));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_USERPTR, 4 * SZ_4K, &user));
	ASSERT_EQ(0, xe_buf_bind(self->fd, copy.vm, &src, DATA_ADDR, 0));
	ASSERT_EQ(0, xe_buf_bind(self->fd, copy.vm, &dst, DATA2_ADDR, 0));
	ASSERT_EQ(0, xe_buf_bind(self->fd, copy.vm, &user, BATCH2_ADDR, 0));
	s = src.ptr;
	d = dst.ptr;
	u = user.ptr;
	for (i = 0; i < src.size; i++)
		s[i] = (uint8_t)(i * 7 + 3);
	memset(d, 0xdd, dst.size);
	memset(u, 0xee, user.size);

	/* VRAM to system memory, unaligned at both ends; then on to user memory. */
	cs = xe_ctx_cs(&copy, 0);
	cs = xe_emit_mem_copy(cs, DATA2_ADDR + 5, DATA_ADDR + 3, len);
	cs = xe_emit_mem_copy(cs, BATCH2_ADDR, DATA2_ADDR, dst.size);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, xe_ctx_run(&copy));

	for (i = 0; i < dst.size; i++) {
		uint8_t expect = i >= 5 && i < 5 + len ? (uint8_t)((i - 5 + 3) * 7 + 3) : 0xdd;

		ASSERT_EQ(expect, d[i]) {
			TH_LOG("system memory byte %u", i);
		}
		ASSERT_EQ(expect, u[i]) {
			TH_LOG("user memory byte %u", i);
		}
	}

	xe_buf_destroy(self->fd, &src);
	xe_buf_destroy(self->fd, &dst);
	xe_buf_destroy(self->fd, &user);
	xe_ctx_fini(&copy);
}

/* Blitter commands are an error on a compute engine: the queue is banned. */
TEST_F(xe_exec_basic, mem_set_compute_bans)
{
	uint32_t *cs = xe_ctx_cs(&self->ctx, 0);
	unsigned int i;

	memset(self->data.ptr, 0x22, SZ_4K);
	cs = xe_emit_mem_set(cs, DATA_ADDR, SZ_4K, 0x99);
	xe_emit_bb_end(cs);
	EXPECT_GT(0, xe_ctx_run(&self->ctx));
	EXPECT_EQ(1, xe_wait_banned(self->fd, self->ctx.queue, XE_TIMEOUT_NS));
	for (i = 0; i < SZ_4K; i += 4) {
		ASSERT_EQ(0x22222222u, xe_rd32(self->data.ptr, i));
	}

	cs = xe_ctx_cs(&self->ctx, 0);
	cs = xe_emit_mem_copy(cs, DATA_ADDR, DATA_ADDR + SZ_4K, SZ_4K);
	xe_emit_bb_end(cs);
	EXPECT_EQ(-ECANCELED, xe_exec(self->fd, self->ctx.queue, self->ctx.batch.addr, NULL, 0));
}

/* --- ordering --------------------------------------------------------------- */

/*
 * A batch at offset of ctx that takes a while (count atomic increments of
 * DATA_ADDR + 0x800) and then stores 1 at DATA_ADDR + 0x900.
 */
static void slow_batch(struct xe_ctx *ctx, uint64_t offset, unsigned int count)
{
	uint32_t *cs = xe_ctx_cs(ctx, offset);
	unsigned int i;

	for (i = 0; i < count; i++)
		cs = xe_emit_atomic(cs, ATOMIC_INC, DATA_ADDR + 0x800);
	cs = xe_emit_store_dword(cs, DATA_ADDR + 0x900, 1);
	xe_emit_bb_end(cs);
}

/* A batch at offset of ctx that turns DATA_ADDR + 0x900 from 1 into 2. */
static void check_batch(struct xe_ctx *ctx, uint64_t offset)
{
	uint32_t *cs = xe_ctx_cs(ctx, offset);

	cs = xe_emit_atomic_inline(cs, ATOMIC_CMPXCHG, DATA_ADDR + 0x900, 1, 2);
	xe_emit_bb_end(cs);
}

#define SLOW_COUNT	16384u

/*
 * Two queues on different engines: the second job waits for the first
 * through a syncobj. Had it not, it would have run while the first was
 * still counting, found 0 instead of 1 and left the flag alone.
 */
TEST_F_TIMEOUT(xe_exec_basic, syncobj_ordering, 120)
{
	struct drm_xe_sync syncs[2];
	uint32_t first, second;
	struct xe_ctx other;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &other, self->ctx.vm, 0,
				 DRM_XE_ENGINE_CLASS_COMPUTE, 1));
	first = syncobj_create(self->fd, 0);
	second = syncobj_create(self->fd, 0);
	ASSERT_NE(0u, first);
	ASSERT_NE(0u, second);

	slow_batch(&self->ctx, 0, SLOW_COUNT);
	check_batch(&other, 0);

	syncs[0] = xe_sync_syncobj(first, true);
	ASSERT_EQ(0, xe_exec(self->fd, self->ctx.queue, self->ctx.batch.addr, syncs, 1));
	syncs[0] = xe_sync_syncobj(first, false);
	syncs[1] = xe_sync_syncobj(second, true);
	ASSERT_EQ(0, xe_exec(self->fd, other.queue, other.batch.addr, syncs, 2));

	ASSERT_EQ(0, syncobj_wait(self->fd, &second, 1, 6 * XE_TIMEOUT_NS, 0));
	EXPECT_EQ(1, syncobj_fence_status(self->fd, second));
	/* The first job is done too, and was all done before the second began. */
	EXPECT_EQ(0, syncobj_wait(self->fd, &first, 1, 0, 0));
	EXPECT_EQ(SLOW_COUNT, xe_rd32(self->data.ptr, 0x800));
	EXPECT_EQ(2u, xe_rd32(self->data.ptr, 0x900));

	EXPECT_EQ(0, syncobj_destroy(self->fd, first));
	EXPECT_EQ(0, syncobj_destroy(self->fd, second));
	xe_ctx_fini(&other);
}

/* The same through points of one timeline syncobj. */
TEST_F_TIMEOUT(xe_exec_basic, timeline_ordering, 120)
{
	struct drm_xe_sync syncs[2];
	struct xe_ctx other;
	uint32_t timeline;
	uint64_t point;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &other, self->ctx.vm, 0,
				 DRM_XE_ENGINE_CLASS_COMPUTE, 2));
	timeline = syncobj_create(self->fd, 0);
	ASSERT_NE(0u, timeline);

	slow_batch(&self->ctx, 0, SLOW_COUNT);
	check_batch(&other, 0);

	syncs[0] = xe_sync_timeline(timeline, 1, true);
	ASSERT_EQ(0, xe_exec(self->fd, self->ctx.queue, self->ctx.batch.addr, syncs, 1));
	syncs[0] = xe_sync_timeline(timeline, 1, false);
	syncs[1] = xe_sync_timeline(timeline, 2, true);
	ASSERT_EQ(0, xe_exec(self->fd, other.queue, other.batch.addr, syncs, 2));

	point = 2;
	ASSERT_EQ(0, syncobj_timeline_wait(self->fd, &timeline, &point, 1, 6 * XE_TIMEOUT_NS,
					   0));
	point = 0;
	EXPECT_EQ(0, syncobj_query(self->fd, timeline, &point));
	EXPECT_EQ(2u, point);
	EXPECT_EQ(SLOW_COUNT, xe_rd32(self->data.ptr, 0x800));
	EXPECT_EQ(2u, xe_rd32(self->data.ptr, 0x900));

	/* A third job on the first queue, after point 2, signalling point 3. */
	store_batch(&self->ctx, 0, DATA_ADDR + 0x904, 3);
	syncs[0] = xe_sync_timeline(timeline, 2, false);
	syncs[1] = xe_sync_timeline(timeline, 3, true);
	ASSERT_EQ(0, xe_exec(self->fd, self->ctx.queue, self->ctx.batch.addr, syncs, 2));
	point = 3;
	ASSERT_EQ(0, syncobj_timeline_wait(self->fd, &timeline, &point, 1, XE_TIMEOUT_NS, 0));
	EXPECT_EQ(3u, xe_rd32(self->data.ptr, 0x904));

	EXPECT_EQ(0, syncobj_destroy(self->fd, timeline));
	xe_ctx_fini(&other);
}

/* --- user fences ------------------------------------------------------------ */

/*
 * The GPU writes an exec's user fence, through the VM, after the batch:
 * WAIT_USER_FENCE sees it, and the batch's own stores are visible by then.
 */
TEST_F(xe_exec_basic, ufence)
{
	struct drm_xe_sync sync;
	struct xe_buf fence;
	uint64_t *f;
	unsigned int i;

	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &fence));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &fence, FENCE_ADDR, 0));
	f = fence.ptr;

	for (i = 0; i < 16; i++) {
		store_batch(&self->ctx, i * 64, DATA_ADDR + 0xa00 + i * 4, 0xf00 + i);
		sync = xe_sync_ufence(FENCE_ADDR + 8 * i, 0x1234567800000000ull + i);
		ASSERT_EQ(0, xe_exec(self->fd, self->ctx.queue, self->ctx.batch.addr + i * 64,
				     &sync, 1));
	}
	ASSERT_EQ(0, xe_wait_ufence(self->fd, &f[15], 0x123456780000000full, self->ctx.queue,
				    XE_TIMEOUT_NS));
	for (i = 0; i < 16; i++) {
		EXPECT_EQ(0x1234567800000000ull + i, xe_rd64(f, 8 * i)) {
			TH_LOG("fence %u", i);
		}
		EXPECT_EQ(0xf00 + i, xe_rd32(self->data.ptr, 0xa00 + i * 4)) {
			TH_LOG("job %u", i);
		}
	}
	EXPECT_EQ(0u, xe_rd64(f, 8 * 16));

	xe_buf_destroy(self->fd, &fence);
}

/* A user fence in user memory, next to a syncobj out-sync. */
TEST_F(xe_exec_basic, ufence_userptr)
{
	struct drm_xe_sync syncs[2];
	struct xe_buf user;
	uint32_t syncobj;

	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_USERPTR, SZ_4K, &user));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &user, DATA2_ADDR, 0));
	syncobj = syncobj_create(self->fd, 0);
	ASSERT_NE(0u, syncobj);

	store_batch(&self->ctx, 0, DATA_ADDR + 0xb00, 0xb00);
	syncs[0] = xe_sync_syncobj(syncobj, true);
	syncs[1] = xe_sync_ufence(DATA2_ADDR + 0x18, ~0ull);
	ASSERT_EQ(0, xe_exec(self->fd, self->ctx.queue, self->ctx.batch.addr, syncs, 2));
	ASSERT_EQ(0, xe_wait_ufence(self->fd, (uint64_t *)((char *)user.ptr + 0x18), ~0ull,
				    self->ctx.queue, XE_TIMEOUT_NS));
	ASSERT_EQ(0, syncobj_wait(self->fd, &syncobj, 1, XE_TIMEOUT_NS, 0));
	EXPECT_EQ(1, syncobj_fence_status(self->fd, syncobj));
	EXPECT_EQ(0xb00u, xe_rd32(self->data.ptr, 0xb00));
	EXPECT_EQ(0u, xe_rd64(user.ptr, 0x10));
	EXPECT_EQ(0u, xe_rd64(user.ptr, 0x20));

	EXPECT_EQ(0, syncobj_destroy(self->fd, syncobj));
	EXPECT_EQ(0, xe_vm_unbind(self->fd, self->ctx.vm, DATA2_ADDR, SZ_4K));
	xe_buf_destroy(self->fd, &user);
}

/* The comparisons, masks and immediate checks of WAIT_USER_FENCE, on CPU-written values. */
TEST_F(xe_exec_basic, wait_ufence_ops)
{
	static const struct {
		uint16_t op;
		uint64_t value, mask;
		bool met;
	} checks[] = {
		{ DRM_XE_UFENCE_WAIT_OP_EQ, 0x500000005ull, ~0ull, true },
		{ DRM_XE_UFENCE_WAIT_OP_EQ, 0x500000004ull, ~0ull, false },
		{ DRM_XE_UFENCE_WAIT_OP_EQ, 5, 0xffffffff, true },
		{ DRM_XE_UFENCE_WAIT_OP_EQ, 5, ~0ull, false },
		{ DRM_XE_UFENCE_WAIT_OP_EQ, 0x900000005ull, 0xffffffff, true },
		{ DRM_XE_UFENCE_WAIT_OP_EQ, 0, 0, true },
		{ DRM_XE_UFENCE_WAIT_OP_NEQ, 0x500000004ull, ~0ull, true },
		{ DRM_XE_UFENCE_WAIT_OP_NEQ, 0x500000005ull, ~0ull, false },
		{ DRM_XE_UFENCE_WAIT_OP_NEQ, 0x700000005ull, 0xffffffff, false },
		{ DRM_XE_UFENCE_WAIT_OP_GT, 0x500000004ull, ~0ull, true },
		{ DRM_XE_UFENCE_WAIT_OP_GT, 0x500000005ull, ~0ull, false },
		{ DRM_XE_UFENCE_WAIT_OP_GT, 0x600000000ull, ~0ull, false },
		{ DRM_XE_UFENCE_WAIT_OP_GTE, 0x500000005ull, ~0ull, true },
		{ DRM_XE_UFENCE_WAIT_OP_GTE, 0x500000006ull, ~0ull, false },
		{ DRM_XE_UFENCE_WAIT_OP_LT, 0x500000006ull, ~0ull, true },
		{ DRM_XE_UFENCE_WAIT_OP_LT, 0x500000005ull, ~0ull, false },
		{ DRM_XE_UFENCE_WAIT_OP_LT, 4, 0xffffffff, false },
		{ DRM_XE_UFENCE_WAIT_OP_LTE, 0x500000005ull, ~0ull, true },
		{ DRM_XE_UFENCE_WAIT_OP_LTE, 0x500000004ull, ~0ull, false },
		/* Unsigned 64-bit comparisons. */
		{ DRM_XE_UFENCE_WAIT_OP_LT, ~0ull, ~0ull, true },
		{ DRM_XE_UFENCE_WAIT_OP_GT, 1ull << 63, ~0ull, false },
	};
	uint64_t *word = xe_alloc_pages(SZ_4K);
	struct drm_xe_wait_user_fence w;
	int expect;
	size_t i;

	ASSERT_NE(NULL, word);
	word[1] = 0x500000005ull;

	for (i = 0; i < ARRAY_SIZE(checks); i++) {
		memset(&w, 0, sizeof(w));
		w.addr = to_user_pointer(&word[1]);
		w.op = checks[i].op;
		w.value = checks[i].value;
		w.mask = checks[i].mask;
		w.timeout = 0;
		expect = checks[i].met ? 0 : -ETIME;
		EXPECT_EQ(expect, __xe_wait_ufence(self->fd, &w)) {
			TH_LOG("check %zu: op %u value %#llx mask %#llx", i, checks[i].op,
			       (unsigned long long)checks[i].value,
			       (unsigned long long)checks[i].mask);
		}
	}

	/* Waiting without a time limit returns at once when the value is there. */
	memset(&w, 0, sizeof(w));
	w.addr = to_user_pointer(&word[1]);
	w.op = DRM_XE_UFENCE_WAIT_OP_EQ;
	w.value = 0x500000005ull;
	w.mask = ~0ull;
	w.timeout = -1;
	EXPECT_EQ(0, __xe_wait_ufence(self->fd, &w));
	w.exec_queue_id = self->ctx.queue;
	EXPECT_EQ(0, __xe_wait_ufence(self->fd, &w));

	xe_free_pages(word, SZ_4K);
}

TEST_F(xe_exec_basic, wait_ufence_timeout)
{
	const int64_t timeout = 200 * 1000000ll;
	uint64_t *word = xe_alloc_pages(SZ_4K);
	struct drm_xe_wait_user_fence w;
	int64_t start, elapsed;

	ASSERT_NE(NULL, word);
	word[0] = 1;

	/* Relative: waits the whole time, then writes back what is left: nothing. */
	memset(&w, 0, sizeof(w));
	w.addr = to_user_pointer(word);
	w.op = DRM_XE_UFENCE_WAIT_OP_EQ;
	w.value = 2;
	w.mask = ~0ull;
	w.timeout = timeout;
	w.exec_queue_id = self->ctx.queue;
	start = xe_now_ns();
	EXPECT_EQ(-ETIME, __xe_wait_ufence(self->fd, &w));
	elapsed = xe_now_ns() - start;
	EXPECT_LE(timeout, elapsed);
	EXPECT_EQ(0, w.timeout);

	/* Met at once: most of the time is left. */
	w.value = 1;
	w.timeout = XE_TIMEOUT_NS;
	EXPECT_EQ(0, __xe_wait_ufence(self->fd, &w));
	EXPECT_LT(0, w.timeout);
	EXPECT_GE(XE_TIMEOUT_NS, w.timeout);

	/* Absolute, in the past: fails at once and the timeout is untouched. */
	w.value = 2;
	w.flags = DRM_XE_UFENCE_WAIT_FLAG_ABSTIME;
	w.timeout = xe_now_ns() - 1000000;
	start = w.timeout;
	EXPECT_EQ(-ETIME, __xe_wait_ufence(self->fd, &w));
	EXPECT_EQ(start, w.timeout);

	/* Absolute, in the future: waits until then. */
	w.timeout = xe_now_ns() + timeout;
	start = w.timeout;
	EXPECT_EQ(-ETIME, __xe_wait_ufence(self->fd, &w));
	EXPECT_LE(start, xe_now_ns());
	EXPECT_EQ(start, w.timeout);

	/* Absolute and met. */
	w.value = 1;
	w.timeout = xe_now_ns() + XE_TIMEOUT_NS;
	start = w.timeout;
	EXPECT_EQ(0, __xe_wait_ufence(self->fd, &w));
	EXPECT_EQ(start, w.timeout);

	/* Zero: a single check. */
	w.flags = 0;
	w.value = 2;
	w.timeout = 0;
	EXPECT_EQ(-ETIME, __xe_wait_ufence(self->fd, &w));
	w.value = 1;
	w.timeout = 0;
	EXPECT_EQ(0, __xe_wait_ufence(self->fd, &w));

	xe_free_pages(word, SZ_4K);
}

/* A waiter sleeping before the GPU writes the fence is woken by the write. */
TEST_F(xe_exec_basic, wait_ufence_wakeup)
{
	struct drm_xe_sync sync;
	struct xe_buf fence;
	int64_t start;

	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &fence));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &fence, FENCE_ADDR, 0));

	slow_batch(&self->ctx, 0, SLOW_COUNT);
	sync = xe_sync_ufence(FENCE_ADDR, 0xabc);
	start = xe_now_ns();
	ASSERT_EQ(0, xe_exec(self->fd, self->ctx.queue, self->ctx.batch.addr, &sync, 1));
	ASSERT_EQ(0, xe_wait_ufence(self->fd, fence.ptr, 0xabc, self->ctx.queue,
				    3 * XE_TIMEOUT_NS));
	TH_LOG("%u atomics took %lld ms", SLOW_COUNT, (long long)(xe_now_ns() - start) / 1000000);
	EXPECT_EQ(SLOW_COUNT, xe_rd32(self->data.ptr, 0x800));
	EXPECT_EQ(1u, xe_rd32(self->data.ptr, 0x900));

	xe_buf_destroy(self->fd, &fence);
}

TEST_F(xe_exec_basic, wait_ufence_invalid)
{
	struct drm_xe_user_extension ext = { .name = 0 };
	uint64_t *word = xe_alloc_pages(2 * SZ_4K);
	struct drm_xe_wait_user_fence w;
	size_t i;

	ASSERT_NE(NULL, word);
	ASSERT_EQ(0, munmap((char *)word + SZ_4K, SZ_4K));
	word[0] = 7;

	/* Each case would be met at once if it were accepted. */
#define GOOD_WAIT() do { \
		memset(&w, 0, sizeof(w)); \
		w.addr = to_user_pointer(word); \
		w.op = DRM_XE_UFENCE_WAIT_OP_EQ; \
		w.value = 7; \
		w.mask = ~0ull; \
		w.timeout = XE_TIMEOUT_NS; \
	} while (0)

	GOOD_WAIT();
	EXPECT_EQ(0, __xe_wait_ufence(self->fd, &w));

	GOOD_WAIT();
	w.extensions = to_user_pointer(&ext);
	EXPECT_EQ(-EINVAL, __xe_wait_ufence(self->fd, &w));
	GOOD_WAIT();
	w.pad = 1;
	EXPECT_EQ(-EINVAL, __xe_wait_ufence(self->fd, &w));
	GOOD_WAIT();
	w.pad2 = 1;
	EXPECT_EQ(-EINVAL, __xe_wait_ufence(self->fd, &w));
	for (i = 0; i < ARRAY_SIZE(w.reserved); i++) {
		GOOD_WAIT();
		w.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, __xe_wait_ufence(self->fd, &w)) {
			TH_LOG("reserved[%zu]", i);
		}
	}
	for (i = 1; i < 16; i++) {
		GOOD_WAIT();
		w.flags = 1u << i;
		EXPECT_EQ(-EINVAL, __xe_wait_ufence(self->fd, &w)) {
			TH_LOG("flag bit %zu", i);
		}
	}
	GOOD_WAIT();
	w.op = DRM_XE_UFENCE_WAIT_OP_LTE + 1;
	EXPECT_EQ(-EINVAL, __xe_wait_ufence(self->fd, &w));
	GOOD_WAIT();
	w.op = 0xffff;
	EXPECT_EQ(-EINVAL, __xe_wait_ufence(self->fd, &w));
	GOOD_WAIT();
	w.addr += 4;
	EXPECT_EQ(-EINVAL, __xe_wait_ufence(self->fd, &w));
	GOOD_WAIT();
	w.addr += 1;
	EXPECT_EQ(-EINVAL, __xe_wait_ufence(self->fd, &w));
	GOOD_WAIT();
	w.exec_queue_id = self->ctx.queue + 1000;
	EXPECT_EQ(-ENOENT, __xe_wait_ufence(self->fd, &w));

	/* Unreadable words. */
	GOOD_WAIT();
	w.addr = to_user_pointer(word) + SZ_4K;
	EXPECT_EQ(-EFAULT, __xe_wait_ufence(self->fd, &w));
	GOOD_WAIT();
	w.addr = 8;
	EXPECT_EQ(-EFAULT, __xe_wait_ufence(self->fd, &w));
#undef GOOD_WAIT

	xe_free_pages(word, SZ_4K);
}

/* --- EXEC argument checking ----------------------------------------------- */

/* The batch every failed exec would have run: it counts its runs. */
static struct drm_xe_exec counting_exec(FIXTURE_DATA(xe_exec_basic) *self)
{
	struct drm_xe_exec e = {
		.exec_queue_id = self->ctx.queue,
		.address = self->ctx.batch.addr,
		.num_batch_buffer = 1,
	};
	uint32_t *cs = xe_ctx_cs(&self->ctx, 0);

	cs = xe_emit_atomic(cs, ATOMIC_INC, DATA_ADDR + 0xc00);
	xe_emit_bb_end(cs);
	return e;
}

/* After the failures, one good exec: the count must be exactly one. */
static void check_ran_once(struct __test_metadata *_metadata,
			   FIXTURE_DATA(xe_exec_basic) *self)
{
	EXPECT_EQ(0, xe_ctx_run(&self->ctx));
	EXPECT_EQ(1u, xe_rd32(self->data.ptr, 0xc00));
}

TEST_F(xe_exec_basic, exec_invalid)
{
	struct drm_xe_user_extension ext = { .name = 0 };
	struct drm_xe_exec e;
	uint32_t bind_queue, gone;
	size_t i;
	int fd2;

	bind_queue = xe_bind_queue_create(self->fd);
	ASSERT_NE(0u, bind_queue);
	gone = xe_exec_queue_create(self->fd, self->ctx.vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	ASSERT_NE(0u, gone);
	ASSERT_EQ(0, xe_exec_queue_destroy(self->fd, gone));

	e = counting_exec(self);
	e.extensions = to_user_pointer(&ext);
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e));
	for (i = 0; i < ARRAY_SIZE(e.pad); i++) {
		e = counting_exec(self);
		e.pad[i] = 1;
		EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e)) {
			TH_LOG("pad[%zu]", i);
		}
	}
	for (i = 0; i < ARRAY_SIZE(e.reserved); i++) {
		e = counting_exec(self);
		e.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e)) {
			TH_LOG("reserved[%zu]", i);
		}
	}

	e = counting_exec(self);
	e.num_batch_buffer = 0;
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e));
	e.num_batch_buffer = 2;
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e));
	e.num_batch_buffer = 0xffff;
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e));

	e = counting_exec(self);
	e.exec_queue_id = 0;
	EXPECT_EQ(-ENOENT, __xe_exec(self->fd, &e));
	e.exec_queue_id = self->ctx.queue + 1000;
	EXPECT_EQ(-ENOENT, __xe_exec(self->fd, &e));
	e.exec_queue_id = gone;
	EXPECT_EQ(-ENOENT, __xe_exec(self->fd, &e));
	e.exec_queue_id = bind_queue;
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e));

	/* Queue ids are per file. */
	fd2 = drm_open_driver_xe();
	ASSERT_GE(fd2, 0);
	e = counting_exec(self);
	EXPECT_EQ(-ENOENT, __xe_exec(fd2, &e));
	close(fd2);

	e = counting_exec(self);
	e.num_syncs = DRM_XE_MAX_SYNCS + 1;
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e));
	e.num_syncs = 1;
	e.syncs = 8;
	EXPECT_EQ(-EFAULT, __xe_exec(self->fd, &e));

	check_ran_once(_metadata, self);
	EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, bind_queue));
}

TEST_F(xe_exec_basic, exec_invalid_syncs)
{
	struct drm_xe_user_extension ext = { .name = 0 };
	struct drm_xe_sync syncs[2];
	struct drm_xe_exec e;
	struct xe_buf fence;
	uint32_t syncobj, empty;
	size_t i;

	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &fence));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &fence, FENCE_ADDR, 0));
	syncobj = syncobj_create(self->fd, 0);
	ASSERT_NE(0u, syncobj);
	empty = syncobj_create(self->fd, 0);
	ASSERT_NE(0u, empty);

#define EXEC_WITH(n) do { \
		e = counting_exec(self); \
		e.num_syncs = (n); \
		e.syncs = to_user_pointer(syncs); \
	} while (0)

	syncs[0] = xe_sync_syncobj(syncobj, true);
	syncs[0].extensions = to_user_pointer(&ext);
	EXEC_WITH(1);
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e));
	for (i = 0; i < ARRAY_SIZE(syncs[0].reserved); i++) {
		syncs[0] = xe_sync_syncobj(syncobj, true);
		syncs[0].reserved[i] = 1;
		EXEC_WITH(1);
		EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e));
	}
	for (i = 1; i < 32; i++) {
		syncs[0] = xe_sync_syncobj(syncobj, true);
		syncs[0].flags |= 1u << i;
		EXEC_WITH(1);
		EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e)) {
			TH_LOG("flag bit %zu", i);
		}
	}
	syncs[0] = xe_sync_syncobj(syncobj, true);
	syncs[0].type = DRM_XE_SYNC_TYPE_USER_FENCE + 1;
	EXEC_WITH(1);
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e));

	/* Syncobjs that do not exist, or have no fence to wait for. */
	syncs[0] = xe_sync_syncobj(syncobj + 100, true);
	EXEC_WITH(1);
	EXPECT_EQ(-ENOENT, __xe_exec(self->fd, &e));
	syncs[0] = xe_sync_syncobj(syncobj + 100, false);
	EXEC_WITH(1);
	EXPECT_EQ(-ENOENT, __xe_exec(self->fd, &e));
	syncs[0] = xe_sync_timeline(syncobj + 100, 1, true);
	EXEC_WITH(1);
	EXPECT_EQ(-ENOENT, __xe_exec(self->fd, &e));
	syncs[0] = xe_sync_syncobj(empty, false);
	EXEC_WITH(1);
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e));

	/* User fences. */
	syncs[0] = xe_sync_ufence(FENCE_ADDR, 1);
	syncs[0].flags = 0;
	EXEC_WITH(1);
	EXPECT_EQ(-EOPNOTSUPP, __xe_exec(self->fd, &e));
	syncs[0] = xe_sync_ufence(0, 1);
	EXEC_WITH(1);
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e));
	syncs[0] = xe_sync_ufence(FENCE_ADDR + 4, 1);
	EXEC_WITH(1);
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e));
	syncs[0] = xe_sync_ufence(FENCE_ADDR + 1, 1);
	EXEC_WITH(1);
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e));
	syncs[0] = xe_sync_ufence(FENCE_ADDR, 1);
	syncs[1] = xe_sync_ufence(FENCE_ADDR + 8, 2);
	EXEC_WITH(2);
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &e));
#undef EXEC_WITH

	check_ran_once(_metadata, self);
	/* No failed exec left a fence behind. */
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(0u, xe_rd64(fence.ptr, 8 * i));
	}

	EXPECT_EQ(0, syncobj_destroy(self->fd, syncobj));
	EXPECT_EQ(0, syncobj_destroy(self->fd, empty));
	xe_buf_destroy(self->fd, &fence);
}

/* --- GPU errors ban the queue ---------------------------------------------- */

/*
 * Runs the batch at offset 0 of the fixture's context, which must fail:
 * checks everything a ban entails, and that another queue of the VM
 * still works.
 */
static void expect_ban(struct __test_metadata *_metadata, FIXTURE_DATA(xe_exec_basic) *self)
{
	uint64_t *word = xe_alloc_pages(SZ_4K);
	struct drm_xe_sync sync;
	struct xe_ctx other;
	uint32_t syncobj;
	int ret;

	ASSERT_NE(NULL, word);
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, self->ctx.queue));

	syncobj = syncobj_create(self->fd, 0);
	ASSERT_NE(0u, syncobj);
	sync = xe_sync_syncobj(syncobj, true);
	ASSERT_EQ(0, xe_exec(self->fd, self->ctx.queue, self->ctx.batch.addr, &sync, 1));
	ASSERT_EQ(0, syncobj_wait(self->fd, &syncobj, 1, XE_TIMEOUT_NS, 0));
	ret = syncobj_fence_status(self->fd, syncobj);
	EXPECT_GT(0, ret) {
		TH_LOG("the failed job's fence has status %d", ret);
	}
	EXPECT_EQ(0, syncobj_destroy(self->fd, syncobj));

	EXPECT_EQ(1, xe_wait_banned(self->fd, self->ctx.queue, XE_TIMEOUT_NS));
	EXPECT_EQ(-ECANCELED, xe_exec(self->fd, self->ctx.queue, self->ctx.batch.addr, NULL, 0));
	EXPECT_EQ(-EIO, xe_wait_ufence(self->fd, word, 1, self->ctx.queue, XE_TIMEOUT_NS));
	/* Without naming the queue the wait just times out. */
	EXPECT_EQ(-ETIME, xe_wait_ufence(self->fd, word, 1, 0, 1000000));

	ASSERT_EQ(0, xe_ctx_init(self->fd, &other, self->ctx.vm, 0,
				 DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	store_batch(&other, 0, DATA_ADDR + 0xd00, 0xa11fe);
	EXPECT_EQ(0, xe_ctx_run(&other));
	EXPECT_EQ(0xa11feu, xe_rd32(self->data.ptr, 0xd00));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, other.queue));
	xe_ctx_fini(&other);

	xe_free_pages(word, SZ_4K);
}

TEST_F(xe_exec_basic, bad_batch_bans)
{
	uint32_t *cs = xe_ctx_cs(&self->ctx, 0);

	cs = xe_emit_store_dword(cs, DATA_ADDR + 0xe00, 1);
	*cs++ = 0xdeadbeef;
	cs = xe_emit_store_dword(cs, DATA_ADDR + 0xe04, 2);
	xe_emit_bb_end(cs);
	expect_ban(_metadata, self);
	EXPECT_EQ(0u, xe_rd32(self->data.ptr, 0xe04));
}

TEST_F(xe_exec_basic, unmapped_bans)
{
	uint32_t *cs = xe_ctx_cs(&self->ctx, 0);

	cs = xe_emit_store_dword(cs, UNMAPPED_ADDR, 1);
	cs = xe_emit_store_dword(cs, DATA_ADDR + 0xe04, 2);
	xe_emit_bb_end(cs);
	expect_ban(_metadata, self);
	EXPECT_EQ(0u, xe_rd32(self->data.ptr, 0xe04));
}

TEST_F(xe_exec_basic, unmapped_batch_bans)
{
	uint32_t *cs = xe_ctx_cs(&self->ctx, 0);

	/* The batch itself is at an address with nothing behind it. */
	xe_emit_bb_end(cs);
	EXPECT_GT(0, xe_exec_wait(self->fd, self->ctx.queue, UNMAPPED_ADDR, XE_TIMEOUT_NS));
	EXPECT_EQ(1, xe_wait_banned(self->fd, self->ctx.queue, XE_TIMEOUT_NS));
}

/*
 * PREFETCH in a VM without faults: a BO placeable in both regions moves
 * back and forth under its mapping, which jobs keep using.
 */
TEST_F(xe_exec_basic, prefetch_moves)
{
	uint32_t sys = xe_region_mask(self->fd, DRM_XE_MEM_REGION_CLASS_SYSMEM);
	uint32_t vram = xe_region_mask(self->fd, DRM_XE_MEM_REGION_CLASS_VRAM);
	struct drm_xe_vm_bind_op op;
	unsigned int round;
	uint32_t bo, *map;

	ASSERT_NE(0u, sys);
	ASSERT_NE(0u, vram);
	bo = xe_bo_create(self->fd, SZ_64K, sys | vram, DRM_XE_GEM_CPU_CACHING_WC);
	ASSERT_NE(0u, bo);
	map = xe_bo_map(self->fd, bo, SZ_64K);
	ASSERT_NE(NULL, map);
	ASSERT_EQ(0, xe_vm_bind_bo(self->fd, self->ctx.vm, bo, 0, DATA2_ADDR, SZ_64K, 0));

	for (round = 0; round < 4; round++) {
		op = xe_bind_op_prefetch(DATA2_ADDR, SZ_64K,
					 __builtin_ffs(round & 1 ? vram : sys) - 1);
		ASSERT_EQ(0, xe_vm_bind_ops(self->fd, self->ctx.vm, 0, &op, 1, NULL, 0));
		store_batch(&self->ctx, 0, DATA2_ADDR + SZ_4K * (round + 1), 0x100 + round);
		ASSERT_EQ(0, xe_ctx_run(&self->ctx));
	}
	for (round = 0; round < 4; round++) {
		EXPECT_EQ(0x100u + round, xe_rd32(map, SZ_4K * (round + 1)));
	}

	munmap(map, SZ_64K);
	EXPECT_EQ(0, xe_vm_unbind(self->fd, self->ctx.vm, DATA2_ADDR, SZ_64K));
	gem_close(self->fd, bo);
}

/*
 * Bits 63:48 of a GPU address are ignored, as on Xe hardware: with them
 * set, a store reaches the page of its low 48 bits.
 */
TEST_F(xe_exec_basic, high_va_bits_ignored)
{
	store_batch(&self->ctx, 0, (1ull << 52) | (DATA_ADDR + 0xe08), 0x4242);
	ASSERT_EQ(0, xe_ctx_run(&self->ctx));
	EXPECT_EQ(0x4242u, xe_rd32(self->data.ptr, 0xe08));
}

/*
 * In a long-running VM with a scratch page, a store to an address nothing
 * is bound at, high bits included, is dropped and the job completes (what
 * upstream IGT's invalid-va-scratch-nopagefault checks); without scratch
 * it bans the queue.
 */
TEST_F(xe_exec_basic, scratch_lr_invalid_va)
{
	const uint64_t bad = 0x1fffffffffff000ull;
	struct xe_ctx lr;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &lr, 0, DRM_XE_VM_CREATE_FLAG_LR_MODE |
				 DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE,
				 DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	store_batch(&lr, 0, bad, 0xc0ffee);
	EXPECT_EQ(0, xe_ctx_run(&lr));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, lr.queue));
	xe_ctx_fini(&lr);

	ASSERT_EQ(0, xe_ctx_init(self->fd, &lr, 0, DRM_XE_VM_CREATE_FLAG_LR_MODE,
				 DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	store_batch(&lr, 0, bad, 0xc0ffee);
	EXPECT_EQ(-EIO, xe_ctx_run(&lr));
	EXPECT_EQ(1, xe_wait_banned(self->fd, lr.queue, XE_TIMEOUT_NS));
	xe_ctx_fini(&lr);
}

TEST_F(xe_exec_basic, ggtt_bans)
{
	uint32_t *cs = xe_ctx_cs(&self->ctx, 0);

	*cs++ = MI_STORE_DATA_IMM | MI_GGTT | XE_CMD_LEN(4);
	*cs++ = (uint32_t)(DATA_ADDR + 0xe00);
	*cs++ = 0;
	*cs++ = 0x66;
	xe_emit_bb_end(cs);
	expect_ban(_metadata, self);
	EXPECT_EQ(0u, xe_rd32(self->data.ptr, 0xe00));
}

/* GPU writes through a read-only mapping ban; reads through it work. */
TEST_F(xe_exec_basic, readonly_bans)
{
	struct xe_buf ro;
	struct xe_ctx copy;
	uint32_t *cs;

	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &ro));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &ro, DATA2_ADDR,
				 DRM_XE_VM_BIND_FLAG_READONLY));
	xe_wr32(ro.ptr, 0x10, 0x12345678);

	/* Read back by the copy engine. */
	ASSERT_EQ(0, xe_ctx_init(self->fd, &copy, self->ctx.vm, 0, DRM_XE_ENGINE_CLASS_COPY, 0));
	cs = xe_ctx_cs(&copy, 0);
	cs = xe_emit_mem_copy(cs, DATA_ADDR + 0xf00, DATA2_ADDR, 64);
	xe_emit_bb_end(cs);
	EXPECT_EQ(0, xe_ctx_run(&copy));
	EXPECT_EQ(0x12345678u, xe_rd32(self->data.ptr, 0xf10));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, copy.queue));

	/* An atomic is a write too. */
	cs = xe_ctx_cs(&copy, 0);
	cs = xe_emit_atomic(cs, ATOMIC_INC, DATA2_ADDR + 0x10);
	xe_emit_bb_end(cs);
	EXPECT_GT(0, xe_ctx_run(&copy));
	EXPECT_EQ(1, xe_wait_banned(self->fd, copy.queue, XE_TIMEOUT_NS));
	xe_ctx_fini(&copy);

	store_batch(&self->ctx, 0, DATA2_ADDR + 0x10, 0xbad);
	expect_ban(_metadata, self);
	EXPECT_EQ(0x12345678u, xe_rd32(ro.ptr, 0x10));

	xe_buf_destroy(self->fd, &ro);
}

/* --- eviction ----------------------------------------------------------------- */

/*
 * Two VMs, each with VRAM objects filling 5/8 of VRAM: each VM's jobs need
 * all of its objects resident, so running them in turn moves the other
 * VM's objects out, and back in (and rebinds them) at its next exec.
 */
#define EVICT_OFFSET(round)	((round) * (bo_size / 4) + 0x10)

TEST_F_TIMEOUT(xe_exec_basic, evict, 600)
{
	const unsigned int rounds = 3;
	uint64_t vram_size, bo_size;
	struct xe_ctx ctx[2];
	struct xe_buf *bufs[2];
	unsigned int n, v, r, i;
	uint32_t *cs;

	vram_size = xe_vram_size(self->fd);
	ASSERT_NE(0u, vram_size);
	bo_size = vram_size / 16;
	n = 10;

	for (v = 0; v < 2; v++) {
		ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx[v], 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, v));
		bufs[v] = calloc(n, sizeof(*bufs[v]));
		ASSERT_NE(NULL, bufs[v]);
		for (i = 0; i < n; i++) {
			ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_VRAM, bo_size, &bufs[v][i])) {
				TH_LOG("VM %u object %u", v, i);
			}
			ASSERT_EQ(0, xe_buf_bind(self->fd, ctx[v].vm, &bufs[v][i],
						 EVICT_ADDR + i * bo_size, 0)) {
				TH_LOG("VM %u object %u", v, i);
			}
		}
	}

	for (r = 0; r < rounds; r++) {
		for (v = 0; v < 2; v++) {
			cs = xe_ctx_cs(&ctx[v], 0);
			for (i = 0; i < n; i++) {
				uint64_t addr = EVICT_ADDR + i * bo_size + EVICT_OFFSET(r);

				cs = xe_emit_store_dword(cs, addr, r << 16 | v << 8 | i);
				cs = xe_emit_atomic(cs, ATOMIC_INC, EVICT_ADDR + i * bo_size + 4);
			}
			xe_emit_bb_end(cs);
			ASSERT_EQ(0, xe_ctx_run_at(&ctx[v], 0, 3 * XE_TIMEOUT_NS)) {
				TH_LOG("round %u VM %u", r, v);
			}
		}
	}

	for (v = 0; v < 2; v++) {
		for (i = 0; i < n; i++) {
			void *p = bufs[v][i].ptr;

			for (r = 0; r < rounds; r++) {
				uint64_t offset = EVICT_OFFSET(r);

				EXPECT_EQ(r << 16 | v << 8 | i, xe_rd32(p, offset)) {
					TH_LOG("VM %u object %u round %u", v, i, r);
				}
				EXPECT_EQ(0u, xe_rd32(p, offset + 8));
			}
			EXPECT_EQ(rounds, xe_rd32(p, 4)) {
				TH_LOG("VM %u object %u", v, i);
			}
			EXPECT_EQ(0u, xe_rd32(p, bo_size - 4));
			xe_buf_destroy(self->fd, &bufs[v][i]);
		}
		free(bufs[v]);
		xe_ctx_fini(&ctx[v]);
	}
}

/* --- userptr invalidation ------------------------------------------------- */

/*
 * Moving the CPU pages of a userptr elsewhere and putting new ones in their
 * place: the next job reaches the new pages, never the old ones.
 */
TEST_F(xe_exec_basic, userptr_remap)
{
	const size_t size = 4 * SZ_4K;
	uint64_t addrs[2] = { DATA2_ADDR + 0x10, DATA2_ADDR + 3 * SZ_4K + 0x20 };
	uint32_t values[2] = { 0x01d0, 0x01d1 };
	char *mem, *moved, *fresh;

	mem = xe_alloc_pages(size);
	ASSERT_NE(NULL, mem);
	/* Somewhere to move the old pages to. */
	moved = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, moved);

	ASSERT_EQ(0, xe_vm_bind_userptr(self->fd, self->ctx.vm, mem, DATA2_ADDR, size, 0));
	ASSERT_EQ(0, xe_ctx_store(&self->ctx, addrs, values, 2));
	EXPECT_EQ(0x01d0u, xe_rd32(mem, 0x10));
	EXPECT_EQ(0x01d1u, xe_rd32(mem, 3 * SZ_4K + 0x20));

	ASSERT_EQ(moved, mremap(mem, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, moved));
	fresh = mmap(mem, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		     -1, 0);
	ASSERT_EQ(mem, fresh);
	memset(fresh, 0x33, size);

	values[0] = 0x02d0;
	values[1] = 0x02d1;
	ASSERT_EQ(0, xe_ctx_store(&self->ctx, addrs, values, 2));
	EXPECT_EQ(0x02d0u, xe_rd32(fresh, 0x10));
	EXPECT_EQ(0x02d1u, xe_rd32(fresh, 3 * SZ_4K + 0x20));
	EXPECT_EQ(0x33333333u, xe_rd32(fresh, 0x14));
	EXPECT_EQ(0x01d0u, xe_rd32(moved, 0x10));
	EXPECT_EQ(0x01d1u, xe_rd32(moved, 3 * SZ_4K + 0x20));

	/* Replacing one page only, without moving the old one away. */
	fresh = mmap(mem + SZ_4K, SZ_4K, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	ASSERT_EQ(mem + SZ_4K, fresh);
	addrs[0] = DATA2_ADDR + SZ_4K + 0x30;
	values[0] = 0x03d0;
	values[1] = 0x03d1;
	ASSERT_EQ(0, xe_ctx_store(&self->ctx, addrs, values, 2));
	EXPECT_EQ(0x03d0u, xe_rd32(mem, SZ_4K + 0x30));
	EXPECT_EQ(0x03d1u, xe_rd32(mem, 3 * SZ_4K + 0x20));

	EXPECT_EQ(0, xe_vm_unbind(self->fd, self->ctx.vm, DATA2_ADDR, size));
	munmap(moved, size);
	munmap(mem, size);
}

/* With the memory of a userptr gone, jobs of the VM cannot run until it is unbound. */
TEST_F(xe_exec_basic, userptr_munmap)
{
	const size_t size = 2 * SZ_4K;
	uint64_t addr = DATA2_ADDR + 0x40;
	uint32_t value = 0x1;
	char *mem;

	mem = xe_alloc_pages(size);
	ASSERT_NE(NULL, mem);
	ASSERT_EQ(0, xe_vm_bind_userptr(self->fd, self->ctx.vm, mem, DATA2_ADDR, size, 0));
	ASSERT_EQ(0, xe_ctx_store(&self->ctx, &addr, &value, 1));
	EXPECT_EQ(1u, xe_rd32(mem, 0x40));

	ASSERT_EQ(0, munmap(mem, size));
	store_batch(&self->ctx, 0, DATA_ADDR + 0x44, 2);
	EXPECT_EQ(-EFAULT, xe_exec(self->fd, self->ctx.queue, self->ctx.batch.addr, NULL, 0));
	EXPECT_EQ(0u, xe_rd32(self->data.ptr, 0x44));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, self->ctx.queue));

	ASSERT_EQ(0, xe_vm_unbind(self->fd, self->ctx.vm, DATA2_ADDR, size));
	EXPECT_EQ(0, xe_ctx_run(&self->ctx));
	EXPECT_EQ(2u, xe_rd32(self->data.ptr, 0x44));
}

/* Closing the file with jobs queued neither hangs nor leaks. */
TEST_F_TIMEOUT(xe_exec_basic, close_busy, 120)
{
	struct xe_ctx ctx;
	struct xe_buf buf;
	unsigned int i;
	int fd;

	fd = drm_open_driver_xe();
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, xe_ctx_init(fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(fd, XE_BUF_SYSMEM, DATA_SIZE, &buf));
	ASSERT_EQ(0, xe_buf_bind(fd, ctx.vm, &buf, DATA_ADDR, 0));
	slow_batch(&ctx, 0, SLOW_COUNT);
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, xe_exec(fd, ctx.queue, ctx.batch.addr, NULL, 0));
	}
	munmap(ctx.batch.ptr, ctx.batch.size);
	munmap(buf.ptr, buf.size);
	close(fd);

	/* The device still works. */
	store_batch(&self->ctx, 0, DATA_ADDR + 0x48, 3);
	EXPECT_EQ(0, xe_ctx_run(&self->ctx));
	EXPECT_EQ(3u, xe_rd32(self->data.ptr, 0x48));
}

TEST_HARNESS_MAIN
