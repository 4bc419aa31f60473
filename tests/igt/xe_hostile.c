// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile input that once broke the driver, one regression test per
 * defect found:
 *  - vector binds that create a userptr mapping and remove (all or part
 *    of) it again within the same VM_BIND;
 *  - userptr ranges that wrap past the top of the address space or lie
 *    above the user half of it;
 *  - timeline in-syncs that name a binary syncobj;
 *  - queues destroyed after one of their jobs timed out;
 *  - sizes and counts chosen to make the kernel allocate, or walk page
 *    tables, in proportion to a number the user picked (1 TiB userptrs,
 *    NULL bindings of most of the address space, huge counts);
 *  - user memory the process may only read, bound without READONLY.
 *
 * Each test drives the path the defect was on and checks the clean
 * outcome: the documented errno, the data the GPU wrote, that nothing
 * hangs and that the VM stays usable. Reports the kernel prints on such
 * paths (KASAN, WARN, refcount_t, hung task, soft lockup) fail the run
 * through the test runner, which scans the kernel log.
 *
 * The harness's EXPECT_*() and ASSERT_*() macros expand to two statements,
 * so they are always braced when they form the body of an if, else or for.
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xe_ioctl.h"

/*
 * The harness keeps the pid of fork() in a non-volatile local of the
 * function calling setjmp(), into which test bodies get inlined; GCC then
 * warns about it. Only the path after a failed ASSERT_*() is affected.
 */
#pragma GCC diagnostic ignored "-Wclobbered"

#define VM_FAULT	(DRM_XE_VM_CREATE_FLAG_LR_MODE | DRM_XE_VM_CREATE_FLAG_FAULT_MODE)
#define VM_SCRATCH	DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE

/* GPU addresses, away from the context batch buffers. */
#define ADDR_A		0x00200000ull
#define ADDR_B		0x00400000ull
#define ADDR_C		0x00600000ull
/* Big userptr mappings start here. */
#define BIG_ADDR	0x100000000ull
/* Never bound: in a scratch-page VM the GPU reads zeros, MI_NOOPs, there. */
#define HANG_ADDR	0x200000000ull
/* NULL bindings over most of the 48-bit address space. */
#define NULL_START	(1ull << 40)
#define NULL_END	(1ull << 47)

#define SZ_1T		(1ull << 40)
#define MS		1000000ll

#define PAGE		SZ_4K

#define JOB_TIMEOUT_PARAM	"/sys/module/xe/parameters/job_timeout_ms"

FIXTURE(xe_hostile) {
	int fd;
};

FIXTURE_SETUP(xe_hostile)
{
	self->fd = drm_open_driver_xe();
	if (self->fd < 0 && !xe_devices_expected())
		SKIP(return, "no xe device found");
	ASSERT_GE(self->fd, 0) {
		TH_LOG("xe is loaded but no device could be opened: %s", strerror(errno));
	}
}

FIXTURE_TEARDOWN(xe_hostile)
{
	if (self->fd >= 0)
		close(self->fd);
}

static int64_t ms_since(int64_t t0)
{
	return (xe_now_ns() - t0) / MS;
}

static int store1(struct xe_ctx *ctx, uint64_t addr, uint32_t value)
{
	return xe_ctx_store(ctx, &addr, &value, 1);
}

/*
 * A store to addr, from a fresh queue of ctx's VM, must fail and get that
 * queue banned; ctx's own queue is left alone.
 */
static void store_bans(struct __test_metadata *_metadata, struct xe_ctx *ctx, uint32_t vm_flags,
		       uint64_t addr)
{
	struct xe_ctx other;
	int ret;

	ASSERT_EQ(0, xe_ctx_init(ctx->fd, &other, ctx->vm, vm_flags, DRM_XE_ENGINE_CLASS_COMPUTE,
				 0));
	ret = store1(&other, addr, 0xbad);
	EXPECT_GT(0, ret) {
		TH_LOG("store to %#llx did not fail", (unsigned long long)addr);
	}
	EXPECT_EQ(1, xe_wait_banned(ctx->fd, other.queue, XE_TIMEOUT_NS));
	xe_ctx_fini(&other);
}

/* Every dword of size bytes at ptr is zero but the one at offset, which is value. */
static void expect_only(struct __test_metadata *_metadata, const void *ptr, uint64_t size,
			const char *what, uint64_t offset, uint32_t value)
{
	uint64_t i;

	for (i = 0; i < size; i += 4) {
		uint32_t want = i == offset ? value : 0;

		ASSERT_EQ(want, xe_rd32(ptr, i)) {
			TH_LOG("%s offset %#llx", what, (unsigned long long)i);
		}
	}
}

/* --- 1. a userptr mapping made and removed in one vector bind ----------- */

enum second_op {
	SECOND_UNMAP,		/* unmaps the whole userptr range */
	SECOND_UNMAP_PART,	/* unmaps its middle, splitting it */
	SECOND_MAP_BO,		/* maps a BO over all of it */
};

/*
 * op0 maps user memory at ADDR_A, op1 of the same VM_BIND takes it away
 * again before the bind has set the userptr up. Then the VM must be as
 * asked: what op1 left reaches the right memory, nothing else does, and a
 * later bind of the range works.
 */
static void userptr_then(struct __test_metadata *_metadata, FIXTURE_DATA(xe_hostile) *self,
			 uint32_t vm_flags, enum second_op second)
{
	const uint64_t size = 4 * PAGE;
	const bool fault = vm_flags & DRM_XE_VM_CREATE_FLAG_FAULT_MODE;
	struct drm_xe_vm_bind_op ops[2];
	struct xe_ctx ctx;
	struct xe_buf bo;
	char *mem, *fresh;
	unsigned int round;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, vm_flags, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, size, &bo));
	mem = xe_alloc_pages(size);
	ASSERT_NE(NULL, mem);
	fresh = aligned_alloc(PAGE, size);
	ASSERT_NE(NULL, fresh);
	memset(fresh, 0, size);

	for (round = 0; round < 3; round++) {
		const uint32_t v = 0x5ec0000 + (round << 8);

		ops[0] = xe_bind_op_userptr(mem, ADDR_A, size, 0);
		switch (second) {
		case SECOND_UNMAP:
			ops[1] = xe_bind_op_unmap(ADDR_A, size);
			break;
		case SECOND_UNMAP_PART:
			ops[1] = xe_bind_op_unmap(ADDR_A + PAGE, 2 * PAGE);
			break;
		case SECOND_MAP_BO:
			ops[1] = xe_bind_op_map(bo.handle, 0, ADDR_A, size, 0);
			break;
		}
		ASSERT_EQ(0, xe_vm_bind_ops(self->fd, ctx.vm, 0, ops, 2, NULL, 0)) {
			TH_LOG("round %u", round);
		}

		switch (second) {
		case SECOND_UNMAP:
			/* Nothing is mapped: scratch drops the store, or it faults. */
			if (fault) {
				store_bans(_metadata, &ctx, vm_flags, ADDR_A + 0x10);
			} else {
				ASSERT_EQ(0, store1(&ctx, ADDR_A + 0x10, v | 1));
			}
			expect_only(_metadata, mem, size, "userptr", 0, 0);
			break;
		case SECOND_UNMAP_PART:
			/* Head and tail pages still map user memory. */
			ASSERT_EQ(0, store1(&ctx, ADDR_A + 0x10, v | 2));
			EXPECT_EQ(v | 2, xe_rd32(mem, 0x10));
			ASSERT_EQ(0, store1(&ctx, ADDR_A + 3 * PAGE + 0x14, v | 3));
			EXPECT_EQ(v | 3, xe_rd32(mem, 3 * PAGE + 0x14));
			if (fault) {
				store_bans(_metadata, &ctx, vm_flags, ADDR_A + PAGE + 0x18);
			} else {
				ASSERT_EQ(0, store1(&ctx, ADDR_A + 2 * PAGE + 0x18, v | 4));
			}
			EXPECT_EQ(0u, xe_rd32(mem, PAGE + 0x18));
			EXPECT_EQ(0u, xe_rd32(mem, 2 * PAGE + 0x18));
			memset(mem, 0, size);
			break;
		case SECOND_MAP_BO:
			ASSERT_EQ(0, store1(&ctx, ADDR_A + PAGE + 0x1c, v | 5));
			expect_only(_metadata, bo.ptr, size, "BO", PAGE + 0x1c, v | 5);
			expect_only(_metadata, mem, size, "userptr", 0, 0);
			memset(bo.ptr, 0, size);
			break;
		}

		/* A third bind over the range, and a store through it. */
		ASSERT_EQ(0, xe_vm_bind_userptr(self->fd, ctx.vm, fresh, ADDR_A, size, 0));
		ASSERT_EQ(0, store1(&ctx, ADDR_A + 2 * PAGE + 0x20, v | 6));
		expect_only(_metadata, fresh, size, "fresh userptr", 2 * PAGE + 0x20, v | 6);
		memset(fresh, 0, size);
		ASSERT_EQ(0, xe_vm_unbind(self->fd, ctx.vm, ADDR_A, size));
	}
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, ctx.queue));

	free(fresh);
	xe_free_pages(mem, size);
	xe_buf_destroy(self->fd, &bo);
	xe_ctx_fini(&ctx);
}

/* UNMAP of a userptr mapped earlier in the same vector freed it under the bind (KASAN UAF). */
TEST_F(xe_hostile, vector_userptr_unmap)
{
	userptr_then(_metadata, self, VM_SCRATCH, SECOND_UNMAP);
}

/* The same use-after-free in a fault-mode VM, where the userptr is only recorded. */
TEST_F(xe_hostile, vector_userptr_unmap_fault)
{
	userptr_then(_metadata, self, VM_FAULT, SECOND_UNMAP);
}

/* A partial UNMAP splits the pending userptr: the old piece was freed and then used. */
TEST_F(xe_hostile, vector_userptr_unmap_part)
{
	userptr_then(_metadata, self, VM_SCRATCH, SECOND_UNMAP_PART);
}

/* The same split of a pending userptr in a fault-mode VM. */
TEST_F(xe_hostile, vector_userptr_unmap_part_fault)
{
	userptr_then(_metadata, self, VM_FAULT, SECOND_UNMAP_PART);
}

/* A BO mapped over a pending userptr removed it the same way (use-after-free). */
TEST_F(xe_hostile, vector_userptr_map_bo)
{
	userptr_then(_metadata, self, VM_SCRATCH, SECOND_MAP_BO);
}

/* The same BO-over-pending-userptr vector in a fault-mode VM. */
TEST_F(xe_hostile, vector_userptr_map_bo_fault)
{
	userptr_then(_metadata, self, VM_FAULT, SECOND_MAP_BO);
}

/*
 * One UNMAP across several pending userptrs and a BO, with more maps and a
 * split after it, all in one vector: pending userptrs are removed whole or
 * in part, and new ones made, while the bind is still going.
 */
static void unmap_across(struct __test_metadata *_metadata, FIXTURE_DATA(xe_hostile) *self,
			 uint32_t vm_flags)
{
	const bool fault = vm_flags & DRM_XE_VM_CREATE_FLAG_FAULT_MODE;
	struct drm_xe_vm_bind_op ops[8];
	uint64_t addrs[6];
	uint32_t values[6];
	struct xe_ctx ctx;
	struct xe_buf bo;
	char *mem, *mem2;
	unsigned int n = 0, i;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, vm_flags, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, 4 * PAGE, &bo));
	mem = xe_alloc_pages(8 * PAGE);
	ASSERT_NE(NULL, mem);
	mem2 = xe_alloc_pages(4 * PAGE);
	ASSERT_NE(NULL, mem2);

	ops[n++] = xe_bind_op_userptr(mem, ADDR_A, 2 * PAGE, 0);
	ops[n++] = xe_bind_op_map(bo.handle, 0, ADDR_A + 2 * PAGE, 2 * PAGE, 0);
	ops[n++] = xe_bind_op_userptr(mem + 4 * PAGE, ADDR_A + 4 * PAGE, 2 * PAGE, 0);
	ops[n++] = xe_bind_op_unmap(ADDR_A, 6 * PAGE);
	ops[n++] = xe_bind_op_userptr(mem2, ADDR_A + PAGE, 2 * PAGE, 0);
	ops[n++] = xe_bind_op_map(bo.handle, 2 * PAGE, ADDR_A + 4 * PAGE, PAGE, 0);
	ops[n++] = xe_bind_op_unmap(ADDR_A + PAGE, PAGE);
	ops[n++] = xe_bind_op_userptr(mem, ADDR_A + 5 * PAGE, PAGE, 0);
	ASSERT_EQ(0, xe_vm_bind_ops(self->fd, ctx.vm, 0, ops, n, NULL, 0));

	/* Left: A+2p -> mem2 page 1, A+4p -> bo page 2, A+5p -> mem page 0. */
	addrs[0] = ADDR_A + 2 * PAGE + 0x10;
	addrs[1] = ADDR_A + 4 * PAGE + 0x20;
	addrs[2] = ADDR_A + 5 * PAGE + 0x30;
	/* Holes; dropped by the scratch page. */
	addrs[3] = ADDR_A + 0x40;
	addrs[4] = ADDR_A + PAGE + 0x44;
	addrs[5] = ADDR_A + 3 * PAGE + 0x48;
	for (i = 0; i < 6; i++)
		values[i] = 0xacc0000 + i;
	ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, fault ? 3 : 6));
	expect_only(_metadata, mem2, 4 * PAGE, "mem2", PAGE + 0x10, values[0]);
	expect_only(_metadata, bo.ptr, 4 * PAGE, "BO", 2 * PAGE + 0x20, values[1]);
	expect_only(_metadata, mem, 8 * PAGE, "mem", 0x30, values[2]);
	if (fault)
		store_bans(_metadata, &ctx, vm_flags, addrs[4]);

	/* One UNMAP over all of it leaves nothing. */
	ASSERT_EQ(0, xe_vm_unbind(self->fd, ctx.vm, ADDR_A, 8 * PAGE));
	if (fault) {
		store_bans(_metadata, &ctx, vm_flags, addrs[0]);
	} else {
		values[0] = 0xdead;
		ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, 3));
	}
	EXPECT_EQ(0xacc0000u, xe_rd32(mem2, PAGE + 0x10));
	EXPECT_EQ(0xacc0002u, xe_rd32(mem, 0x30));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, ctx.queue));

	xe_free_pages(mem, 8 * PAGE);
	xe_free_pages(mem2, 4 * PAGE);
	xe_buf_destroy(self->fd, &bo);
	xe_ctx_fini(&ctx);
}

/* Several pending userptr VMAs freed by one UNMAP of the same vector (use-after-free). */
TEST_F(xe_hostile, vector_unmap_across)
{
	unmap_across(_metadata, self, VM_SCRATCH);
}

/* The same in a fault-mode VM. */
TEST_F(xe_hostile, vector_unmap_across_fault)
{
	unmap_across(_metadata, self, VM_FAULT);
}

/*
 * The longest vector there is, alternating MAP_USERPTR and UNMAP of one
 * range; then the same ending on a map, and with UNMAPs of one page each
 * that split every userptr before the next replaces it.
 */
static void userptr_churn(struct __test_metadata *_metadata, FIXTURE_DATA(xe_hostile) *self,
			  uint32_t vm_flags)
{
	const unsigned int num = 1024;
	const uint64_t size = 4 * PAGE;
	const bool fault = vm_flags & DRM_XE_VM_CREATE_FLAG_FAULT_MODE;
	struct drm_xe_vm_bind_op *ops;
	struct xe_ctx ctx;
	unsigned int i;
	int64_t t0;
	char *mem;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, vm_flags, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	mem = xe_alloc_pages(size);
	ASSERT_NE(NULL, mem);
	ops = calloc(num, sizeof(*ops));
	ASSERT_NE(NULL, ops);

	for (i = 0; i < num; i++)
		ops[i] = i % 2 ? xe_bind_op_unmap(ADDR_A, size) :
				 xe_bind_op_userptr(mem, ADDR_A, size, 0);
	t0 = xe_now_ns();
	ASSERT_EQ(0, xe_vm_bind_ops(self->fd, ctx.vm, 0, ops, num, NULL, 0));
	TH_LOG("%u ops ending in UNMAP: %lld ms", num, (long long)ms_since(t0));
	if (fault) {
		store_bans(_metadata, &ctx, vm_flags, ADDR_A + 0x10);
	} else {
		ASSERT_EQ(0, store1(&ctx, ADDR_A + 0x10, 0xdead));
	}
	EXPECT_EQ(0u, xe_rd32(mem, 0x10));

	t0 = xe_now_ns();
	ASSERT_EQ(0, xe_vm_bind_ops(self->fd, ctx.vm, 0, ops, num - 1, NULL, 0));
	TH_LOG("%u ops ending in MAP_USERPTR: %lld ms", num - 1, (long long)ms_since(t0));
	ASSERT_EQ(0, store1(&ctx, ADDR_A + PAGE + 0x10, 0xc4c4));
	expect_only(_metadata, mem, size, "userptr", PAGE + 0x10, 0xc4c4);
	memset(mem, 0, size);

	/* Each UNMAP takes one page, the next MAP_USERPTR replaces the pieces. */
	for (i = 1; i < num; i += 2)
		ops[i] = xe_bind_op_unmap(ADDR_A + (i / 2 % 4) * PAGE, PAGE);
	t0 = xe_now_ns();
	ASSERT_EQ(0, xe_vm_bind_ops(self->fd, ctx.vm, 0, ops, num, NULL, 0));
	TH_LOG("%u ops splitting userptrs: %lld ms", num, (long long)ms_since(t0));
	/* The last UNMAP took page 3: pages 0-2 are mapped. */
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, store1(&ctx, ADDR_A + i * PAGE + 0x20, 0xe0 + i));
		EXPECT_EQ(0xe0 + i, xe_rd32(mem, i * PAGE + 0x20));
	}
	if (fault) {
		store_bans(_metadata, &ctx, vm_flags, ADDR_A + 3 * PAGE + 0x20);
	} else {
		ASSERT_EQ(0, store1(&ctx, ADDR_A + 3 * PAGE + 0x20, 0xdead));
	}
	EXPECT_EQ(0u, xe_rd32(mem, 3 * PAGE + 0x20));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, ctx.queue));

	free(ops);
	xe_free_pages(mem, size);
	xe_ctx_fini(&ctx);
}

/* 1024 ops alternating MAP_USERPTR and UNMAP: 512 pending userptrs freed under the bind. */
TEST_F_TIMEOUT(xe_hostile, vector_userptr_churn, 60)
{
	userptr_churn(_metadata, self, VM_SCRATCH);
}

/* The same in a fault-mode VM. */
TEST_F_TIMEOUT(xe_hostile, vector_userptr_churn_fault, 60)
{
	userptr_churn(_metadata, self, VM_FAULT);
}

/* --- 2. userptr ranges outside the user address space -------------------- */

/*
 * CPU ranges that no process can own. Ranges that wrap (end past 2^64, or
 * exactly at it) are malformed: -EINVAL. Ranges that do not wrap but reach
 * above the user half are memory the caller does not have: -EFAULT. (The
 * kernel that failed here answered a wrapping range with -EOVERFLOW from
 * the MMU notifier, after which removing the notifier it never inserted
 * dropped an mm reference it never took; the kernel-half ranges were
 * accepted outright in fault mode.)
 */
static const struct {
	uint64_t ptr, range;
	int err;
} bad_userptrs[] = {
	{ 0xfffffffffffff000ull, 0x2000, -EINVAL },
	{ 0xffffffffffffe000ull, 0x2000, -EINVAL },
	{ 0xfffffffffff00000ull, 0x200000, -EINVAL },
	{ 0xffff800000000000ull, 0x2000, -EFAULT },
	{ 0xffffffff80000000ull, 0x10000, -EFAULT },
	{ 0x8000000000000000ull, 0x1000, -EFAULT },
};

static void userptr_outside(struct __test_metadata *_metadata, FIXTURE_DATA(xe_hostile) *self,
			    uint32_t vm_flags)
{
	struct drm_xe_vm_bind_op op;
	struct xe_ctx ctx;
	unsigned int rep;
	size_t i;
	char *mem;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, vm_flags, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	mem = xe_alloc_pages(2 * PAGE);
	ASSERT_NE(NULL, mem);

	for (rep = 0; rep < 10; rep++) {
		for (i = 0; i < ARRAY_SIZE(bad_userptrs); i++) {
			/* The GPU side, [ADDR_A, ADDR_A + range), is valid. */
			op = xe_bind_op_userptr(from_user_pointer(bad_userptrs[i].ptr), ADDR_A,
						bad_userptrs[i].range, 0);
			EXPECT_EQ(bad_userptrs[i].err,
				  xe_vm_bind_ops(self->fd, ctx.vm, 0, &op, 1, NULL, 0)) {
				TH_LOG("userptr %#llx range %#llx, round %u",
				       (unsigned long long)op.userptr,
				       (unsigned long long)op.range, rep);
			}
		}
	}

	/* Nothing was left behind: the range binds, and the GPU reaches it. */
	ASSERT_EQ(0, xe_vm_bind_userptr(self->fd, ctx.vm, mem, ADDR_A, 2 * PAGE, 0));
	ASSERT_EQ(0, store1(&ctx, ADDR_A + PAGE + 0x8, 0x600d));
	expect_only(_metadata, mem, 2 * PAGE, "userptr", PAGE + 0x8, 0x600d);

	xe_free_pages(mem, 2 * PAGE);
	xe_ctx_fini(&ctx);
}

/* Wrapping userptr ranges underflowed the mm refcount (WARNING in mmu_interval_notifier_remove). */
TEST_F(xe_hostile, userptr_outside_user)
{
	userptr_outside(_metadata, self, 0);
}

/* The same in fault mode, where kernel-half ranges were also accepted. */
TEST_F(xe_hostile, userptr_outside_user_fault)
{
	userptr_outside(_metadata, self, VM_FAULT);
}

/* --- 3. timeline in-syncs on binary syncobjs ---------------------------- */

/*
 * A binary syncobj holding a signalled fence, named as a timeline point:
 * the lookup fails and must leave the fence alone. Twenty times, at points
 * 1 and 5, in EXEC or in VM_BIND; then the syncobj still works as the
 * binary in-sync it is.
 */
static void timeline_on_binary(struct __test_metadata *_metadata, FIXTURE_DATA(xe_hostile) *self,
			       bool from_exec, bool in_bind)
{
	const uint64_t points[] = { 1, 5 };
	struct drm_xe_sync syncs[2];
	struct drm_xe_vm_bind_op op;
	uint32_t syncobj, out;
	struct xe_ctx ctx;
	struct xe_buf buf;
	unsigned int i;
	size_t p;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, PAGE, &buf));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &buf, ADDR_A, 0));
	out = syncobj_create(self->fd, 0);
	ASSERT_NE(0u, out);
	/* The batch leaves a mark when it runs. */
	xe_emit_bb_end(xe_emit_store_dword(xe_ctx_cs(&ctx, 0), ADDR_A, 1));

	if (from_exec) {
		/* The fence of a job that ran. */
		syncobj = syncobj_create(self->fd, 0);
		ASSERT_NE(0u, syncobj);
		syncs[0] = xe_sync_syncobj(syncobj, true);
		ASSERT_EQ(0, xe_exec(self->fd, ctx.queue, ctx.batch.addr, syncs, 1));
		ASSERT_EQ(0, syncobj_wait(self->fd, &syncobj, 1, XE_TIMEOUT_NS, 0));
		ASSERT_EQ(1u, xe_rd32(buf.ptr, 0));
		xe_wr32(buf.ptr, 0, 0);
	} else {
		syncobj = syncobj_create(self->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
		ASSERT_NE(0u, syncobj);
	}

	for (i = 0; i < 20; i++) {
		for (p = 0; p < ARRAY_SIZE(points); p++) {
			syncs[0] = xe_sync_timeline(syncobj, points[p], false);
			if (in_bind) {
				op = xe_bind_op_map(buf.handle, 0, ADDR_B, PAGE, 0);
				EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, ctx.vm, 0, &op, 1,
								  syncs, 1)) {
					TH_LOG("VM_BIND, point %llu, round %u",
					       (unsigned long long)points[p], i);
				}
			} else {
				EXPECT_EQ(-EINVAL, xe_exec(self->fd, ctx.queue, ctx.batch.addr,
							   syncs, 1)) {
					TH_LOG("EXEC, point %llu, round %u",
					       (unsigned long long)points[p], i);
				}
			}
		}
	}
	/* None of those jobs ran. */
	EXPECT_EQ(0u, xe_rd32(buf.ptr, 0));

	/* As a binary in-sync the syncobj works, in both ioctls. */
	syncs[0] = xe_sync_syncobj(syncobj, false);
	syncs[1] = xe_sync_syncobj(out, true);
	op = xe_bind_op_map(buf.handle, 0, ADDR_B, PAGE, 0);
	ASSERT_EQ(0, xe_vm_bind_ops(self->fd, ctx.vm, 0, &op, 1, syncs, 2));
	ASSERT_EQ(0, syncobj_wait(self->fd, &out, 1, XE_TIMEOUT_NS, 0));
	xe_emit_bb_end(xe_emit_store_dword(xe_ctx_cs(&ctx, 0), ADDR_B + 4, 0x5a5a));
	ASSERT_EQ(0, xe_exec(self->fd, ctx.queue, ctx.batch.addr, syncs, 2));
	ASSERT_EQ(0, syncobj_wait(self->fd, &out, 1, XE_TIMEOUT_NS, 0));
	EXPECT_EQ(1, syncobj_fence_status(self->fd, out));
	EXPECT_EQ(0x5a5au, xe_rd32(buf.ptr, 4));
	EXPECT_EQ(0, syncobj_wait(self->fd, &syncobj, 1, 0, 0));
	EXPECT_EQ(1, syncobj_fence_status(self->fd, syncobj));

	EXPECT_EQ(0, syncobj_destroy(self->fd, syncobj));
	EXPECT_EQ(0, syncobj_destroy(self->fd, out));
	xe_buf_destroy(self->fd, &buf);
	xe_ctx_fini(&ctx);
}

/* EXEC: the failed point lookup's fence was put twice (refcount_t underflow, use-after-free). */
TEST_F(xe_hostile, exec_timeline_on_binary_exec_fence)
{
	timeline_on_binary(_metadata, self, true, false);
}

/* The same on a syncobj created signalled, holding the shared stub fence. */
TEST_F(xe_hostile, exec_timeline_on_binary_signaled)
{
	timeline_on_binary(_metadata, self, false, false);
}

/* VM_BIND parses in-syncs the same way: the same double put. */
TEST_F(xe_hostile, bind_timeline_on_binary_exec_fence)
{
	timeline_on_binary(_metadata, self, true, true);
}

/* VM_BIND on a syncobj created signalled. */
TEST_F(xe_hostile, bind_timeline_on_binary_signaled)
{
	timeline_on_binary(_metadata, self, false, true);
}

/* --- 4. destroying queues whose job timed out --------------------------- */

FIXTURE(xe_hostile_timeout) {
	int fd;
	long long saved;	/* job_timeout_ms to restore, or -1 */
};

static int set_job_timeout(long long ms)
{
	FILE *f = fopen(JOB_TIMEOUT_PARAM, "we");
	int ret = 0;

	if (!f)
		return -errno;
	if (fprintf(f, "%lld\n", ms) < 0)
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

FIXTURE_SETUP(xe_hostile_timeout)
{
	long long value;

	self->saved = -1;
	self->fd = drm_open_driver_xe();
	if (self->fd < 0 && !xe_devices_expected())
		SKIP(return, "no xe device found");
	ASSERT_GE(self->fd, 0) {
		TH_LOG("xe is loaded but no device could be opened: %s", strerror(errno));
	}
	ASSERT_EQ(0, xe_module_param("job_timeout_ms", &value));
	self->saved = value;
}

/* Runs in the parent of the test process: restores the timeout whatever happened. */
FIXTURE_TEARDOWN_PARENT(xe_hostile_timeout)
{
	if (self->saved >= 0) {
		EXPECT_EQ(0, set_job_timeout(self->saved));
	}
}

struct destroy_report {
	int destroy[3];		/* EXEC_QUEUE_DESTROY of each queue */
	int vm_destroy;
	int64_t destroy_ns;	/* all the queue destroys */
	int close;		/* closing the last reference to the file */
	int64_t close_ns;
};

/* Waits up to timeout_ms for a whole report on fd; returns whether it came. */
static bool read_report(int fd, void *buf, size_t len, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, timeout_ms) != 1)
		return false;
	return read(fd, buf, len) == (ssize_t)len;
}

/*
 * n queues on compute engines of a scratch-page VM, each running a job
 * that starts at HANG_ADDR, where nothing is bound: the job executes the
 * scratch page's zeros, MI_NOOPs, until it times out. Then the queues are
 * destroyed and the file closed, in a child process: if that hangs, the
 * child is stuck in the kernel for good, and the test fails instead of
 * waiting for it.
 */
static void hang_then_destroy(struct __test_metadata *_metadata,
			      FIXTURE_DATA(xe_hostile_timeout) *self, unsigned int n)
{
	struct destroy_report report;
	uint32_t queues[3], syncobjs[3], vm;
	struct drm_xe_sync sync;
	int fd = self->fd, engines, pipefd[2], status;
	unsigned int i;
	int64_t t0;
	pid_t pid;

	ASSERT_LE(n, ARRAY_SIZE(queues));
	engines = xe_engine_count(self->fd, DRM_XE_ENGINE_CLASS_COMPUTE);
	ASSERT_LT(0, engines);
	vm = xe_vm_create(self->fd, VM_SCRATCH);
	ASSERT_NE(0u, vm);

	/* Queues take the timeout when they are created. */
	ASSERT_EQ(0, set_job_timeout(500));
	for (i = 0; i < n; i++) {
		queues[i] = xe_exec_queue_create(self->fd, vm, DRM_XE_ENGINE_CLASS_COMPUTE,
						 i % engines);
		ASSERT_NE(0u, queues[i]);
	}
	ASSERT_EQ(0, set_job_timeout(self->saved));

	for (i = 0; i < n; i++) {
		syncobjs[i] = syncobj_create(self->fd, 0);
		ASSERT_NE(0u, syncobjs[i]);
		sync = xe_sync_syncobj(syncobjs[i], true);
		ASSERT_EQ(0, xe_exec(self->fd, queues[i], HANG_ADDR, &sync, 1));
	}
	t0 = xe_now_ns();
	ASSERT_EQ(0, syncobj_wait(self->fd, syncobjs, n, XE_TIMEOUT_NS,
				  DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL)) {
		TH_LOG("the jobs did not time out");
	}
	TH_LOG("%u jobs timed out after %lld ms", n, (long long)ms_since(t0));
	for (i = 0; i < n; i++) {
		int st = syncobj_fence_status(self->fd, syncobjs[i]);

		EXPECT_GT(0, st) {
			TH_LOG("queue %u: fence status %d, not an error", i, st);
		}
		EXPECT_EQ(1, xe_wait_banned(self->fd, queues[i], 2000 * MS)) {
			TH_LOG("queue %u", i);
		}
	}

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		memset(&report, 0, sizeof(report));
		close(pipefd[0]);
		alarm(60);
		t0 = xe_now_ns();
		for (i = 0; i < n; i++)
			report.destroy[i] = xe_exec_queue_destroy(fd, queues[i]);
		report.destroy_ns = xe_now_ns() - t0;
		report.vm_destroy = xe_vm_destroy(fd, vm);
		if (write(pipefd[1], &report, sizeof(report)) != sizeof(report))
			_exit(1);
		t0 = xe_now_ns();
		report.close = close(fd) ? -errno : 0;
		report.close_ns = xe_now_ns() - t0;
		if (write(pipefd[1], &report, sizeof(report)) != sizeof(report))
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	/* The child holds the last reference to the file; self is shared with it. */
	close(fd);
	self->fd = -1;

	ASSERT_TRUE(read_report(pipefd[0], &report, sizeof(report), 8000)) {
		TH_LOG("EXEC_QUEUE_DESTROY after a job timeout did not return in 8 s");
	}
	for (i = 0; i < n; i++) {
		EXPECT_EQ(0, report.destroy[i]) {
			TH_LOG("queue %u", i);
		}
	}
	EXPECT_EQ(0, report.vm_destroy);
	TH_LOG("destroying %u queues took %lld ms", n, (long long)(report.destroy_ns / MS));
	EXPECT_GT(5000 * MS, report.destroy_ns);

	ASSERT_TRUE(read_report(pipefd[0], &report, sizeof(report), 8000)) {
		TH_LOG("closing the file did not return in 8 s");
	}
	EXPECT_EQ(0, report.close);
	TH_LOG("closing the file took %lld ms", (long long)(report.close_ns / MS));
	EXPECT_GT(5000 * MS, report.close_ns);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(pipefd[0]);
}

/* The timed-out job was never handed back to the scheduler: destroy waited for it forever. */
TEST_F_TIMEOUT(xe_hostile_timeout, destroy_after_timeout, 60)
{
	hang_then_destroy(_metadata, self, 1);
}

/* Three queues, each with a timed-out job, destroyed one after the other. */
TEST_F_TIMEOUT(xe_hostile_timeout, destroy_three_after_timeout, 60)
{
	hang_then_destroy(_metadata, self, 3);
}

/* --- 5. sizes the user picks --------------------------------------------- */

/*
 * A CPU range of size bytes for a userptr: an overcommitted anonymous
 * mapping, or if even that is refused an address range nothing is mapped
 * at. *mapped says which.
 */
static void *reserve(uint64_t size, bool *mapped)
{
	void *ptr = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	*mapped = ptr != MAP_FAILED;
	return *mapped ? ptr : from_user_pointer(0x200000000000ull);
}

/*
 * 1 TiB of user memory in a fault-mode VM. The bind only records it, or
 * fails cleanly; a job touching one page either gets it or is banned.
 */
TEST_F_TIMEOUT(xe_hostile, userptr_1tib_fault, 60)
{
	struct xe_ctx ctx, other;
	struct xe_buf buf;
	bool mapped;
	int64_t t0;
	char *ptr;
	int ret;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, VM_FAULT, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ptr = reserve(SZ_1T, &mapped);
	TH_LOG("1 TiB of CPU addresses %s", mapped ? "mapped" : "not mapped, range unbacked");
	if (mapped)
		ptr[5 * PAGE] = 0;

	t0 = xe_now_ns();
	ret = xe_vm_bind_userptr(self->fd, ctx.vm, ptr, SZ_1T, SZ_1T, 0);
	TH_LOG("MAP_USERPTR of 1 TiB: %d in %lld ms", ret, (long long)ms_since(t0));
	EXPECT_TRUE(ret == 0 || ret == -ENOMEM || ret == -EINVAL || ret == -EFAULT);
	EXPECT_GT(10000, ms_since(t0));

	if (!ret) {
		t0 = xe_now_ns();
		ret = store1(&ctx, SZ_1T + 5 * PAGE + 0x10, 0x7e7e);
		TH_LOG("a store into it: %d in %lld ms", ret, (long long)ms_since(t0));
		if (!ret) {
			EXPECT_TRUE(mapped);
			if (mapped) {
				EXPECT_EQ(0x7e7eu, xe_rd32(ptr, 5 * PAGE + 0x10));
			}
		} else {
			EXPECT_EQ(-EIO, ret);
			EXPECT_EQ(1, xe_wait_banned(self->fd, ctx.queue, XE_TIMEOUT_NS));
		}
		t0 = xe_now_ns();
		EXPECT_EQ(0, xe_vm_unbind(self->fd, ctx.vm, SZ_1T, SZ_1T));
		TH_LOG("UNMAP: %lld ms", (long long)ms_since(t0));
	}

	/* The VM still works, for a new queue. */
	ASSERT_EQ(0, xe_ctx_init(self->fd, &other, ctx.vm, VM_FAULT, DRM_XE_ENGINE_CLASS_COMPUTE,
				 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, PAGE, &buf));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &buf, ADDR_A, 0));
	ASSERT_EQ(0, store1(&other, ADDR_A + 8, 0x1234));
	EXPECT_EQ(0x1234u, xe_rd32(buf.ptr, 8));

	xe_buf_destroy(self->fd, &buf);
	xe_ctx_fini(&other);
	if (mapped)
		munmap(ptr, SZ_1T);
	xe_ctx_fini(&ctx);
}

/* 1 TiB of user memory without faults: a per-page array of the user's size (WARN in kvmalloc). */
TEST_F_TIMEOUT(xe_hostile, userptr_1tib, 60)
{
	struct xe_ctx ctx;
	struct xe_buf buf;
	bool mapped;
	int64_t t0;
	char *ptr;
	int ret;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ptr = reserve(SZ_1T, &mapped);
	TH_LOG("1 TiB of CPU addresses %s", mapped ? "mapped" : "not mapped, range unbacked");

	t0 = xe_now_ns();
	ret = xe_vm_bind_userptr(self->fd, ctx.vm, ptr, SZ_1T, SZ_1T, 0);
	TH_LOG("MAP_USERPTR of 1 TiB: %d in %lld ms", ret, (long long)ms_since(t0));
	/* Nobody has the memory for 2^28 pages' DMA addresses, or the pages themselves. */
	EXPECT_TRUE(ret == -ENOMEM || ret == -EFAULT);
	EXPECT_GT(10000, ms_since(t0));

	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, PAGE, &buf));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &buf, ADDR_A, 0));
	ASSERT_EQ(0, store1(&ctx, ADDR_A + 8, 0x4321));
	EXPECT_EQ(0x4321u, xe_rd32(buf.ptr, 8));

	xe_buf_destroy(self->fd, &buf);
	if (mapped)
		munmap(ptr, SZ_1T);
	xe_ctx_fini(&ctx);
}

/* Counts of batch buffers and syncs far past any limit. */
TEST_F(xe_hostile, exec_huge_counts)
{
	struct drm_xe_exec exec;
	struct drm_xe_sync *syncs;
	struct xe_ctx ctx;
	uint32_t out;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	xe_emit_bb_end(xe_ctx_cs(&ctx, 0));
	syncs = calloc(DRM_XE_MAX_SYNCS, sizeof(*syncs));
	ASSERT_NE(NULL, syncs);

	/* The queue is one batch buffer wide. */
	exec = (struct drm_xe_exec) {
		.exec_queue_id = ctx.queue,
		.address = 0x1000,
		.num_batch_buffer = 0xffff,
	};
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &exec));
	exec.num_batch_buffer = 2;
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &exec));

	/* More syncs than DRM_XE_MAX_SYNCS, from a bogus or a real array. */
	exec = (struct drm_xe_exec) {
		.exec_queue_id = ctx.queue,
		.num_syncs = 0xffffffff,
		.syncs = 0x1000,
		.address = ctx.batch.addr,
		.num_batch_buffer = 1,
	};
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &exec));
	exec.syncs = to_user_pointer(syncs);
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &exec));
	exec.num_syncs = DRM_XE_MAX_SYNCS + 1;
	EXPECT_EQ(-EINVAL, __xe_exec(self->fd, &exec));
	/* The most there may be, but not readable. */
	exec.num_syncs = DRM_XE_MAX_SYNCS;
	exec.syncs = 0x1000;
	EXPECT_EQ(-EFAULT, __xe_exec(self->fd, &exec));
	exec.syncs = 0xffff800000000000ull;
	EXPECT_EQ(-EFAULT, __xe_exec(self->fd, &exec));

	/* The queue still runs jobs. */
	out = syncobj_create(self->fd, 0);
	ASSERT_NE(0u, out);
	syncs[0] = xe_sync_syncobj(out, true);
	ASSERT_EQ(0, xe_exec(self->fd, ctx.queue, ctx.batch.addr, syncs, 1));
	EXPECT_EQ(0, syncobj_wait(self->fd, &out, 1, XE_TIMEOUT_NS, 0));
	EXPECT_EQ(0, syncobj_destroy(self->fd, out));

	free(syncs);
	xe_ctx_fini(&ctx);
}

/* Counts of bind operations and syncs far past any limit. */
TEST_F(xe_hostile, bind_huge_counts)
{
	struct drm_xe_vm_bind_op *ops;
	struct drm_xe_vm_bind b;
	struct xe_buf buf;
	unsigned int i;
	uint32_t vm;
	char *two;

	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, PAGE, &buf));
	ops = calloc(1024, sizeof(*ops));
	ASSERT_NE(NULL, ops);
	for (i = 0; i < 1024; i++)
		ops[i] = xe_bind_op_map(buf.handle, 0, ADDR_A + i * PAGE, PAGE, 0);

	b = (struct drm_xe_vm_bind) {
		.vm_id = vm,
		.num_binds = 0xffffffff,
		.vector_of_binds = to_user_pointer(ops),
	};
	EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b));
	b.vector_of_binds = 0x1000;
	EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b));
	b.num_binds = 1025;
	EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b));
	/* The most there may be, not readable, or readable only in part. */
	b.num_binds = 1024;
	EXPECT_EQ(-EFAULT, __xe_vm_bind(self->fd, &b));
	b.vector_of_binds = 0xffff800000000000ull;
	EXPECT_EQ(-EFAULT, __xe_vm_bind(self->fd, &b));
	/* A vector running into an unmapped page. */
	two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, two);
	ASSERT_EQ(0, munmap(two + PAGE, PAGE));
	memcpy(two, ops, PAGE);
	b.vector_of_binds = to_user_pointer(two);
	EXPECT_EQ(-EFAULT, __xe_vm_bind(self->fd, &b));
	munmap(two, PAGE);

	/* Syncs. */
	b = (struct drm_xe_vm_bind) {
		.vm_id = vm,
		.num_binds = 1,
		.bind = ops[0],
		.num_syncs = 0xffffffff,
		.syncs = 0x1000,
	};
	EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b));
	b.num_syncs = DRM_XE_MAX_SYNCS + 1;
	EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b));
	b.num_syncs = DRM_XE_MAX_SYNCS;
	EXPECT_EQ(-EFAULT, __xe_vm_bind(self->fd, &b));

	/* All 1024 at once is fine. */
	b = (struct drm_xe_vm_bind) {
		.vm_id = vm,
		.num_binds = 1024,
		.vector_of_binds = to_user_pointer(ops),
	};
	EXPECT_EQ(0, __xe_vm_bind(self->fd, &b));

	free(ops);
	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));
	xe_buf_destroy(self->fd, &buf);
}

/* A query buffer size the reply never has, with a bogus buffer; the exact size, unwritable. */
TEST_F(xe_hostile, query_huge_size)
{
	const uint32_t queries[] = {
		DRM_XE_DEVICE_QUERY_ENGINES, DRM_XE_DEVICE_QUERY_MEM_REGIONS,
		DRM_XE_DEVICE_QUERY_CONFIG, DRM_XE_DEVICE_QUERY_GT_LIST,
	};
	struct drm_xe_device_query q;
	uint32_t size;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(queries); i++) {
		q = (struct drm_xe_device_query) {
			.query = queries[i],
			.size = 0x7fffffff,
			.data = 0x1000,
		};
		EXPECT_EQ(-EINVAL, __xe_query(self->fd, &q)) {
			TH_LOG("query %u", queries[i]);
		}
		q.size = 0xffffffff;
		q.data = 0xffff800000000000ull;
		EXPECT_EQ(-EINVAL, __xe_query(self->fd, &q)) {
			TH_LOG("query %u", queries[i]);
		}

		ASSERT_EQ(0, __xe_query_size(self->fd, queries[i], &size));
		q.size = size;
		q.data = 0x1000;
		EXPECT_EQ(-EFAULT, __xe_query(self->fd, &q)) {
			TH_LOG("query %u", queries[i]);
		}
		q.data = 0xffff800000000000ull;
		EXPECT_EQ(-EFAULT, __xe_query(self->fd, &q)) {
			TH_LOG("query %u", queries[i]);
		}
	}
}

/* Objects no region can hold: -ENOSPC, as documented for GEM_CREATE. */
TEST_F(xe_hostile, gem_create_huge)
{
	const uint64_t sizes[] = { 1ull << 62, 1ull << 63, -PAGE, 1ull << 40 };
	uint32_t sysmem, vram, handle;
	size_t i;

	sysmem = xe_region_mask(self->fd, DRM_XE_MEM_REGION_CLASS_SYSMEM);
	vram = xe_region_mask(self->fd, DRM_XE_MEM_REGION_CLASS_VRAM);
	ASSERT_NE(0u, sysmem);

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		EXPECT_EQ(-ENOSPC, __xe_bo_create(self->fd, 0, sizes[i], sysmem, 0,
						  DRM_XE_GEM_CPU_CACHING_WB, &handle)) {
			TH_LOG("sysmem, size %#llx", (unsigned long long)sizes[i]);
		}
		if (!vram)
			continue;
		EXPECT_EQ(-ENOSPC, __xe_bo_create(self->fd, 0, sizes[i], vram, 0,
						  DRM_XE_GEM_CPU_CACHING_WC, &handle)) {
			TH_LOG("vram, size %#llx", (unsigned long long)sizes[i]);
		}
		EXPECT_EQ(-ENOSPC, __xe_bo_create(self->fd, 0, sizes[i], vram | sysmem, 0,
						  DRM_XE_GEM_CPU_CACHING_WC, &handle)) {
			TH_LOG("vram or sysmem, size %#llx", (unsigned long long)sizes[i]);
		}
	}
}

/* --- 6. large work in one ioctl ------------------------------------------ */

/*
 * size bytes of user memory bound at once in a VM without faults, touched
 * by the CPU first or left for the bind to fault in; stores at its start,
 * middle and end land. Every step is timed.
 */
/*
 * What one bind or unbind of 512 MiB may take in the debug guest (KASAN,
 * DMA-API debugging, TCG): the point is that it yields and ends, not its
 * speed there.
 */
#define XE_BIG_STEP_MS	90000

static void userptr_big(struct __test_metadata *_metadata, FIXTURE_DATA(xe_hostile) *self,
			uint64_t size, bool touch)
{
	const uint64_t offs[] = { 0x20, size / 2 + 0x30, size - PAGE + 0x10 };
	uint64_t addrs[3];
	uint32_t values[3];
	struct xe_ctx ctx;
	int64_t t0, ms;
	uint64_t i;
	char *mem;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	t0 = xe_now_ns();
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | (touch ? MAP_POPULATE : 0), -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	if (touch) {
		for (i = 0; i < size; i += PAGE)
			mem[i] = 1;
		TH_LOG("%llu MiB touched: %lld ms", (unsigned long long)(size >> 20),
		       (long long)ms_since(t0));
	}

	t0 = xe_now_ns();
	ASSERT_EQ(0, xe_vm_bind_userptr(self->fd, ctx.vm, mem, BIG_ADDR, size, 0));
	ms = ms_since(t0);
	TH_LOG("MAP_USERPTR: %lld ms", (long long)ms);
	EXPECT_GT(XE_BIG_STEP_MS, ms);

	for (i = 0; i < 3; i++) {
		addrs[i] = BIG_ADDR + offs[i];
		values[i] = 0xb16000 + i;
	}
	t0 = xe_now_ns();
	ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, 3));
	TH_LOG("stores: %lld ms", (long long)ms_since(t0));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(values[i], xe_rd32(mem, offs[i]));
	}

	t0 = xe_now_ns();
	ASSERT_EQ(0, xe_vm_unbind(self->fd, ctx.vm, BIG_ADDR, size));
	ms = ms_since(t0);
	TH_LOG("UNMAP: %lld ms", (long long)ms);
	EXPECT_GT(XE_BIG_STEP_MS, ms);

	t0 = xe_now_ns();
	munmap(mem, size);
	xe_ctx_fini(&ctx);
	TH_LOG("teardown: %lld ms", (long long)ms_since(t0));
}

/* Userptr pages were found and mapped in one go, without yielding (soft lockup). */
TEST_F_TIMEOUT(xe_hostile, userptr_256m, 180)
{
	userptr_big(_metadata, self, 256 * SZ_1M, true);
}

/* The same with 512 MiB. */
TEST_F_TIMEOUT(xe_hostile, userptr_512m, 180)
{
	userptr_big(_metadata, self, 512 * SZ_1M, true);
}

/* 512 MiB the bind itself faults in: all of it in one stretch without yielding (soft lockup). */
TEST_F_TIMEOUT(xe_hostile, userptr_512m_untouched, 180)
{
	userptr_big(_metadata, self, 512 * SZ_1M, false);
}

/*
 * Reads of the NULL binding at the given addresses, on the copy engine of
 * ctx: a store to each, then a copy of 64 bytes from each into dst (bound
 * at dst_addr, prefilled with 0xa5), which must read zeros.
 */
static void null_reads(struct __test_metadata *_metadata, struct xe_ctx *ctx,
		       struct xe_buf *dst, uint64_t dst_addr, const uint64_t *addrs,
		       unsigned int n)
{
	uint32_t *cs = xe_ctx_cs(ctx, 0);
	unsigned int i, j;
	int64_t t0;

	memset(dst->ptr, 0xa5, dst->size);
	for (i = 0; i < n; i++) {
		cs = xe_emit_store_dword(cs, addrs[i], 0xdead0000 + i);
		cs = xe_emit_mem_copy(cs, dst_addr + i * 64, addrs[i], 64);
	}
	xe_emit_bb_end(cs);
	t0 = xe_now_ns();
	ASSERT_EQ(0, xe_ctx_run(ctx));
	TH_LOG("job touching %u NULL addresses: %lld ms", n, (long long)ms_since(t0));
	EXPECT_EQ(0, xe_exec_queue_banned(ctx->fd, ctx->queue));
	for (i = 0; i < n; i++) {
		for (j = 0; j < 64; j += 4) {
			ASSERT_EQ(0u, xe_rd32(dst->ptr, i * 64 + j)) {
				TH_LOG("read from %#llx", (unsigned long long)addrs[i] + j);
			}
		}
	}
	EXPECT_EQ(0xa5a5a5a5u, xe_rd32(dst->ptr, n * 64));
}

/* NULL binding of [start, end), from a copy-engine context in a new VM. */
static void null_huge(struct __test_metadata *_metadata, FIXTURE_DATA(xe_hostile) *self,
		      uint32_t vm_flags, uint64_t start, uint64_t end)
{
	const uint64_t addrs[] = {
		start + 0x100, start + SZ_1G + 0x2000, (start + end) / 2 + 0x40,
		end - 2 * SZ_1G + 0x1234000, end - PAGE,
	};
	struct xe_ctx ctx;
	struct xe_buf dst;
	int64_t t0, ms;
	uint32_t vm;

	vm = xe_vm_create(self->fd, vm_flags);
	ASSERT_NE(0u, vm);
	t0 = xe_now_ns();
	ASSERT_EQ(0, xe_vm_bind_null(self->fd, vm, start, end - start));
	ms = ms_since(t0);
	TH_LOG("NULL bind of [%#llx, %#llx): %lld ms", (unsigned long long)start,
	       (unsigned long long)end, (long long)ms);
	EXPECT_GT(20000, ms);

	/* Batch and destination are mapped over it when it starts at 0. */
	t0 = xe_now_ns();
	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, vm, vm_flags, DRM_XE_ENGINE_CLASS_COPY, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, PAGE, &dst));
	ASSERT_EQ(0, xe_buf_bind(self->fd, vm, &dst, ADDR_B, 0));
	TH_LOG("batch and buffer bound: %lld ms", (long long)ms_since(t0));

	null_reads(_metadata, &ctx, &dst, ADDR_B, addrs, ARRAY_SIZE(addrs));
	/* Next to the batch, in what is left of the NULL binding's first GiB. */
	if (start == 0) {
		const uint64_t near[] = { ADDR_C, XE_CTX_BATCH_END + PAGE };

		null_reads(_metadata, &ctx, &dst, ADDR_B, near, ARRAY_SIZE(near));
	}

	t0 = xe_now_ns();
	ASSERT_EQ(0, xe_vm_unbind(self->fd, vm, start, end - start));
	ms = ms_since(t0);
	TH_LOG("UNMAP: %lld ms", (long long)ms);
	EXPECT_GT(20000, ms);

	xe_buf_destroy(self->fd, &dst);
	xe_ctx_fini(&ctx);
	t0 = xe_now_ns();
	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));
	TH_LOG("VM_DESTROY: %lld ms", (long long)ms_since(t0));
}

/* Page-table work of a NULL bind grew with the range, without yielding (soft lockup). */
TEST_F_TIMEOUT(xe_hostile, null_huge, 60)
{
	null_huge(_metadata, self, 0, NULL_START, NULL_END);
}

/* NULL binding of the whole lower half, then mappings split it. */
TEST_F_TIMEOUT(xe_hostile, null_huge_from_zero, 60)
{
	null_huge(_metadata, self, 0, 0, NULL_END);
}

/* The first fault in a huge NULL binding bound all of it from the fault handler (soft lockup). */
TEST_F_TIMEOUT(xe_hostile, null_huge_fault, 60)
{
	null_huge(_metadata, self, VM_FAULT, NULL_START, NULL_END);
}

/* The same from 0, split by the batch and buffer mappings. */
TEST_F_TIMEOUT(xe_hostile, null_huge_from_zero_fault, 60)
{
	null_huge(_metadata, self, VM_FAULT, 0, NULL_END);
}

/*
 * Process A's job faults all over a huge NULL binding (in 16 different
 * GiBs); its exit status says whether the job completed cleanly. It writes
 * one byte to ready once the job is submitted.
 */
static int null_faulter(int ready)
{
	struct xe_ctx ctx;
	struct xe_buf buf;
	struct drm_xe_sync sync;
	uint32_t *cs;
	unsigned int i;
	int fd, ret;

	fd = drm_open_driver_xe();
	if (fd < 0)
		return 10;
	if (xe_ctx_init(fd, &ctx, 0, VM_FAULT, DRM_XE_ENGINE_CLASS_COMPUTE, 0))
		return 11;
	if (xe_buf_create(fd, XE_BUF_SYSMEM, PAGE, &buf) ||
	    xe_buf_bind(fd, ctx.vm, &buf, ADDR_A, 0))
		return 12;
	if (xe_vm_bind_null(fd, ctx.vm, NULL_START, NULL_END - NULL_START))
		return 13;

	cs = xe_ctx_cs(&ctx, 0);
	for (i = 0; i < 16; i++)
		cs = xe_emit_store_dword(cs, NULL_START + (uint64_t)i * 8191 * SZ_1G + i * SZ_4M,
					 i);
	cs = xe_emit_store_dword(cs, ADDR_A, 0xd0e);
	xe_emit_bb_end(cs);
	sync = xe_sync_ufence(ctx.batch.addr + XE_CTX_FENCE_OFFSET, 1);
	if (xe_exec(fd, ctx.queue, ctx.batch.addr, &sync, 1))
		return 14;
	if (write(ready, "r", 1) != 1)
		return 15;
	ret = xe_wait_ufence(fd, xe_ctx_fence(&ctx), 1, ctx.queue, 50000 * MS);
	if (ret)
		return 16;
	if (xe_rd32(buf.ptr, 0) != 0xd0e)
		return 17;
	xe_buf_destroy(fd, &buf);
	xe_ctx_fini(&ctx);
	close(fd);
	return 0;
}

/*
 * While another process faults in a huge NULL binding, this process's
 * fault-mode job (four faults) completes in a couple of seconds: fault
 * handling is shared by every process of the device.
 */
TEST_F_TIMEOUT(xe_hostile, null_huge_fault_other_process, 60)
{
	uint64_t addrs[4];
	uint32_t values[4];
	struct xe_ctx ctx;
	struct xe_buf buf;
	int ready[2], status;
	unsigned int i;
	int64_t t0, ms;
	char c;
	pid_t pid;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, VM_FAULT, DRM_XE_ENGINE_CLASS_COMPUTE, 1));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, 4 * PAGE, &buf));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &buf, ADDR_A, 0));
	for (i = 0; i < 4; i++) {
		addrs[i] = ADDR_A + i * PAGE + 0x10;
		values[i] = 0x0e0000 + i;
	}
	/* The same job alone, for reference. */
	t0 = xe_now_ns();
	ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, 4));
	TH_LOG("job alone: %lld ms", (long long)ms_since(t0));
	ASSERT_EQ(0, xe_vm_unbind(self->fd, ctx.vm, ADDR_A, 4 * PAGE));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &buf, ADDR_A, 0));
	memset(buf.ptr, 0, 4 * PAGE);

	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(ready[0]);
		_exit(null_faulter(ready[1]));
	}
	close(ready[1]);
	ASSERT_TRUE(read_report(ready[0], &c, 1, 30000)) {
		TH_LOG("the other process did not submit its job");
		kill(pid, SIGKILL);
	}
	t0 = xe_now_ns();
	ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, 4));
	ms = ms_since(t0);
	TH_LOG("job while the other process faults: %lld ms", (long long)ms);
	EXPECT_GT(3000, ms);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(values[i], xe_rd32(buf.ptr, i * PAGE + 0x10));
	}

	/* Its own job completes too: 16 faults, each binding a bounded window. */
	t0 = xe_now_ns();
	while (waitpid(pid, &status, WNOHANG) != pid) {
		if (ms_since(t0) > 20000) {
			kill(pid, SIGKILL);
			break;
		}
		usleep(10000);
	}
	ms = ms_since(t0);
	ASSERT_GT(20000, ms) {
		TH_LOG("the other process's job did not complete in 20 s");
	}
	TH_LOG("the other process finished %lld ms later", (long long)ms);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(ready[0]);

	xe_buf_destroy(self->fd, &buf);
	xe_ctx_fini(&ctx);
}

/* --- 7. read-only user memory -------------------------------------------- */

/*
 * Memory the process may only read, bound without READONLY in a VM
 * without faults: the pages cannot be had for writing, -EFAULT. With
 * READONLY it binds, and the GPU reads it (copy engine).
 */
TEST_F(xe_hostile, userptr_readonly_memory)
{
	const uint64_t size = 2 * PAGE;
	struct xe_ctx ctx;
	struct xe_buf dst;
	uint32_t *cs, *ro, *zero;
	unsigned int i;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COPY, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, 2 * size, &dst));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &dst, ADDR_B, 0));

	/* Written once, then made read-only. */
	ro = xe_alloc_pages(size);
	ASSERT_NE(NULL, ro);
	for (i = 0; i < size / 4; i++)
		ro[i] = 0x12340000 + i;
	ASSERT_EQ(0, mprotect(ro, size, PROT_READ));
	/* Never written: the zero page. */
	zero = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, zero);

	EXPECT_EQ(-EFAULT, xe_vm_bind_userptr(self->fd, ctx.vm, ro, ADDR_A, size, 0));
	EXPECT_EQ(-EFAULT, xe_vm_bind_userptr(self->fd, ctx.vm, zero, ADDR_A, size, 0));
	EXPECT_EQ(-EFAULT, xe_vm_bind_userptr(self->fd, ctx.vm, ro, ADDR_A, size,
					      DRM_XE_VM_BIND_FLAG_IMMEDIATE));

	ASSERT_EQ(0, xe_vm_bind_userptr(self->fd, ctx.vm, ro, ADDR_A, size,
					DRM_XE_VM_BIND_FLAG_READONLY));
	ASSERT_EQ(0, xe_vm_bind_userptr(self->fd, ctx.vm, zero, ADDR_C, size,
					DRM_XE_VM_BIND_FLAG_READONLY));
	memset(dst.ptr, 0xa5, 2 * size);
	cs = xe_ctx_cs(&ctx, 0);
	cs = xe_emit_mem_copy(cs, ADDR_B, ADDR_A, size);
	cs = xe_emit_mem_copy(cs, ADDR_B + size, ADDR_C, size);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, xe_ctx_run(&ctx));
	for (i = 0; i < size / 4; i++) {
		ASSERT_EQ(0x12340000 + i, xe_rd32(dst.ptr, i * 4)) {
			TH_LOG("dword %u", i);
		}
		ASSERT_EQ(0u, xe_rd32(dst.ptr, size + i * 4)) {
			TH_LOG("dword %u of the zero page", i);
		}
	}

	munmap(zero, size);
	xe_free_pages(ro, size);
	xe_buf_destroy(self->fd, &dst);
	xe_ctx_fini(&ctx);
}

TEST_HARNESS_MAIN
