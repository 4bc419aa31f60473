// SPDX-License-Identifier: GPL-2.0-only
/*
 * Execution in fault-mode VMs (LR_MODE | FAULT_MODE): binds only record
 * mappings and the GPU faults them in on first access, so jobs touching
 * lazily bound objects, VRAM that does not fit at once and user memory just
 * work; accesses with no mapping, or writes through read-only ones, get the
 * queue banned. Completion is reported through user fences only.
 *
 * Every value the GPU is asked to write is read back by the CPU.
 *
 * The harness's EXPECT_*() and ASSERT_*() macros expand to two statements,
 * so they are always braced when they form the body of an if, else or for.
 */

#include <errno.h>
#include <stdio.h>
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

#define VM_FLAGS	(DRM_XE_VM_CREATE_FLAG_LR_MODE | DRM_XE_VM_CREATE_FLAG_FAULT_MODE)

#define DATA_ADDR	0x00200000ull
#define DATA2_ADDR	0x00400000ull
#define UNMAPPED_ADDR	0x00a00000ull
#define MANY_ADDR	0x40000000ull

#define DATA_SIZE	SZ_64K

FIXTURE(xe_exec_fault_mode) {
	int fd;
	struct xe_ctx ctx;	/* compute engine 0 in a fault-mode VM */
	struct xe_buf data;	/* system memory at DATA_ADDR */
};

FIXTURE_SETUP(xe_exec_fault_mode)
{
	self->fd = drm_open_driver_xe();
	if (self->fd < 0 && !xe_devices_expected())
		SKIP(return, "no xe device found");
	ASSERT_GE(self->fd, 0) {
		TH_LOG("xe is loaded but no device could be opened: %s", strerror(errno));
	}

	ASSERT_EQ(0, xe_ctx_init(self->fd, &self->ctx, 0, VM_FLAGS,
				 DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_TRUE(self->ctx.lr);
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, DATA_SIZE, &self->data));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &self->data, DATA_ADDR, 0));
}

FIXTURE_TEARDOWN(xe_exec_fault_mode)
{
	xe_buf_destroy(self->fd, &self->data);
	xe_ctx_fini(&self->ctx);
	close(self->fd);
}

static void store_batch(struct xe_ctx *ctx, uint64_t offset, uint64_t addr, uint32_t value)
{
	uint32_t *cs = xe_ctx_cs(ctx, offset);

	cs = xe_emit_store_dword(cs, addr, value);
	xe_emit_bb_end(cs);
}

/*
 * The queue of ctx ran a job that must have failed: checks what the ban
 * entails, and that another queue of the VM still works.
 */
static void check_banned(struct __test_metadata *_metadata,
			 FIXTURE_DATA(xe_exec_fault_mode) *self, struct xe_ctx *ctx)
{
	uint64_t *word = xe_alloc_pages(SZ_4K);
	struct drm_xe_sync sync;
	struct xe_ctx other;

	ASSERT_NE(NULL, word);
	EXPECT_EQ(1, xe_wait_banned(self->fd, ctx->queue, XE_TIMEOUT_NS));
	sync = xe_sync_ufence(ctx->batch.addr + XE_CTX_FENCE_OFFSET, 0xdead);
	EXPECT_EQ(-ECANCELED, xe_exec(self->fd, ctx->queue, ctx->batch.addr, &sync, 1));
	EXPECT_EQ(-EIO, xe_wait_ufence(self->fd, word, 1, ctx->queue, XE_TIMEOUT_NS));

	ASSERT_EQ(0, xe_ctx_init(self->fd, &other, self->ctx.vm, VM_FLAGS,
				 DRM_XE_ENGINE_CLASS_COMPUTE, 1));
	store_batch(&other, 0, DATA_ADDR + 0xd00, 0xa11fe);
	EXPECT_EQ(0, xe_ctx_run(&other));
	EXPECT_EQ(0xa11feu, xe_rd32(self->data.ptr, 0xd00));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, other.queue));
	xe_ctx_fini(&other);

	xe_free_pages(word, SZ_4K);
}

/* --- lazily bound memory ------------------------------------------------ */

static void store_kind(struct __test_metadata *_metadata,
		       FIXTURE_DATA(xe_exec_fault_mode) *self, enum xe_buf_kind kind)
{
	struct xe_buf buf;
	uint32_t *cs;
	uint64_t i;

	ASSERT_EQ(0, xe_buf_create(self->fd, kind, 4 * SZ_4K, &buf));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &buf, DATA2_ADDR, 0));

	/* Every page, in reverse order: each access faults. */
	cs = xe_ctx_cs(&self->ctx, 0);
	for (i = 4; i-- > 0;)
		cs = xe_emit_store_dword(cs, DATA2_ADDR + i * SZ_4K + 0x40,
					 0xfa000000 | i << 8 | kind);
	cs = xe_emit_store_qword(cs, DATA2_ADDR + 0x48, 0xfedcba9876543210ull);
	cs = xe_emit_atomic(cs, ATOMIC_INC, DATA2_ADDR + SZ_4K + 0x50);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, xe_ctx_run(&self->ctx));

	for (i = 0; i < 4; i++) {
		EXPECT_EQ(0xfa000000u | i << 8 | kind, xe_rd32(buf.ptr, i * SZ_4K + 0x40)) {
			TH_LOG("%s page %llu", xe_buf_kind_name(kind), (unsigned long long)i);
		}
	}
	EXPECT_EQ(0xfedcba9876543210ull, xe_rd64(buf.ptr, 0x48));
	EXPECT_EQ(1u, xe_rd32(buf.ptr, SZ_4K + 0x50));
	EXPECT_EQ(0u, xe_rd32(buf.ptr, 0x3c));

	/* A second job finds the pages in place. */
	ASSERT_EQ(0, xe_ctx_run(&self->ctx));
	EXPECT_EQ(2u, xe_rd32(buf.ptr, SZ_4K + 0x50));

	EXPECT_EQ(0, xe_vm_unbind(self->fd, self->ctx.vm, DATA2_ADDR, buf.size));
	xe_buf_destroy(self->fd, &buf);
}

TEST_F(xe_exec_fault_mode, store_sysmem)
{
	store_kind(_metadata, self, XE_BUF_SYSMEM);
}

TEST_F(xe_exec_fault_mode, store_vram)
{
	store_kind(_metadata, self, XE_BUF_VRAM);
}

TEST_F(xe_exec_fault_mode, store_userptr)
{
	store_kind(_metadata, self, XE_BUF_USERPTR);
}

/* Binding with IMMEDIATE fills the page tables at once; jobs work the same. */
TEST_F(xe_exec_fault_mode, store_immediate)
{
	uint64_t addrs[2] = { DATA2_ADDR + 0x10, DATA2_ADDR + SZ_4K + 0x10 };
	uint32_t values[2] = { 0x1aa, 0x1bb };
	struct xe_buf a, u;

	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_VRAM, SZ_4K, &a));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_USERPTR, SZ_4K, &u));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &a, DATA2_ADDR,
				 DRM_XE_VM_BIND_FLAG_IMMEDIATE));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &u, DATA2_ADDR + SZ_4K,
				 DRM_XE_VM_BIND_FLAG_IMMEDIATE));
	ASSERT_EQ(0, xe_ctx_store(&self->ctx, addrs, values, 2));
	EXPECT_EQ(0x1aau, xe_rd32(a.ptr, 0x10));
	EXPECT_EQ(0x1bbu, xe_rd32(u.ptr, 0x10));

	xe_buf_destroy(self->fd, &a);
	xe_buf_destroy(self->fd, &u);
}

TEST_F(xe_exec_fault_mode, atomic)
{
	uint32_t *cs = xe_ctx_cs(&self->ctx, 0);
	unsigned int i;

	xe_wr32(self->data.ptr, 0x100, 10);
	xe_wr32(self->data.ptr, 0x104, 20);
	xe_wr32(self->data.ptr, 0x108, 30);
	xe_wr32(self->data.ptr, 0x10c, 40);
	for (i = 0; i < 100; i++)
		cs = xe_emit_atomic(cs, ATOMIC_INC, DATA_ADDR + 0x80);
	cs = xe_emit_atomic(cs, ATOMIC_DEC, DATA_ADDR + 0x84);
	cs = xe_emit_atomic_inline(cs, ATOMIC_ADD, DATA_ADDR + 0x100, 5, 0);
	cs = xe_emit_atomic_inline(cs, ATOMIC_SUB, DATA_ADDR + 0x104, 7, 0);
	cs = xe_emit_atomic_inline(cs, ATOMIC_CMPXCHG, DATA_ADDR + 0x108, 30, 31);
	cs = xe_emit_atomic_inline(cs, ATOMIC_CMPXCHG, DATA_ADDR + 0x10c, 41, 42);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, xe_ctx_run(&self->ctx));

	EXPECT_EQ(100u, xe_rd32(self->data.ptr, 0x80));
	EXPECT_EQ(0xffffffffu, xe_rd32(self->data.ptr, 0x84));
	EXPECT_EQ(15u, xe_rd32(self->data.ptr, 0x100));
	EXPECT_EQ(13u, xe_rd32(self->data.ptr, 0x104));
	EXPECT_EQ(31u, xe_rd32(self->data.ptr, 0x108));
	EXPECT_EQ(40u, xe_rd32(self->data.ptr, 0x10c));
}

/* One batch touching 32 objects, of both kinds, none of them faulted in yet. */
TEST_F_TIMEOUT(xe_exec_fault_mode, many_bos, 120)
{
	const unsigned int count = 32;
	const uint64_t size = SZ_64K;
	struct xe_buf bufs[32];
	unsigned int i;
	uint32_t *cs;

	for (i = 0; i < count; i++) {
		ASSERT_EQ(0, xe_buf_create(self->fd, i & 1 ? XE_BUF_VRAM : XE_BUF_SYSMEM, size,
					   &bufs[i]));
		ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &bufs[i],
					 MANY_ADDR + i * 2 * size, 0));
	}

	cs = xe_ctx_cs(&self->ctx, 0);
	for (i = 0; i < count; i++) {
		uint64_t addr = MANY_ADDR + i * 2 * size;

		cs = xe_emit_store_dword(cs, addr + (i % 16) * SZ_4K, 0xb0000000 | i);
		cs = xe_emit_atomic(cs, ATOMIC_INC, addr + size - 4);
		cs = xe_emit_atomic(cs, ATOMIC_INC, addr + size - 4);
	}
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, xe_ctx_run(&self->ctx));

	for (i = 0; i < count; i++) {
		EXPECT_EQ(0xb0000000u | i, xe_rd32(bufs[i].ptr, (i % 16) * SZ_4K)) {
			TH_LOG("object %u", i);
		}
		EXPECT_EQ(2u, xe_rd32(bufs[i].ptr, size - 4)) {
			TH_LOG("object %u", i);
		}
		xe_buf_destroy(self->fd, &bufs[i]);
	}
}

/* 64 jobs in a row, a user fence on each: the last one covers them all. */
TEST_F_TIMEOUT(xe_exec_fault_mode, many_jobs, 120)
{
	const unsigned int jobs = 64;
	uint64_t *fences = (uint64_t *)((char *)self->data.ptr + SZ_4K);
	struct drm_xe_sync sync;
	unsigned int i;

	for (i = 0; i < jobs; i++) {
		store_batch(&self->ctx, i * 64, DATA_ADDR + i * 4, 0x5100 + i);
		sync = xe_sync_ufence(DATA_ADDR + SZ_4K + 8 * i, i + 1);
		ASSERT_EQ(0, xe_exec(self->fd, self->ctx.queue, self->ctx.batch.addr + i * 64,
				     &sync, 1)) {
			TH_LOG("job %u", i);
		}
	}
	ASSERT_EQ(0, xe_wait_ufence(self->fd, &fences[jobs - 1], jobs, self->ctx.queue,
				    2 * XE_TIMEOUT_NS));
	for (i = 0; i < jobs; i++) {
		EXPECT_EQ(0x5100 + i, xe_rd32(self->data.ptr, i * 4)) {
			TH_LOG("job %u", i);
		}
		EXPECT_EQ(i + 1, fences[i]);
	}
}

/* --- what fails -------------------------------------------------------------- */

TEST_F(xe_exec_fault_mode, unbound_bans)
{
	uint32_t *cs = xe_ctx_cs(&self->ctx, 0);

	cs = xe_emit_store_dword(cs, DATA_ADDR + 0x20, 1);
	cs = xe_emit_store_dword(cs, UNMAPPED_ADDR, 2);
	cs = xe_emit_store_dword(cs, DATA_ADDR + 0x24, 3);
	xe_emit_bb_end(cs);
	EXPECT_EQ(-EIO, xe_ctx_run(&self->ctx));
	EXPECT_EQ(1u, xe_rd32(self->data.ptr, 0x20));
	EXPECT_EQ(0u, xe_rd32(self->data.ptr, 0x24));
	check_banned(_metadata, self, &self->ctx);
}

TEST_F(xe_exec_fault_mode, readonly_bans)
{
	struct xe_buf ro;
	uint32_t *cs;

	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &ro));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &ro, DATA2_ADDR,
				 DRM_XE_VM_BIND_FLAG_READONLY));
	xe_wr32(ro.ptr, 0x10, 0x12345678);

	cs = xe_ctx_cs(&self->ctx, 0);
	cs = xe_emit_store_dword(cs, DATA2_ADDR + 0x10, 0xbad);
	cs = xe_emit_store_dword(cs, DATA_ADDR + 0x24, 3);
	xe_emit_bb_end(cs);
	EXPECT_EQ(-EIO, xe_ctx_run(&self->ctx));
	EXPECT_EQ(0x12345678u, xe_rd32(ro.ptr, 0x10));
	EXPECT_EQ(0u, xe_rd32(self->data.ptr, 0x24));
	check_banned(_metadata, self, &self->ctx);

	xe_buf_destroy(self->fd, &ro);
}

/* Reads through a read-only mapping fault in fine (the copy engine reads). */
TEST_F(xe_exec_fault_mode, readonly_read)
{
	struct xe_ctx copy;
	struct xe_buf ro;
	uint32_t *cs;

	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_VRAM, SZ_4K, &ro));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &ro, DATA2_ADDR,
				 DRM_XE_VM_BIND_FLAG_READONLY));
	xe_wr32(ro.ptr, 0x20, 0xfeedf00d);

	ASSERT_EQ(0, xe_ctx_init(self->fd, &copy, self->ctx.vm, VM_FLAGS,
				 DRM_XE_ENGINE_CLASS_COPY, 0));
	cs = xe_ctx_cs(&copy, 0);
	cs = xe_emit_mem_copy(cs, DATA_ADDR + 0x200, DATA2_ADDR, 64);
	xe_emit_bb_end(cs);
	EXPECT_EQ(0, xe_ctx_run(&copy));
	EXPECT_EQ(0xfeedf00du, xe_rd32(self->data.ptr, 0x220));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, copy.queue));

	xe_ctx_fini(&copy);
	xe_buf_destroy(self->fd, &ro);
}

/* NULL bindings: no fault, reads zero, writes dropped. */
TEST_F(xe_exec_fault_mode, null_bind)
{
	struct xe_ctx copy;
	uint32_t *cs;
	unsigned int i;

	ASSERT_EQ(0, xe_vm_bind_null(self->fd, self->ctx.vm, DATA2_ADDR, 4 * SZ_4K));
	memset(self->data.ptr, 0x77, 2 * SZ_4K);

	ASSERT_EQ(0, xe_ctx_init(self->fd, &copy, self->ctx.vm, VM_FLAGS,
				 DRM_XE_ENGINE_CLASS_COPY, 0));
	cs = xe_ctx_cs(&copy, 0);
	cs = xe_emit_store_dword(cs, DATA2_ADDR + SZ_4K, 0x55);
	cs = xe_emit_mem_set(cs, DATA2_ADDR + 2 * SZ_4K, SZ_4K, 0x66);
	cs = xe_emit_mem_copy(cs, DATA_ADDR, DATA2_ADDR, 4 * SZ_4K);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, xe_ctx_run(&copy));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, copy.queue));
	for (i = 0; i < 4 * SZ_4K; i += 4) {
		ASSERT_EQ(0u, xe_rd32(self->data.ptr, i)) {
			TH_LOG("offset %u", i);
		}
	}

	xe_ctx_fini(&copy);
}

/* --- PREFETCH ----------------------------------------------------------- */

#define EMU_DEVICES	8	/* devices of the KUnit tests start at 8 */

/* GPU page faults the emulated devices have reported so far, or -1. */
static long long emu_faults(void)
{
	long long sum = -1, value;
	char path[128], line[128];
	int dev;
	FILE *f;

	for (dev = 0; dev < EMU_DEVICES; dev++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/xe_emu/%d/stats", dev);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "faults: %lld", &value) == 1)
				sum = (sum < 0 ? 0 : sum) + value;
		}
		fclose(f);
	}
	return sum;
}

static int prefetch(int fd, uint32_t vm, uint64_t addr, uint64_t range, uint32_t region)
{
	struct drm_xe_vm_bind_op op = xe_bind_op_prefetch(addr, range, region);

	return xe_vm_bind_ops(fd, vm, 0, &op, 1, NULL, 0);
}

static int region_of(int fd, uint16_t mem_class)
{
	return __builtin_ffs(xe_region_mask(fd, mem_class)) - 1;
}

/*
 * Runs a job storing value at addr, after a first job that faulted the
 * batch in: returns the faults the second one took, or -1.
 */
static long long store_faults(struct xe_ctx *ctx, uint64_t addr, uint32_t value)
{
	long long before;

	xe_emit_bb_end(xe_ctx_cs(ctx, 0));
	if (xe_ctx_run(ctx))
		return -1;
	before = emu_faults();
	store_batch(ctx, 0, addr, value);
	if (before < 0 || xe_ctx_run(ctx))
		return -1;
	return emu_faults() - before;
}

/*
 * A BO that may live in either region moves where PREFETCH says, keeping
 * its contents, and its mapping is complete: the next job does not fault.
 */
TEST_F(xe_exec_fault_mode, prefetch_bo)
{
	const uint64_t size = 4 * SZ_4K;
	int sys = region_of(self->fd, DRM_XE_MEM_REGION_CLASS_SYSMEM);
	int vram = region_of(self->fd, DRM_XE_MEM_REGION_CLASS_VRAM);
	long long base;
	uint32_t bo;
	uint32_t *map;

	ASSERT_GE(sys, 0);
	ASSERT_GT(vram, 0);
	base = xe_region_used(self->fd, DRM_XE_MEM_REGION_CLASS_VRAM);
	if (base < 0)
		SKIP(return, "VRAM usage is not reported to this process");

	bo = xe_bo_create(self->fd, size, 1u << sys | 1u << vram, DRM_XE_GEM_CPU_CACHING_WC);
	ASSERT_NE(0u, bo);
	map = xe_bo_map(self->fd, bo, size);
	ASSERT_NE(NULL, map);
	map[1] = 0x1234;
	/* VRAM comes first among the placements. */
	EXPECT_EQ(base + (long long)size, xe_region_used(self->fd, DRM_XE_MEM_REGION_CLASS_VRAM));
	ASSERT_EQ(0, xe_vm_bind_bo(self->fd, self->ctx.vm, bo, 0, DATA2_ADDR, size, 0));

	ASSERT_EQ(0, prefetch(self->fd, self->ctx.vm, DATA2_ADDR, size, sys));
	EXPECT_EQ(base, xe_region_used(self->fd, DRM_XE_MEM_REGION_CLASS_VRAM));
	EXPECT_EQ(0x1234u, xe_rd32(map, 4));
	EXPECT_EQ(0, store_faults(&self->ctx, DATA2_ADDR + 3 * SZ_4K, 0xabc));
	EXPECT_EQ(0xabcu, xe_rd32(map, 3 * SZ_4K));

	/* Part of the range is enough: the whole mapping moves back. */
	ASSERT_EQ(0, prefetch(self->fd, self->ctx.vm, DATA2_ADDR + SZ_4K, SZ_4K, vram));
	EXPECT_EQ(base + (long long)size, xe_region_used(self->fd, DRM_XE_MEM_REGION_CLASS_VRAM));
	EXPECT_EQ(0x1234u, xe_rd32(map, 4));
	EXPECT_EQ(0xabcu, xe_rd32(map, 3 * SZ_4K));
	EXPECT_EQ(0, store_faults(&self->ctx, DATA2_ADDR + 8, 0xdef));
	EXPECT_EQ(0xdefu, xe_rd32(map, 8));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, self->ctx.queue));

	munmap(map, size);
	EXPECT_EQ(0, xe_vm_unbind(self->fd, self->ctx.vm, DATA2_ADDR, size));
	gem_close(self->fd, bo);
}

/* User memory stays where it is, but is mapped at once. */
TEST_F(xe_exec_fault_mode, prefetch_userptr)
{
	struct xe_buf buf;

	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_USERPTR, 4 * SZ_4K, &buf));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &buf, DATA2_ADDR, 0));
	ASSERT_EQ(0, prefetch(self->fd, self->ctx.vm, DATA2_ADDR, 4 * SZ_4K, 0));
	EXPECT_EQ(0, store_faults(&self->ctx, DATA2_ADDR + 2 * SZ_4K, 0x5a5a));
	EXPECT_EQ(0x5a5au, xe_rd32(buf.ptr, 2 * SZ_4K));
	xe_buf_destroy(self->fd, &buf);
}

/* A NULL mapping has nothing to move; its entries are written all the same. */
TEST_F(xe_exec_fault_mode, prefetch_null)
{
	ASSERT_EQ(0, xe_vm_bind_null(self->fd, self->ctx.vm, DATA2_ADDR, 4 * SZ_4K));
	ASSERT_EQ(0, prefetch(self->fd, self->ctx.vm, DATA2_ADDR, 4 * SZ_4K, 0));
	EXPECT_EQ(0, store_faults(&self->ctx, DATA2_ADDR + SZ_4K, 0x55));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, self->ctx.queue));
}

/* A range with nothing mapped in it is not an error, and binds nothing. */
TEST_F(xe_exec_fault_mode, prefetch_empty)
{
	ASSERT_EQ(0, prefetch(self->fd, self->ctx.vm, UNMAPPED_ADDR, SZ_64K, 0));
	store_batch(&self->ctx, 0, UNMAPPED_ADDR, 1);
	EXPECT_EQ(-EIO, xe_ctx_run(&self->ctx));
	check_banned(_metadata, self, &self->ctx);
}

/* Malformed PREFETCH ops are refused before anything moves. */
TEST_F(xe_exec_fault_mode, prefetch_invalid)
{
	static const uint32_t bad_regions[] = { 2, 3, 31, 32, 33, 0x80000000u, ~0u };
	int vram = region_of(self->fd, DRM_XE_MEM_REGION_CLASS_VRAM);
	struct drm_xe_vm_bind_op op;
	struct xe_buf vbuf;
	size_t i;

	ASSERT_GT(vram, 0);
	for (i = 0; i < ARRAY_SIZE(bad_regions); i++) {
		EXPECT_EQ(-EINVAL, prefetch(self->fd, self->ctx.vm, DATA_ADDR, DATA_SIZE,
					    bad_regions[i])) {
			TH_LOG("region %u", bad_regions[i]);
		}
	}

	/* A region on any other op. */
	op = xe_bind_op_map(self->data.handle, 0, DATA2_ADDR, SZ_4K, 0);
	op.prefetch_mem_region_instance = vram;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, self->ctx.vm, 0, &op, 1, NULL, 0));
	op = xe_bind_op_unmap(DATA_ADDR, SZ_4K);
	op.prefetch_mem_region_instance = vram;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, self->ctx.vm, 0, &op, 1, NULL, 0));

	op = xe_bind_op_prefetch(DATA_ADDR, DATA_SIZE, 0);
	op.obj = self->data.handle;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, self->ctx.vm, 0, &op, 1, NULL, 0));
	op = xe_bind_op_prefetch(DATA_ADDR, DATA_SIZE, 0);
	op.obj_offset = SZ_4K;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, self->ctx.vm, 0, &op, 1, NULL, 0));
	op = xe_bind_op_prefetch(DATA_ADDR, DATA_SIZE, 0);
	op.flags = DRM_XE_VM_BIND_FLAG_NULL;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, self->ctx.vm, 0, &op, 1, NULL, 0));
	op.flags = DRM_XE_VM_BIND_FLAG_READONLY;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, self->ctx.vm, 0, &op, 1, NULL, 0));
	op.flags = DRM_XE_VM_BIND_FLAG_IMMEDIATE;
	EXPECT_EQ(0, xe_vm_bind_ops(self->fd, self->ctx.vm, 0, &op, 1, NULL, 0));

	/* Alignment, size and the end of the address space. */
	EXPECT_EQ(-EINVAL, prefetch(self->fd, self->ctx.vm, DATA_ADDR + 8, SZ_4K, 0));
	EXPECT_EQ(-EINVAL, prefetch(self->fd, self->ctx.vm, DATA_ADDR, SZ_4K + 8, 0));
	EXPECT_EQ(-EINVAL, prefetch(self->fd, self->ctx.vm, DATA_ADDR, 0, 0));
	EXPECT_EQ(-EINVAL, prefetch(self->fd, self->ctx.vm, 1ull << 48, SZ_4K, 0));
	EXPECT_EQ(-EINVAL, prefetch(self->fd, self->ctx.vm, -SZ_4K, SZ_4K, 0));
	EXPECT_EQ(-EINVAL, prefetch(self->fd, self->ctx.vm, SZ_4K, -SZ_4K, 0));

	/* A BO created for system memory only cannot go to VRAM, nor the reverse. */
	EXPECT_EQ(-EINVAL, prefetch(self->fd, self->ctx.vm, DATA_ADDR, DATA_SIZE, vram));
	EXPECT_EQ(0, prefetch(self->fd, self->ctx.vm, DATA_ADDR, DATA_SIZE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_VRAM, SZ_64K, &vbuf));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &vbuf, DATA2_ADDR, 0));
	EXPECT_EQ(-EINVAL, prefetch(self->fd, self->ctx.vm, DATA2_ADDR, SZ_64K, 0));
	EXPECT_EQ(0, prefetch(self->fd, self->ctx.vm, DATA2_ADDR, SZ_64K, vram));
	/* One bad mapping in the range fails the op. */
	EXPECT_EQ(-EINVAL, prefetch(self->fd, self->ctx.vm, DATA_ADDR,
				    DATA2_ADDR + SZ_64K - DATA_ADDR, vram));
	EXPECT_EQ(0, xe_vm_unbind(self->fd, self->ctx.vm, DATA2_ADDR, SZ_64K));
	xe_buf_destroy(self->fd, &vbuf);

	/* Nothing above broke the VM. */
	store_batch(&self->ctx, 0, DATA_ADDR + 0x40, 0x77);
	EXPECT_EQ(0, xe_ctx_run(&self->ctx));
	EXPECT_EQ(0x77u, xe_rd32(self->data.ptr, 0x40));
}

/* Syncobjs cannot report completion of jobs in a long-running VM. */
TEST_F(xe_exec_fault_mode, syncobj_out_refused)
{
	struct drm_xe_sync syncs[2];
	uint32_t syncobj, timeline;
	uint32_t *cs;

	syncobj = syncobj_create(self->fd, 0);
	ASSERT_NE(0u, syncobj);
	timeline = syncobj_create(self->fd, 0);
	ASSERT_NE(0u, timeline);
	cs = xe_ctx_cs(&self->ctx, 0);
	cs = xe_emit_atomic(cs, ATOMIC_INC, DATA_ADDR + 0x30);
	xe_emit_bb_end(cs);

	syncs[0] = xe_sync_syncobj(syncobj, true);
	EXPECT_EQ(-EOPNOTSUPP, xe_exec(self->fd, self->ctx.queue, self->ctx.batch.addr,
				       syncs, 1));
	syncs[0] = xe_sync_timeline(timeline, 1, true);
	EXPECT_EQ(-EOPNOTSUPP, xe_exec(self->fd, self->ctx.queue, self->ctx.batch.addr,
				       syncs, 1));
	syncs[0] = xe_sync_ufence(DATA_ADDR + 0x38, 1);
	syncs[1] = xe_sync_syncobj(syncobj, true);
	EXPECT_EQ(-EOPNOTSUPP, xe_exec(self->fd, self->ctx.queue, self->ctx.batch.addr,
				       syncs, 2));

	/* None of them ran; a job with a user fence does. */
	ASSERT_EQ(0, xe_ctx_run(&self->ctx));
	EXPECT_EQ(1u, xe_rd32(self->data.ptr, 0x30));
	EXPECT_EQ(0u, xe_rd64(self->data.ptr, 0x38));

	EXPECT_EQ(0, syncobj_destroy(self->fd, syncobj));
	EXPECT_EQ(0, syncobj_destroy(self->fd, timeline));
}

/* --- changing mappings ------------------------------------------------------- */

/* Between jobs, the address moves from one object to another, then to user memory. */
TEST_F(xe_exec_fault_mode, rebind)
{
	uint64_t addr = DATA2_ADDR + SZ_4K + 0x60;
	struct xe_buf a, b, u;
	uint32_t value;

	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, 2 * SZ_4K, &a));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_VRAM, 2 * SZ_4K, &b));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_USERPTR, 2 * SZ_4K, &u));

	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &a, DATA2_ADDR, 0));
	value = 0xaaa;
	ASSERT_EQ(0, xe_ctx_store(&self->ctx, &addr, &value, 1));
	EXPECT_EQ(0xaaau, xe_rd32(a.ptr, SZ_4K + 0x60));

	ASSERT_EQ(0, xe_vm_unbind(self->fd, self->ctx.vm, DATA2_ADDR, 2 * SZ_4K));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &b, DATA2_ADDR, 0));
	value = 0xbbb;
	ASSERT_EQ(0, xe_ctx_store(&self->ctx, &addr, &value, 1));
	EXPECT_EQ(0xbbbu, xe_rd32(b.ptr, SZ_4K + 0x60));
	EXPECT_EQ(0xaaau, xe_rd32(a.ptr, SZ_4K + 0x60));

	/* Mapped over directly this time, without an unbind. */
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &u, DATA2_ADDR, 0));
	value = 0xccc;
	ASSERT_EQ(0, xe_ctx_store(&self->ctx, &addr, &value, 1));
	EXPECT_EQ(0xcccu, xe_rd32(u.ptr, SZ_4K + 0x60));
	EXPECT_EQ(0xbbbu, xe_rd32(b.ptr, SZ_4K + 0x60));
	EXPECT_EQ(0xaaau, xe_rd32(a.ptr, SZ_4K + 0x60));

	/* And gone. */
	ASSERT_EQ(0, xe_vm_unbind(self->fd, self->ctx.vm, DATA2_ADDR, 2 * SZ_4K));
	value = 0xddd;
	EXPECT_EQ(-EIO, xe_ctx_store(&self->ctx, &addr, &value, 1));
	EXPECT_EQ(0xcccu, xe_rd32(u.ptr, SZ_4K + 0x60));
	check_banned(_metadata, self, &self->ctx);

	xe_buf_destroy(self->fd, &a);
	xe_buf_destroy(self->fd, &b);
	xe_buf_destroy(self->fd, &u);
}

/* New CPU pages behind a userptr: the GPU faults in the new ones. */
TEST_F(xe_exec_fault_mode, userptr_remap)
{
	const size_t size = 2 * SZ_4K;
	uint64_t addr = DATA2_ADDR + SZ_4K + 0x10;
	char *mem, *moved, *fresh;
	uint32_t value;

	mem = xe_alloc_pages(size);
	ASSERT_NE(NULL, mem);
	moved = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, moved);
	ASSERT_EQ(0, xe_vm_bind_userptr(self->fd, self->ctx.vm, mem, DATA2_ADDR, size, 0));

	value = 0x111;
	ASSERT_EQ(0, xe_ctx_store(&self->ctx, &addr, &value, 1));
	EXPECT_EQ(0x111u, xe_rd32(mem, SZ_4K + 0x10));

	ASSERT_EQ(moved, mremap(mem, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, moved));
	fresh = mmap(mem, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		     -1, 0);
	ASSERT_EQ(mem, fresh);

	value = 0x222;
	ASSERT_EQ(0, xe_ctx_store(&self->ctx, &addr, &value, 1));
	EXPECT_EQ(0x222u, xe_rd32(fresh, SZ_4K + 0x10));
	EXPECT_EQ(0x111u, xe_rd32(moved, SZ_4K + 0x10));

	munmap(moved, size);
	munmap(mem, size);
}

/* With the memory behind a userptr gone, the GPU's fault cannot be served. */
TEST_F(xe_exec_fault_mode, userptr_munmap_bans)
{
	const size_t size = 2 * SZ_4K;
	uint64_t addr = DATA2_ADDR + 0x10;
	uint32_t value = 0x1;
	char *mem;

	mem = xe_alloc_pages(size);
	ASSERT_NE(NULL, mem);
	ASSERT_EQ(0, xe_vm_bind_userptr(self->fd, self->ctx.vm, mem, DATA2_ADDR, size, 0));
	ASSERT_EQ(0, xe_ctx_store(&self->ctx, &addr, &value, 1));
	EXPECT_EQ(1u, xe_rd32(mem, 0x10));

	ASSERT_EQ(0, munmap(mem, size));
	value = 2;
	EXPECT_EQ(-EIO, xe_ctx_store(&self->ctx, &addr, &value, 1));
	check_banned(_metadata, self, &self->ctx);
}

/* The copy engine faults in the middle of long copies and fills, and resumes. */
TEST_F(xe_exec_fault_mode, copy_faults)
{
	const uint64_t size = 64 * SZ_4K;
	struct xe_buf src, dst;
	struct xe_ctx copy;
	uint32_t *cs;
	uint64_t i;

	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_VRAM, size, &src));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_USERPTR, size, &dst));
	for (i = 0; i < size; i += 4)
		xe_wr32(src.ptr, i, (uint32_t)(i * 0x01000193));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &src, MANY_ADDR, 0));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &dst, MANY_ADDR + size, 0));

	ASSERT_EQ(0, xe_ctx_init(self->fd, &copy, self->ctx.vm, VM_FLAGS,
				 DRM_XE_ENGINE_CLASS_COPY, 0));
	cs = xe_ctx_cs(&copy, 0);
	cs = xe_emit_mem_copy(cs, MANY_ADDR + size, MANY_ADDR, size - SZ_4K);
	cs = xe_emit_mem_set(cs, MANY_ADDR + 2 * size - SZ_4K, SZ_4K, 0x5e);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, xe_ctx_run(&copy));

	for (i = 0; i < size - SZ_4K; i += 4) {
		ASSERT_EQ((uint32_t)(i * 0x01000193), xe_rd32(dst.ptr, i)) {
			TH_LOG("offset %#llx", (unsigned long long)i);
		}
	}
	for (; i < size; i += 4) {
		ASSERT_EQ(0x5e5e5e5eu, xe_rd32(dst.ptr, i)) {
			TH_LOG("offset %#llx", (unsigned long long)i);
		}
	}

	xe_ctx_fini(&copy);
	xe_buf_destroy(self->fd, &src);
	xe_buf_destroy(self->fd, &dst);
}

/*
 * More VRAM bound than there is: one job per object, twice over, each
 * faulting its object back in and pushing others out.
 */
TEST_F_TIMEOUT(xe_exec_fault_mode, evict, 600)
{
	uint64_t vram_size, bo_size;
	unsigned int n, i, pass;
	struct xe_buf *bufs;
	uint32_t *cs;

	vram_size = xe_vram_size(self->fd);
	ASSERT_NE(0u, vram_size);
	bo_size = vram_size / 16;
	n = 24;		/* one and a half times VRAM */
	bufs = calloc(n, sizeof(*bufs));
	ASSERT_NE(NULL, bufs);

	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_VRAM, bo_size, &bufs[i])) {
			TH_LOG("object %u", i);
		}
		ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &bufs[i], MANY_ADDR + i * bo_size,
					 0)) {
			TH_LOG("object %u", i);
		}
	}

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			uint64_t base = MANY_ADDR + i * bo_size;

			cs = xe_ctx_cs(&self->ctx, 0);
			cs = xe_emit_store_dword(cs, base + pass * (bo_size / 2) + 0x40,
						 pass << 16 | i);
			cs = xe_emit_atomic(cs, ATOMIC_INC, base + bo_size - 4);
			xe_emit_bb_end(cs);
			ASSERT_EQ(0, xe_ctx_run_at(&self->ctx, 0, 3 * XE_TIMEOUT_NS)) {
				TH_LOG("pass %u object %u", pass, i);
			}
		}
	}

	for (i = 0; i < n; i++) {
		for (pass = 0; pass < 2; pass++) {
			EXPECT_EQ(pass << 16 | i, xe_rd32(bufs[i].ptr, pass * (bo_size / 2) + 0x40)) {
				TH_LOG("pass %u object %u", pass, i);
			}
		}
		EXPECT_EQ(2u, xe_rd32(bufs[i].ptr, bo_size - 4)) {
			TH_LOG("object %u", i);
		}
		xe_buf_destroy(self->fd, &bufs[i]);
	}
	free(bufs);
}

TEST_HARNESS_MAIN
