// SPDX-License-Identifier: GPL-2.0-only
/*
 * DRM_IOCTL_XE_VM_CREATE, DRM_IOCTL_XE_VM_DESTROY and DRM_IOCTL_XE_VM_BIND:
 * argument checking of every field, then what binds do as seen by the GPU:
 * mapping, unmapping part or all of a mapping, replacing mappings, NULL
 * and scratch pages, VM-private objects, vectors of binds and the syncs a
 * bind signals.
 *
 * GPU effects are checked with small batches of MI_STORE_DATA_IMM (and
 * MEM_COPY on the copy engine to read memory back through the GPU).
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

#define VM_FLAGS_KNOWN	(DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE | \
			 DRM_XE_VM_CREATE_FLAG_LR_MODE | \
			 DRM_XE_VM_CREATE_FLAG_FAULT_MODE)
#define VM_FLAGS_FAULT	(DRM_XE_VM_CREATE_FLAG_LR_MODE | DRM_XE_VM_CREATE_FLAG_FAULT_MODE)

#define BIND_FLAGS_KNOWN (DRM_XE_VM_BIND_FLAG_READONLY | \
			  DRM_XE_VM_BIND_FLAG_IMMEDIATE | \
			  DRM_XE_VM_BIND_FLAG_NULL | \
			  DRM_XE_VM_BIND_FLAG_DUMPABLE)

/* GPU addresses used by the tests, away from XE_CTX_BATCH_ADDR. */
#define ADDR_A		0x00200000ull
#define ADDR_B		0x00400000ull
#define ADDR_C		0x00600000ull
#define ADDR_UNMAPPED	0x00800000ull

/* Offsets in the batch buffer of batches run on extra queues. */
#define SIDE_BATCH	0x8000ull

FIXTURE(xe_vm) {
	int fd;
	uint32_t sysmem;
};

FIXTURE_SETUP(xe_vm)
{
	self->fd = drm_open_driver_xe();
	if (self->fd < 0 && !xe_devices_expected())
		SKIP(return, "no xe device found");
	ASSERT_GE(self->fd, 0) {
		TH_LOG("xe is loaded but no device could be opened: %s", strerror(errno));
	}

	self->sysmem = xe_region_mask(self->fd, DRM_XE_MEM_REGION_CLASS_SYSMEM);
	ASSERT_NE(0u, self->sysmem);
	ASSERT_EQ(1, xe_engine_count(self->fd, DRM_XE_ENGINE_CLASS_COPY));
	ASSERT_LE(1, xe_engine_count(self->fd, DRM_XE_ENGINE_CLASS_COMPUTE));
}

FIXTURE_TEARDOWN(xe_vm)
{
	close(self->fd);
}

static uint32_t sysmem_bo(FIXTURE_DATA(xe_vm) *self, uint64_t size)
{
	return xe_bo_create(self->fd, size, self->sysmem, DRM_XE_GEM_CPU_CACHING_WB);
}

/* Runs, on queue, a batch at SIDE_BATCH storing value at addr; returns as xe_exec_wait(). */
static int store_on(struct xe_ctx *ctx, uint32_t queue, uint64_t addr, uint32_t value)
{
	uint32_t *cs = xe_ctx_cs(ctx, SIDE_BATCH);

	cs = xe_emit_store_dword(cs, addr, value);
	xe_emit_bb_end(cs);
	return xe_exec_wait(ctx->fd, queue, ctx->batch.addr + SIDE_BATCH, XE_TIMEOUT_NS);
}

/* A store to addr, on a fresh queue of ctx's VM, must get that queue banned. */
static void store_bans(struct __test_metadata *_metadata, struct xe_ctx *ctx, uint64_t addr)
{
	uint32_t queue;
	int ret;

	queue = xe_exec_queue_create(ctx->fd, ctx->vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	ASSERT_NE(0u, queue);
	ret = store_on(ctx, queue, addr, 0xbad);
	EXPECT_GT(0, ret) {
		TH_LOG("store to %#llx did not fail: %d", (unsigned long long)addr, ret);
	}
	EXPECT_EQ(1, xe_wait_banned(ctx->fd, queue, XE_TIMEOUT_NS)) {
		TH_LOG("store to %#llx", (unsigned long long)addr);
	}
	EXPECT_EQ(0, xe_exec_queue_destroy(ctx->fd, queue));
}

/* --- VM_CREATE / VM_DESTROY --------------------------------------------- */

TEST_F(xe_vm, create_destroy)
{
	const uint32_t flags[] = { 0, DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE, VM_FLAGS_FAULT };
	uint32_t ids[ARRAY_SIZE(flags)];
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		struct drm_xe_vm_create c = { .flags = flags[i] };

		ASSERT_EQ(0, __xe_vm_create(self->fd, &c)) {
			TH_LOG("flags %#x", flags[i]);
		}
		EXPECT_LE(1u, c.vm_id);
		for (j = 0; j < i; j++) {
			EXPECT_NE(ids[j], c.vm_id);
		}
		ids[i] = c.vm_id;
	}

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		EXPECT_EQ(0, xe_vm_destroy(self->fd, ids[i]));
		/* Gone: a second destroy does not find it. */
		EXPECT_EQ(-ENOENT, xe_vm_destroy(self->fd, ids[i]));
	}
}

TEST_F(xe_vm, create_many)
{
	uint32_t ids[128];
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		ids[i] = xe_vm_create(self->fd, i & 1 ? DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE : 0);
		ASSERT_NE(0u, ids[i]) {
			TH_LOG("VM %zu: %s", i, strerror(errno));
		}
		for (j = 0; j < i; j++) {
			ASSERT_NE(ids[j], ids[i]);
		}
	}
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		EXPECT_EQ(0, xe_vm_destroy(self->fd, ids[i]));
	}
}

TEST_F(xe_vm, create_invalid_extensions)
{
	struct drm_xe_user_extension ext = { .name = 0 };
	const uint64_t values[] = { to_user_pointer(&ext), 1, ~0ull };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(values); i++) {
		struct drm_xe_vm_create c = { .extensions = values[i] };

		EXPECT_EQ(-EINVAL, __xe_vm_create(self->fd, &c));
		EXPECT_EQ(0u, c.vm_id);
	}
}

TEST_F(xe_vm, create_invalid_reserved)
{
	size_t i;

	for (i = 0; i < 2; i++) {
		struct drm_xe_vm_create c = { 0 };

		c.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, __xe_vm_create(self->fd, &c)) {
			TH_LOG("reserved[%zu]", i);
		}
		c.reserved[i] = ~0ull;
		EXPECT_EQ(-EINVAL, __xe_vm_create(self->fd, &c)) {
			TH_LOG("reserved[%zu]", i);
		}
	}
}

/* vm_id is output only. */
TEST_F(xe_vm, create_nonzero_vm_id)
{
	const uint32_t ids[] = { 1, 2, 0x1000, ~0u };
	uint32_t live;
	size_t i;

	live = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, live);

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		struct drm_xe_vm_create c = { .vm_id = ids[i] };

		EXPECT_EQ(-EINVAL, __xe_vm_create(self->fd, &c)) {
			TH_LOG("vm_id %u", ids[i]);
		}
	}
	{
		struct drm_xe_vm_create c = { .vm_id = live };

		EXPECT_EQ(-EINVAL, __xe_vm_create(self->fd, &c));
	}
	EXPECT_EQ(0, xe_vm_destroy(self->fd, live));
}

TEST_F(xe_vm, create_invalid_flags)
{
	unsigned int bit;

	for (bit = 0; bit < 32; bit++) {
		struct drm_xe_vm_create c = { .flags = 1u << bit };

		if (VM_FLAGS_KNOWN & (1u << bit))
			continue;
		EXPECT_EQ(-EINVAL, __xe_vm_create(self->fd, &c)) {
			TH_LOG("flag bit %u", bit);
		}

		c.flags = VM_FLAGS_FAULT | (1u << bit);
		EXPECT_EQ(-EINVAL, __xe_vm_create(self->fd, &c)) {
			TH_LOG("flag bit %u with LR_MODE | FAULT_MODE", bit);
		}
	}
}

TEST_F(xe_vm, create_fault_mode_needs_lr)
{
	struct drm_xe_vm_create c = { .flags = DRM_XE_VM_CREATE_FLAG_FAULT_MODE };

	EXPECT_EQ(-EINVAL, __xe_vm_create(self->fd, &c));
	EXPECT_EQ(0u, c.vm_id);
}

TEST_F(xe_vm, create_fault_mode_no_scratch)
{
	struct drm_xe_vm_create c;

	memset(&c, 0, sizeof(c));
	c.flags = VM_FLAGS_FAULT | DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE;
	EXPECT_EQ(-EINVAL, __xe_vm_create(self->fd, &c));

	memset(&c, 0, sizeof(c));
	c.flags = DRM_XE_VM_CREATE_FLAG_FAULT_MODE | DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE;
	EXPECT_EQ(-EINVAL, __xe_vm_create(self->fd, &c));
}

/* Long-running VMs without page faults are a documented limitation. */
/*
 * LR_MODE without FAULT_MODE: binds are written at bind time, jobs report
 * through user fences only, and stores land.
 */
TEST_F(xe_vm, lr_mode)
{
	uint64_t addr = ADDR_A + 0x40;
	uint32_t value = 0x1e0;
	struct xe_ctx ctx;
	struct xe_buf buf;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, DRM_XE_VM_CREATE_FLAG_LR_MODE,
				 DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &buf));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &buf, ADDR_A, 0));
	ASSERT_EQ(0, xe_ctx_store(&ctx, &addr, &value, 1));
	EXPECT_EQ(0x1e0u, xe_rd32(buf.ptr, 0x40));

	xe_buf_destroy(self->fd, &buf);
	xe_ctx_fini(&ctx);
}

TEST_F(xe_vm, lr_mode_scratch)
{
	uint32_t vm = xe_vm_create(self->fd, DRM_XE_VM_CREATE_FLAG_LR_MODE |
				   DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE);

	ASSERT_NE(0u, vm);
	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));
}

TEST_F(xe_vm, destroy_invalid)
{
	struct drm_xe_vm_destroy d;
	uint32_t vm;
	size_t i;

	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);

	memset(&d, 0, sizeof(d));
	d.vm_id = vm;
	d.pad = 1;
	EXPECT_EQ(-EINVAL, __xe_vm_destroy(self->fd, &d));

	for (i = 0; i < ARRAY_SIZE(d.reserved); i++) {
		memset(&d, 0, sizeof(d));
		d.vm_id = vm;
		d.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, __xe_vm_destroy(self->fd, &d)) {
			TH_LOG("reserved[%zu]", i);
		}
	}

	/* None of the failed calls destroyed it. */
	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));
}

TEST_F(xe_vm, destroy_unknown)
{
	const uint32_t ids[] = { 0, 1, 0x1000, ~0u };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		EXPECT_EQ(-ENOENT, xe_vm_destroy(self->fd, ids[i])) {
			TH_LOG("vm_id %u", ids[i]);
		}
	}
}

/* VM ids are per file: another open file neither sees nor destroys them. */
TEST_F(xe_vm, other_file)
{
	struct drm_xe_engine_class_instance eci = {
		.engine_class = DRM_XE_ENGINE_CLASS_COMPUTE,
	};
	struct drm_xe_exec_queue_create qc = {
		.width = 1,
		.num_placements = 1,
		.instances = to_user_pointer(&eci),
	};
	uint32_t vm, bo;
	int fd2;

	fd2 = drm_open_driver_xe();
	ASSERT_GE(fd2, 0);
	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);
	qc.vm_id = vm;
	bo = xe_bo_create(fd2, SZ_4K, self->sysmem, DRM_XE_GEM_CPU_CACHING_WB);
	ASSERT_NE(0u, bo);

	EXPECT_EQ(-ENOENT, xe_vm_bind_bo(fd2, vm, bo, 0, ADDR_A, SZ_4K, 0));
	EXPECT_EQ(-ENOENT, xe_vm_destroy(fd2, vm));
	EXPECT_EQ(-ENOENT, __xe_exec_queue_create(fd2, &qc));

	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));
	EXPECT_EQ(0, gem_close(fd2, bo));
	close(fd2);
}

/* --- VM_BIND argument checking ------------------------------------------ */

/* A bind of one page of bo at ADDR_A that succeeds. */
static struct drm_xe_vm_bind good_bind(uint32_t vm, uint32_t bo)
{
	struct drm_xe_vm_bind b = {
		.vm_id = vm,
		.num_binds = 1,
		.bind = xe_bind_op_map(bo, 0, ADDR_A, SZ_4K, 0),
	};

	return b;
}

TEST_F(xe_vm, bind_invalid_args)
{
	struct drm_xe_user_extension ext = { .name = 0 };
	struct drm_xe_vm_bind b;
	uint32_t vm, bo;
	size_t i;

	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);
	bo = sysmem_bo(self, SZ_4K);
	ASSERT_NE(0u, bo);

	b = good_bind(vm, bo);
	b.extensions = to_user_pointer(&ext);
	EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b));

	b = good_bind(vm, bo);
	b.pad = 1;
	EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b));

	b = good_bind(vm, bo);
	b.pad2 = 1;
	EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b));

	for (i = 0; i < ARRAY_SIZE(b.reserved); i++) {
		b = good_bind(vm, bo);
		b.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b)) {
			TH_LOG("reserved[%zu]", i);
		}
	}

	b = good_bind(vm, bo);
	b.num_binds = 0;
	EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b));

	b = good_bind(vm, bo);
	b.num_binds = 1025;
	EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b));

	b = good_bind(vm, bo);
	b.num_binds = ~0u;
	EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b));

	/* More than one bind: vector_of_binds must be readable. */
	b = good_bind(vm, bo);
	b.num_binds = 2;
	b.vector_of_binds = 0;
	EXPECT_EQ(-EFAULT, __xe_vm_bind(self->fd, &b));

	b = good_bind(vm, bo);
	b.num_binds = 3;
	b.vector_of_binds = 8;
	EXPECT_EQ(-EFAULT, __xe_vm_bind(self->fd, &b));

	b = good_bind(vm, bo);
	EXPECT_EQ(0, __xe_vm_bind(self->fd, &b));

	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));
	EXPECT_EQ(0, gem_close(self->fd, bo));
}

TEST_F(xe_vm, bind_unknown_vm)
{
	uint32_t ids[] = { 0, 0x1000, ~0u, 0 };
	struct drm_xe_vm_bind b;
	uint32_t vm, bo;
	size_t i;

	bo = sysmem_bo(self, SZ_4K);
	ASSERT_NE(0u, bo);
	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);
	ASSERT_EQ(0, xe_vm_destroy(self->fd, vm));
	ids[ARRAY_SIZE(ids) - 1] = vm;	/* destroyed */

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		b = good_bind(ids[i], bo);
		EXPECT_EQ(-ENOENT, __xe_vm_bind(self->fd, &b)) {
			TH_LOG("vm_id %u", ids[i]);
		}
	}
	EXPECT_EQ(0, gem_close(self->fd, bo));
}

TEST_F(xe_vm, bind_invalid_queue)
{
	struct drm_xe_vm_bind b;
	uint32_t vm, bo, queue, bind_queue;

	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);
	bo = sysmem_bo(self, SZ_4K);
	ASSERT_NE(0u, bo);
	queue = xe_exec_queue_create(self->fd, vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	ASSERT_NE(0u, queue);
	bind_queue = xe_bind_queue_create(self->fd);
	ASSERT_NE(0u, bind_queue);

	b = good_bind(vm, bo);
	b.exec_queue_id = 0x10000;
	EXPECT_EQ(-ENOENT, __xe_vm_bind(self->fd, &b));

	b = good_bind(vm, bo);
	b.exec_queue_id = queue;
	EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b));

	b = good_bind(vm, bo);
	b.exec_queue_id = bind_queue;
	EXPECT_EQ(0, __xe_vm_bind(self->fd, &b));

	/* A destroyed bind queue is unknown. */
	EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, bind_queue));
	b = good_bind(vm, bo);
	b.bind.addr = ADDR_B;
	b.exec_queue_id = bind_queue;
	EXPECT_EQ(-ENOENT, __xe_vm_bind(self->fd, &b));

	EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, queue));
	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));
	EXPECT_EQ(0, gem_close(self->fd, bo));
}

/* Fields of drm_xe_vm_bind_op that are checked whatever the operation. */
TEST_F(xe_vm, bind_invalid_op_fields)
{
	struct drm_xe_user_extension ext = { .name = 0 };
	const uint32_t ops[] = { 5, 6, 0x100, ~0u };
	const uint16_t pats[] = { 32, 33, 0x100, 0xffff };
	struct drm_xe_vm_bind b;
	uint32_t vm, bo;
	unsigned int bit;
	size_t i;

	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);
	bo = sysmem_bo(self, SZ_4K);
	ASSERT_NE(0u, bo);

	b = good_bind(vm, bo);
	b.bind.extensions = to_user_pointer(&ext);
	EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b));

	b = good_bind(vm, bo);
	b.bind.pad = 1;
	EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b));

	b = good_bind(vm, bo);
	b.bind.pad2 = 1;
	EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b));

	for (i = 0; i < ARRAY_SIZE(b.bind.reserved); i++) {
		b = good_bind(vm, bo);
		b.bind.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b)) {
			TH_LOG("reserved[%zu]", i);
		}
	}

	for (bit = 0; bit < 32; bit++) {
		if (BIND_FLAGS_KNOWN & (1u << bit))
			continue;
		b = good_bind(vm, bo);
		b.bind.flags = 1u << bit;
		EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b)) {
			TH_LOG("flag bit %u", bit);
		}
	}

	for (i = 0; i < ARRAY_SIZE(pats); i++) {
		b = good_bind(vm, bo);
		b.bind.pat_index = pats[i];
		EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b)) {
			TH_LOG("pat_index %u", pats[i]);
		}
	}

	b = good_bind(vm, bo);
	b.bind.prefetch_mem_region_instance = 1;
	EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b));

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		b = good_bind(vm, bo);
		b.bind.op = ops[i];
		b.bind.obj = 0;
		EXPECT_EQ(-EINVAL, __xe_vm_bind(self->fd, &b)) {
			TH_LOG("op %#x", ops[i]);
		}
	}

	/* Every valid PAT index and known flag is accepted. */
	for (i = 0; i < 32; i++) {
		b = good_bind(vm, bo);
		b.bind.pat_index = i;
		EXPECT_EQ(0, __xe_vm_bind(self->fd, &b)) {
			TH_LOG("pat_index %zu", i);
		}
	}
	b = good_bind(vm, bo);
	b.bind.flags = DRM_XE_VM_BIND_FLAG_READONLY | DRM_XE_VM_BIND_FLAG_IMMEDIATE |
		       DRM_XE_VM_BIND_FLAG_DUMPABLE;
	EXPECT_EQ(0, __xe_vm_bind(self->fd, &b));

	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));
	EXPECT_EQ(0, gem_close(self->fd, bo));
}

TEST_F(xe_vm, bind_invalid_map)
{
	struct drm_xe_vm_bind_op op;
	uint32_t vm, bo, other_vm, private_bo;

	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);
	other_vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, other_vm);
	bo = sysmem_bo(self, 2 * SZ_4K);
	ASSERT_NE(0u, bo);
	ASSERT_EQ(0, __xe_bo_create(self->fd, other_vm, SZ_4K, self->sysmem, 0,
				    DRM_XE_GEM_CPU_CACHING_WB, &private_bo));

	/* Both an object and NULL, or neither. */
	op = xe_bind_op_map(bo, 0, ADDR_A, SZ_4K, DRM_XE_VM_BIND_FLAG_NULL);
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));
	op = xe_bind_op_map(0, 0, ADDR_A, SZ_4K, 0);
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	/* NULL bindings have no object offset. */
	op = xe_bind_op_null(ADDR_A, SZ_4K);
	op.obj_offset = SZ_4K;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	/* Unknown handles. */
	op = xe_bind_op_map(bo + 1000, 0, ADDR_A, SZ_4K, 0);
	EXPECT_EQ(-ENOENT, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));
	op = xe_bind_op_map(~0u, 0, ADDR_A, SZ_4K, 0);
	EXPECT_EQ(-ENOENT, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	/* Past the end of the object. */
	op = xe_bind_op_map(bo, 0, ADDR_A, 3 * SZ_4K, 0);
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));
	op = xe_bind_op_map(bo, SZ_4K, ADDR_A, 2 * SZ_4K, 0);
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));
	op = xe_bind_op_map(bo, 2 * SZ_4K, ADDR_A, SZ_4K, 0);
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));
	op = xe_bind_op_map(bo, -SZ_4K, ADDR_A, 2 * SZ_4K, 0);
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	/* Object offsets are page aligned. */
	op = xe_bind_op_map(bo, 64, ADDR_A, SZ_4K, 0);
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	/* An object private to another VM. */
	op = xe_bind_op_map(private_bo, 0, ADDR_A, SZ_4K, 0);
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	/* The exact fits work. */
	op = xe_bind_op_map(bo, SZ_4K, ADDR_A, SZ_4K, 0);
	EXPECT_EQ(0, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));
	op = xe_bind_op_map(bo, 0, ADDR_B, 2 * SZ_4K, 0);
	EXPECT_EQ(0, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));
	op = xe_bind_op_map(private_bo, 0, ADDR_A, SZ_4K, 0);
	EXPECT_EQ(0, xe_vm_bind_ops(self->fd, other_vm, 0, &op, 1, NULL, 0));

	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));
	EXPECT_EQ(0, xe_vm_destroy(self->fd, other_vm));
	EXPECT_EQ(0, gem_close(self->fd, bo));
	EXPECT_EQ(0, gem_close(self->fd, private_bo));
}

TEST_F(xe_vm, bind_invalid_userptr)
{
	struct drm_xe_vm_bind_op op;
	uint32_t vm, bo;
	char *mem, *half;

	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);
	bo = sysmem_bo(self, SZ_4K);
	ASSERT_NE(0u, bo);
	mem = xe_alloc_pages(4 * SZ_4K);
	ASSERT_NE(NULL, mem);
	/* Four pages of which only the first two are still there. */
	half = xe_alloc_pages(4 * SZ_4K);
	ASSERT_NE(NULL, half);
	ASSERT_EQ(0, munmap(half + 2 * SZ_4K, 2 * SZ_4K));

	op = xe_bind_op_userptr(mem, ADDR_A, SZ_4K, 0);
	op.obj = bo;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	op = xe_bind_op_userptr(mem, ADDR_A, SZ_4K, DRM_XE_VM_BIND_FLAG_NULL);
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	op = xe_bind_op_userptr(mem + 8, ADDR_A, SZ_4K, 0);
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));
	op = xe_bind_op_userptr(mem + 2048, ADDR_A, SZ_4K, 0);
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	/* No memory behind (part of) the range: the bind mirrors it at once and fails. */
	op = xe_bind_op_userptr(half + 2 * SZ_4K, ADDR_A, 2 * SZ_4K, 0);
	EXPECT_EQ(-EFAULT, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));
	op = xe_bind_op_userptr(half, ADDR_A, 4 * SZ_4K, 0);
	EXPECT_EQ(-EFAULT, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));
	op = xe_bind_op_userptr((void *)SZ_4K, ADDR_A, SZ_4K, 0);
	EXPECT_EQ(-EFAULT, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	op = xe_bind_op_userptr(mem, ADDR_A, 4 * SZ_4K, 0);
	EXPECT_EQ(0, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));
	EXPECT_EQ(0, gem_close(self->fd, bo));
	xe_free_pages(mem, 4 * SZ_4K);
	xe_free_pages(half, 2 * SZ_4K);
}

TEST_F(xe_vm, bind_invalid_unmap)
{
	struct drm_xe_vm_bind_op op;
	uint32_t vm, bo;

	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);
	bo = sysmem_bo(self, SZ_4K);
	ASSERT_NE(0u, bo);
	ASSERT_EQ(0, xe_vm_bind_bo(self->fd, vm, bo, 0, ADDR_A, SZ_4K, 0));

	op = xe_bind_op_unmap(ADDR_A, SZ_4K);
	op.obj = bo;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	/* obj_offset means nothing to UNMAP: ignored if page-aligned, as upstream. */
	op = xe_bind_op_unmap(ADDR_A, SZ_4K);
	op.obj_offset = SZ_4K + 8;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	op = xe_bind_op_unmap(ADDR_A, SZ_4K);
	op.flags = DRM_XE_VM_BIND_FLAG_READONLY;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));
	op.flags = DRM_XE_VM_BIND_FLAG_NULL;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));
	op.flags = DRM_XE_VM_BIND_FLAG_DUMPABLE;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	/* IMMEDIATE is allowed, and unmapping nothing is no error. */
	op = xe_bind_op_unmap(ADDR_A, SZ_4K);
	op.flags = DRM_XE_VM_BIND_FLAG_IMMEDIATE;
	op.obj_offset = SZ_1M;
	EXPECT_EQ(0, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));
	EXPECT_EQ(0, xe_vm_unbind(self->fd, vm, ADDR_A, SZ_4K));
	EXPECT_EQ(0, xe_vm_unbind(self->fd, vm, ADDR_UNMAPPED, SZ_1M));

	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));
	EXPECT_EQ(0, gem_close(self->fd, bo));
}

TEST_F(xe_vm, bind_invalid_unmap_all)
{
	struct drm_xe_vm_bind_op op;
	uint32_t vm, bo;

	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);
	bo = sysmem_bo(self, SZ_4K);
	ASSERT_NE(0u, bo);

	op = xe_bind_op_unmap_all(0);
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	op = xe_bind_op_unmap_all(bo);
	op.addr = ADDR_A;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	op = xe_bind_op_unmap_all(bo);
	op.range = SZ_4K;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	op = xe_bind_op_unmap_all(bo);
	op.addr = ADDR_A;
	op.range = SZ_4K;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	/* An object without mappings: nothing to do. */
	EXPECT_EQ(0, xe_vm_unbind_all(self->fd, vm, bo));

	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));
	EXPECT_EQ(0, gem_close(self->fd, bo));
}

/* Ranges: non-zero, page aligned, inside the 48-bit address space. */
TEST_F(xe_vm, bind_invalid_range)
{
	static const struct {
		uint64_t addr, range;
	} bad[] = {
		{ ADDR_A, 0 },
		{ ADDR_A + 8, SZ_4K },
		{ ADDR_A + 2048, SZ_4K },
		{ ADDR_A, SZ_4K + 8 },
		{ ADDR_A, SZ_4K - 1 },
		{ ADDR_A, 2048 },
		{ 1ull << XE_VA_BITS, SZ_4K },
		{ (1ull << XE_VA_BITS) - SZ_4K, 2 * SZ_4K },
		{ 1ull << 63, SZ_4K },
		{ -SZ_4K, SZ_4K },
		{ -SZ_4K, 2 * SZ_4K },
		{ SZ_4K, -SZ_4K },
	};
	struct drm_xe_vm_bind_op op;
	uint32_t vm, bo;
	char *mem;
	size_t i;

	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);
	bo = sysmem_bo(self, 4 * SZ_4K);
	ASSERT_NE(0u, bo);
	mem = xe_alloc_pages(4 * SZ_4K);
	ASSERT_NE(NULL, mem);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		op = xe_bind_op_map(bo, 0, bad[i].addr, bad[i].range, 0);
		EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0)) {
			TH_LOG("MAP addr %#llx range %#llx", (unsigned long long)bad[i].addr,
			       (unsigned long long)bad[i].range);
		}
		op = xe_bind_op_null(bad[i].addr, bad[i].range);
		EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0)) {
			TH_LOG("MAP NULL addr %#llx range %#llx",
			       (unsigned long long)bad[i].addr, (unsigned long long)bad[i].range);
		}
		op = xe_bind_op_userptr(mem, bad[i].addr, bad[i].range, 0);
		EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0)) {
			TH_LOG("MAP_USERPTR addr %#llx range %#llx",
			       (unsigned long long)bad[i].addr, (unsigned long long)bad[i].range);
		}
		op = xe_bind_op_unmap(bad[i].addr, bad[i].range);
		EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0)) {
			TH_LOG("UNMAP addr %#llx range %#llx", (unsigned long long)bad[i].addr,
			       (unsigned long long)bad[i].range);
		}
	}

	/* The very top of the address space is usable. */
	op = xe_bind_op_map(bo, 0, (1ull << XE_VA_BITS) - 4 * SZ_4K, 4 * SZ_4K, 0);
	EXPECT_EQ(0, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));
	op = xe_bind_op_unmap((1ull << XE_VA_BITS) - 4 * SZ_4K, 4 * SZ_4K);
	EXPECT_EQ(0, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, NULL, 0));

	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));
	EXPECT_EQ(0, gem_close(self->fd, bo));
	xe_free_pages(mem, 4 * SZ_4K);
}

static int bind_with_syncs(int fd, uint32_t vm, uint32_t bo, struct drm_xe_sync *syncs,
			   uint32_t num_syncs)
{
	struct drm_xe_vm_bind b = good_bind(vm, bo);

	b.num_syncs = num_syncs;
	b.syncs = to_user_pointer(syncs);
	return __xe_vm_bind(fd, &b);
}

TEST_F(xe_vm, bind_invalid_syncs)
{
	struct drm_xe_user_extension ext = { .name = 0 };
	uint64_t fence[2] = { 0, 0 };
	struct drm_xe_sync syncs[2];
	struct drm_xe_vm_bind b;
	uint32_t vm, bo, syncobj, empty;
	size_t i;

	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);
	bo = sysmem_bo(self, SZ_4K);
	ASSERT_NE(0u, bo);
	syncobj = syncobj_create(self->fd, 0);
	ASSERT_NE(0u, syncobj);
	empty = syncobj_create(self->fd, 0);
	ASSERT_NE(0u, empty);

	syncs[0] = xe_sync_syncobj(syncobj, true);
	syncs[0].extensions = to_user_pointer(&ext);
	EXPECT_EQ(-EINVAL, bind_with_syncs(self->fd, vm, bo, syncs, 1));

	for (i = 0; i < ARRAY_SIZE(syncs[0].reserved); i++) {
		syncs[0] = xe_sync_syncobj(syncobj, true);
		syncs[0].reserved[i] = 1;
		EXPECT_EQ(-EINVAL, bind_with_syncs(self->fd, vm, bo, syncs, 1));
	}

	syncs[0] = xe_sync_syncobj(syncobj, true);
	syncs[0].flags = DRM_XE_SYNC_FLAG_SIGNAL | 2;
	EXPECT_EQ(-EINVAL, bind_with_syncs(self->fd, vm, bo, syncs, 1));
	syncs[0].flags = 1u << 31;
	EXPECT_EQ(-EINVAL, bind_with_syncs(self->fd, vm, bo, syncs, 1));

	syncs[0] = xe_sync_syncobj(syncobj, true);
	syncs[0].type = DRM_XE_SYNC_TYPE_USER_FENCE + 1;
	EXPECT_EQ(-EINVAL, bind_with_syncs(self->fd, vm, bo, syncs, 1));
	syncs[0].type = ~0u;
	EXPECT_EQ(-EINVAL, bind_with_syncs(self->fd, vm, bo, syncs, 1));

	syncs[0] = xe_sync_syncobj(syncobj + 100, true);
	EXPECT_EQ(-ENOENT, bind_with_syncs(self->fd, vm, bo, syncs, 1));
	syncs[0] = xe_sync_syncobj(syncobj + 100, false);
	EXPECT_EQ(-ENOENT, bind_with_syncs(self->fd, vm, bo, syncs, 1));

	/* Waiting on a syncobj without a fence. */
	syncs[0] = xe_sync_syncobj(empty, false);
	EXPECT_EQ(-EINVAL, bind_with_syncs(self->fd, vm, bo, syncs, 1));

	/* User fences: output only, a non-zero 8-byte aligned address, at most one. */
	syncs[0] = xe_sync_ufence(to_user_pointer(&fence[0]), 1);
	syncs[0].flags = 0;
	EXPECT_EQ(-EOPNOTSUPP, bind_with_syncs(self->fd, vm, bo, syncs, 1));
	syncs[0] = xe_sync_ufence(0, 1);
	EXPECT_EQ(-EINVAL, bind_with_syncs(self->fd, vm, bo, syncs, 1));
	syncs[0] = xe_sync_ufence(to_user_pointer(&fence[0]) + 4, 1);
	EXPECT_EQ(-EINVAL, bind_with_syncs(self->fd, vm, bo, syncs, 1));
	syncs[0] = xe_sync_ufence(to_user_pointer(&fence[0]), 1);
	syncs[1] = xe_sync_ufence(to_user_pointer(&fence[1]), 1);
	EXPECT_EQ(-EINVAL, bind_with_syncs(self->fd, vm, bo, syncs, 2));

	/* The array itself. */
	syncs[0] = xe_sync_syncobj(syncobj, true);
	EXPECT_EQ(-EINVAL, bind_with_syncs(self->fd, vm, bo, syncs, DRM_XE_MAX_SYNCS + 1));
	b = good_bind(vm, bo);
	b.num_syncs = 1;
	b.syncs = 8;
	EXPECT_EQ(-EFAULT, __xe_vm_bind(self->fd, &b));

	/* None of the failures wrote a user fence. */
	EXPECT_EQ(0u, fence[0]);
	EXPECT_EQ(0u, fence[1]);

	syncs[0] = xe_sync_syncobj(syncobj, true);
	EXPECT_EQ(0, bind_with_syncs(self->fd, vm, bo, syncs, 1));

	EXPECT_EQ(0, syncobj_destroy(self->fd, syncobj));
	EXPECT_EQ(0, syncobj_destroy(self->fd, empty));
	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));
	EXPECT_EQ(0, gem_close(self->fd, bo));
}

/* --- what binds do ------------------------------------------------------- */

/* Stores land in the object; after the unbind they fault; a rebind maps again. */
TEST_F(xe_vm, bind_unbind_rebind)
{
	struct xe_ctx ctx;
	struct xe_buf buf;
	uint64_t addr;
	uint32_t v;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, 2 * SZ_4K, &buf));

	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &buf, ADDR_A, 0));
	addr = ADDR_A + SZ_4K + 0x40;
	v = 0x1111;
	ASSERT_EQ(0, xe_ctx_store(&ctx, &addr, &v, 1));
	EXPECT_EQ(0x1111u, xe_rd32(buf.ptr, SZ_4K + 0x40));

	ASSERT_EQ(0, xe_vm_unbind(self->fd, ctx.vm, ADDR_A, 2 * SZ_4K));
	store_bans(_metadata, &ctx, addr);
	EXPECT_EQ(0x1111u, xe_rd32(buf.ptr, SZ_4K + 0x40));
	/* The first queue is unaffected. */
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, ctx.queue));

	/* Rebound elsewhere in the object's range and at the same address. */
	ASSERT_EQ(0, xe_vm_bind_bo(self->fd, ctx.vm, buf.handle, SZ_4K, ADDR_A, SZ_4K, 0));
	addr = ADDR_A + 0x40;
	v = 0x2222;
	ASSERT_EQ(0, xe_ctx_store(&ctx, &addr, &v, 1));
	EXPECT_EQ(0x2222u, xe_rd32(buf.ptr, SZ_4K + 0x40));
	EXPECT_EQ(0u, xe_rd32(buf.ptr, 0x40));

	ASSERT_EQ(0, xe_vm_unbind(self->fd, ctx.vm, ADDR_A, SZ_4K));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &buf, ADDR_A, 0));
	v = 0x3333;
	ASSERT_EQ(0, xe_ctx_store(&ctx, &addr, &v, 1));
	EXPECT_EQ(0x3333u, xe_rd32(buf.ptr, 0x40));
	EXPECT_EQ(0x2222u, xe_rd32(buf.ptr, SZ_4K + 0x40));

	xe_buf_destroy(self->fd, &buf);
	xe_ctx_fini(&ctx);
}

/*
 * Unmapping pages in the middle, at the start and at the end of a mapping
 * keeps the rest mapped. In a scratch-page VM stores to the holes are
 * dropped, so one batch shows both sides.
 */
TEST_F(xe_vm, partial_unmap)
{
	const unsigned int pages = 8;
	const bool hole[] = { true, false, false, true, true, false, false, true };
	uint64_t addrs[8];
	uint32_t values[8];
	struct xe_ctx ctx;
	struct xe_buf buf;
	unsigned int i;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE,
				 DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, pages * SZ_4K, &buf));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &buf, ADDR_A, 0));

	/* Head, two pages in the middle, tail. */
	ASSERT_EQ(0, xe_vm_unbind(self->fd, ctx.vm, ADDR_A, SZ_4K));
	ASSERT_EQ(0, xe_vm_unbind(self->fd, ctx.vm, ADDR_A + 3 * SZ_4K, 2 * SZ_4K));
	ASSERT_EQ(0, xe_vm_unbind(self->fd, ctx.vm, ADDR_A + 7 * SZ_4K, SZ_4K));

	for (i = 0; i < pages; i++) {
		addrs[i] = ADDR_A + i * SZ_4K + 4 * i;
		values[i] = 0xa000 + i;
	}
	ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, pages));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, ctx.queue));

	for (i = 0; i < pages; i++) {
		EXPECT_EQ(hole[i] ? 0 : values[i], xe_rd32(buf.ptr, i * SZ_4K + 4 * i)) {
			TH_LOG("page %u (%s)", i, hole[i] ? "unmapped" : "mapped");
		}
	}

	xe_buf_destroy(self->fd, &buf);
	xe_ctx_fini(&ctx);
}

/* The same without a scratch page: the rest works, the hole faults. */
TEST_F(xe_vm, partial_unmap_fault)
{
	uint64_t addrs[2] = { ADDR_A + 0x10, ADDR_A + 2 * SZ_4K + 0x20 };
	uint32_t values[2] = { 0x5a5a0001, 0x5a5a0002 };
	struct xe_ctx ctx;
	struct xe_buf buf;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, 3 * SZ_4K, &buf));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &buf, ADDR_A, 0));
	ASSERT_EQ(0, xe_vm_unbind(self->fd, ctx.vm, ADDR_A + SZ_4K, SZ_4K));

	ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, 2));
	EXPECT_EQ(values[0], xe_rd32(buf.ptr, 0x10));
	EXPECT_EQ(values[1], xe_rd32(buf.ptr, 2 * SZ_4K + 0x20));

	store_bans(_metadata, &ctx, ADDR_A + SZ_4K + 0x30);
	EXPECT_EQ(0u, xe_rd32(buf.ptr, SZ_4K + 0x30));

	xe_buf_destroy(self->fd, &buf);
	xe_ctx_fini(&ctx);
}

/* Mapping over part of a mapping replaces that part only. */
TEST_F(xe_vm, map_over)
{
	struct xe_buf a, b, u;
	struct xe_ctx ctx;
	uint64_t addrs[4];
	uint32_t values[4];
	unsigned int i;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, 4 * SZ_4K, &a));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, 4 * SZ_4K, &b));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &a, ADDR_A, 0));

	/* b's pages 2 and 3 replace a's pages 1 and 2. */
	ASSERT_EQ(0, xe_vm_bind_bo(self->fd, ctx.vm, b.handle, 2 * SZ_4K, ADDR_A + SZ_4K,
				   2 * SZ_4K, 0));

	for (i = 0; i < 4; i++) {
		addrs[i] = ADDR_A + i * SZ_4K + 8;
		values[i] = 0xc0de0000 + i;
	}
	ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, 4));

	EXPECT_EQ(values[0], xe_rd32(a.ptr, 8));
	EXPECT_EQ(0u, xe_rd32(a.ptr, SZ_4K + 8));
	EXPECT_EQ(0u, xe_rd32(a.ptr, 2 * SZ_4K + 8));
	EXPECT_EQ(values[3], xe_rd32(a.ptr, 3 * SZ_4K + 8));
	EXPECT_EQ(0u, xe_rd32(b.ptr, 8));
	EXPECT_EQ(0u, xe_rd32(b.ptr, SZ_4K + 8));
	EXPECT_EQ(values[1], xe_rd32(b.ptr, 2 * SZ_4K + 8));
	EXPECT_EQ(values[2], xe_rd32(b.ptr, 3 * SZ_4K + 8));

	/* Replacing the whole range, pieces of both, with user memory this time. */
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_USERPTR, 4 * SZ_4K, &u));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &u, ADDR_A, 0));
	for (i = 0; i < 4; i++)
		values[i] = 0xd00d0000 + i;
	ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, 4));
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(values[i], xe_rd32(u.ptr, i * SZ_4K + 8));
	}
	EXPECT_EQ(0xc0de0000u, xe_rd32(a.ptr, 8));
	EXPECT_EQ(0xc0de0003u, xe_rd32(a.ptr, 3 * SZ_4K + 8));
	EXPECT_EQ(0xc0de0001u, xe_rd32(b.ptr, 2 * SZ_4K + 8));
	ASSERT_EQ(0, xe_vm_unbind(self->fd, ctx.vm, ADDR_A, 4 * SZ_4K));

	xe_buf_destroy(self->fd, &u);
	xe_buf_destroy(self->fd, &a);
	xe_buf_destroy(self->fd, &b);
	xe_ctx_fini(&ctx);
}

/* UNMAP_ALL removes every mapping of the object, and only those. */
TEST_F(xe_vm, unmap_all)
{
	uint64_t addrs[3] = { ADDR_A, ADDR_B + SZ_4K, ADDR_C };
	uint32_t values[3] = { 0x1001, 0x1002, 0x1003 };
	struct xe_buf a, b;
	struct xe_ctx ctx;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE,
				 DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, 2 * SZ_4K, &a));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &b));

	/* a twice (whole, and its second page alone), b once. */
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &a, ADDR_A, 0));
	ASSERT_EQ(0, xe_vm_bind_bo(self->fd, ctx.vm, a.handle, SZ_4K, ADDR_B + SZ_4K, SZ_4K, 0));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &b, ADDR_C, 0));

	ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, 3));
	EXPECT_EQ(0x1001u, xe_rd32(a.ptr, 0));
	EXPECT_EQ(0x1002u, xe_rd32(a.ptr, SZ_4K));
	EXPECT_EQ(0x1003u, xe_rd32(b.ptr, 0));

	ASSERT_EQ(0, xe_vm_unbind_all(self->fd, ctx.vm, a.handle));
	values[0] = 0x2001;
	values[1] = 0x2002;
	values[2] = 0x2003;
	ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, 3));
	EXPECT_EQ(0x1001u, xe_rd32(a.ptr, 0));
	EXPECT_EQ(0x1002u, xe_rd32(a.ptr, SZ_4K));
	EXPECT_EQ(0x2003u, xe_rd32(b.ptr, 0));

	/* Once more: nothing left to unmap. */
	EXPECT_EQ(0, xe_vm_unbind_all(self->fd, ctx.vm, a.handle));

	xe_buf_destroy(self->fd, &a);
	xe_buf_destroy(self->fd, &b);
	xe_ctx_fini(&ctx);
}

/*
 * NULL bindings read as zero and swallow writes, without a fault. Reads go
 * through MEM_COPY on the copy engine.
 */
TEST_F(xe_vm, null_bind)
{
	const uint64_t null_addr = ADDR_A, dst_addr = ADDR_B, size = 2 * SZ_4K;
	struct xe_ctx ctx;
	struct xe_buf dst;
	uint32_t *cs;
	unsigned int i;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COPY, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, 2 * size, &dst));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &dst, dst_addr, 0));
	ASSERT_EQ(0, xe_vm_bind_null(self->fd, ctx.vm, null_addr, size));
	memset(dst.ptr, 0xa5, 2 * size);

	cs = xe_ctx_cs(&ctx, 0);
	/* Writes of every kind into the NULL range... */
	cs = xe_emit_store_dword(cs, null_addr, 0x12345678);
	cs = xe_emit_store_qword(cs, null_addr + SZ_4K + 8, 0x1122334455667788ull);
	cs = xe_emit_atomic(cs, ATOMIC_INC, null_addr + 16);
	cs = xe_emit_mem_set(cs, null_addr + 64, 256, 0xee);
	/* ...then read it back into dst, and write dst's second half from it. */
	cs = xe_emit_mem_copy(cs, dst_addr, null_addr, size);
	cs = xe_emit_mem_copy(cs, null_addr, dst_addr + size, size);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, xe_ctx_run(&ctx));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, ctx.queue));

	for (i = 0; i < size; i++) {
		ASSERT_EQ(0, ((uint8_t *)dst.ptr)[i]) {
			TH_LOG("byte %u read from the NULL binding", i);
		}
	}
	for (i = size; i < 2 * size; i++) {
		ASSERT_EQ(0xa5, ((uint8_t *)dst.ptr)[i]) {
			TH_LOG("byte %u", i);
		}
	}

	xe_buf_destroy(self->fd, &dst);
	xe_ctx_fini(&ctx);
}

/* An object created for one VM binds there only. */
TEST_F(xe_vm, private_bo)
{
	uint64_t addr = ADDR_A + 0x100;
	uint32_t value = 0xfeed;
	uint32_t bo, other_vm;
	struct xe_ctx ctx;
	void *ptr;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	other_vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, other_vm);
	ASSERT_EQ(0, __xe_bo_create(self->fd, ctx.vm, SZ_4K, self->sysmem, 0,
				    DRM_XE_GEM_CPU_CACHING_WB, &bo));
	ptr = xe_bo_map(self->fd, bo, SZ_4K);
	ASSERT_NE(NULL, ptr);

	EXPECT_EQ(-EINVAL, xe_vm_bind_bo(self->fd, other_vm, bo, 0, ADDR_A, SZ_4K, 0));
	ASSERT_EQ(0, xe_vm_bind_bo(self->fd, ctx.vm, bo, 0, ADDR_A, SZ_4K, 0));
	ASSERT_EQ(0, xe_ctx_store(&ctx, &addr, &value, 1));
	EXPECT_EQ(0xfeedu, xe_rd32(ptr, 0x100));

	/* Still refused elsewhere while bound in its VM. */
	EXPECT_EQ(-EINVAL, xe_vm_bind_bo(self->fd, other_vm, bo, 0, ADDR_A, SZ_4K, 0));

	munmap(ptr, SZ_4K);
	EXPECT_EQ(0, xe_vm_unbind(self->fd, ctx.vm, ADDR_A, SZ_4K));
	EXPECT_EQ(0, gem_close(self->fd, bo));
	EXPECT_EQ(0, xe_vm_destroy(self->fd, other_vm));
	xe_ctx_fini(&ctx);
}

/* With a scratch page, stores to nothing are dropped and reads return zero. */
TEST_F(xe_vm, scratch_page)
{
	uint64_t addrs[3] = { ADDR_UNMAPPED, ADDR_A + 4, (1ull << XE_VA_BITS) - 8 };
	uint32_t values[3] = { 0x77, 0x88, 0x99 };
	struct xe_ctx ctx, copy;
	struct xe_buf buf;
	uint32_t *cs;
	unsigned int i;

	/* Compute engine: the job completes and the mapped store lands. */
	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE,
				 DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, 2 * SZ_4K, &buf));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &buf, ADDR_A, 0));
	memset(buf.ptr, 0x5c, 2 * SZ_4K);
	ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, 3));
	EXPECT_EQ(0x88u, xe_rd32(buf.ptr, 4));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, ctx.queue));
	/* Again: the queue still works. */
	values[1] = 0x89;
	ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, 3));
	EXPECT_EQ(0x89u, xe_rd32(buf.ptr, 4));

	/* Copy engine, same VM: what was stored at the scratch address reads as 0. */
	ASSERT_EQ(0, xe_ctx_init(self->fd, &copy, ctx.vm, DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE,
				 DRM_XE_ENGINE_CLASS_COPY, 0));
	cs = xe_ctx_cs(&copy, 0);
	cs = xe_emit_store_dword(cs, ADDR_UNMAPPED, 0xffffffff);
	cs = xe_emit_mem_set(cs, ADDR_UNMAPPED + 64, 64, 0xff);
	cs = xe_emit_mem_copy(cs, ADDR_A + SZ_4K, ADDR_UNMAPPED, SZ_4K);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, xe_ctx_run(&copy));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, copy.queue));
	for (i = 0; i < SZ_4K; i += 4) {
		ASSERT_EQ(0u, xe_rd32(buf.ptr, SZ_4K + i)) {
			TH_LOG("offset %u of what the scratch page read", i);
		}
	}

	xe_ctx_fini(&copy);
	xe_buf_destroy(self->fd, &buf);
	xe_ctx_fini(&ctx);
}

/* Three operations in one ioctl through vector_of_binds. */
TEST_F(xe_vm, bind_vector)
{
	struct drm_xe_vm_bind_op ops[4];
	uint64_t addrs[3] = { ADDR_A + 0x10, ADDR_B + SZ_4K + 0x20, ADDR_C + 0x30 };
	uint32_t values[3] = { 0x0a0a, 0x0b0b, 0x0c0c };
	struct xe_buf a, b, u;
	struct xe_ctx ctx;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &a));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, 2 * SZ_4K, &b));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_USERPTR, SZ_4K, &u));

	ops[0] = xe_bind_op_map(a.handle, 0, ADDR_A, SZ_4K, 0);
	ops[1] = xe_bind_op_map(b.handle, 0, ADDR_B, 2 * SZ_4K, 0);
	ops[2] = xe_bind_op_userptr(u.ptr, ADDR_C, SZ_4K, 0);

	/* A malformed entry anywhere fails the whole vector. */
	ops[3] = ops[2];
	ops[3].pad = 1;
	EXPECT_EQ(-EINVAL, xe_vm_bind_ops(self->fd, ctx.vm, 0, ops + 1, 3, NULL, 0));

	ASSERT_EQ(0, xe_vm_bind_ops(self->fd, ctx.vm, 0, ops, 3, NULL, 0));
	ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, 3));
	EXPECT_EQ(0x0a0au, xe_rd32(a.ptr, 0x10));
	EXPECT_EQ(0x0b0bu, xe_rd32(b.ptr, SZ_4K + 0x20));
	EXPECT_EQ(0x0c0cu, xe_rd32(u.ptr, 0x30));

	/* Unmapping all three in one vector, mixed with a new mapping. */
	ops[0] = xe_bind_op_unmap(ADDR_A, SZ_4K);
	ops[1] = xe_bind_op_unmap_all(b.handle);
	ops[2] = xe_bind_op_unmap(ADDR_C, SZ_4K);
	ops[3] = xe_bind_op_map(a.handle, 0, ADDR_B + SZ_4K, SZ_4K, 0);
	ASSERT_EQ(0, xe_vm_bind_ops(self->fd, ctx.vm, 0, ops, 4, NULL, 0));
	values[1] = 0x1b1b;
	ASSERT_EQ(0, xe_ctx_store(&ctx, &addrs[1], &values[1], 1));
	EXPECT_EQ(0x1b1bu, xe_rd32(a.ptr, 0x20));
	EXPECT_EQ(0x0b0bu, xe_rd32(b.ptr, SZ_4K + 0x20));
	store_bans(_metadata, &ctx, addrs[0]);
	store_bans(_metadata, &ctx, addrs[2]);

	xe_buf_destroy(self->fd, &a);
	xe_buf_destroy(self->fd, &b);
	xe_buf_destroy(self->fd, &u);
	xe_ctx_fini(&ctx);
}

/* A bind's user fence is written by the kernel, at a CPU address, on completion. */
TEST_F(xe_vm, bind_ufence)
{
	uint64_t *fence;
	struct drm_xe_sync sync;
	struct drm_xe_vm_bind_op ops[2];
	uint64_t addr = ADDR_A + 0x80;
	uint32_t value = 0x600d;
	struct xe_ctx ctx;
	struct xe_buf buf;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, 2 * SZ_4K, &buf));
	fence = xe_alloc_pages(SZ_4K);
	ASSERT_NE(NULL, fence);

	ops[0] = xe_bind_op_map(buf.handle, 0, ADDR_A, SZ_4K, 0);
	sync = xe_sync_ufence(to_user_pointer(&fence[1]), 0xdeadbeefcafef00dull);
	ASSERT_EQ(0, xe_vm_bind_ops(self->fd, ctx.vm, 0, ops, 1, &sync, 1));
	EXPECT_EQ(0xdeadbeefcafef00dull, fence[1]);
	EXPECT_EQ(0u, fence[0]);
	EXPECT_EQ(0u, fence[2]);
	EXPECT_EQ(0, xe_wait_ufence(self->fd, &fence[1], 0xdeadbeefcafef00dull, 0, 0));

	/* The mapping is there once the fence is. */
	ASSERT_EQ(0, xe_ctx_store(&ctx, &addr, &value, 1));
	EXPECT_EQ(0x600du, xe_rd32(buf.ptr, 0x80));

	/* Unmap and a vector, each with a fence. */
	sync = xe_sync_ufence(to_user_pointer(&fence[3]), 3);
	ops[0] = xe_bind_op_unmap(ADDR_A, SZ_4K);
	ASSERT_EQ(0, xe_vm_bind_ops(self->fd, ctx.vm, 0, ops, 1, &sync, 1));
	EXPECT_EQ(3u, fence[3]);

	sync = xe_sync_ufence(to_user_pointer(&fence[4]), 4);
	ops[0] = xe_bind_op_map(buf.handle, SZ_4K, ADDR_A, SZ_4K, 0);
	ops[1] = xe_bind_op_null(ADDR_B, SZ_4K);
	ASSERT_EQ(0, xe_vm_bind_ops(self->fd, ctx.vm, 0, ops, 2, &sync, 1));
	EXPECT_EQ(4u, fence[4]);
	value = 0x700d;
	ASSERT_EQ(0, xe_ctx_store(&ctx, &addr, &value, 1));
	EXPECT_EQ(0x700du, xe_rd32(buf.ptr, SZ_4K + 0x80));

	xe_free_pages(fence, SZ_4K);
	xe_buf_destroy(self->fd, &buf);
	xe_ctx_fini(&ctx);
}

/* Syncobjs: binds wait for in-syncs and signal out-syncs before returning. */
TEST_F(xe_vm, bind_syncobj)
{
	struct drm_xe_sync syncs[3];
	struct drm_xe_vm_bind_op op;
	uint32_t vm, bo, out, timeline, in;
	uint64_t point;

	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);
	bo = sysmem_bo(self, SZ_4K);
	ASSERT_NE(0u, bo);
	out = syncobj_create(self->fd, 0);
	ASSERT_NE(0u, out);
	timeline = syncobj_create(self->fd, 0);
	ASSERT_NE(0u, timeline);
	in = syncobj_create(self->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	ASSERT_NE(0u, in);

	syncs[0] = xe_sync_syncobj(out, true);
	syncs[1] = xe_sync_timeline(timeline, 5, true);
	syncs[2] = xe_sync_syncobj(in, false);
	op = xe_bind_op_map(bo, 0, ADDR_A, SZ_4K, 0);
	ASSERT_EQ(0, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, syncs, 3));

	EXPECT_EQ(0, syncobj_wait(self->fd, &out, 1, 0, 0));
	EXPECT_EQ(1, syncobj_fence_status(self->fd, out));
	point = 5;
	EXPECT_EQ(0, syncobj_timeline_wait(self->fd, &timeline, &point, 1, 0, 0));
	point = 0;
	EXPECT_EQ(0, syncobj_query(self->fd, timeline, &point));
	EXPECT_EQ(5u, point);

	/* The next point, from an unmap; an in-sync on the previous point. */
	syncs[0] = xe_sync_timeline(timeline, 5, false);
	syncs[1] = xe_sync_timeline(timeline, 6, true);
	op = xe_bind_op_unmap(ADDR_A, SZ_4K);
	ASSERT_EQ(0, xe_vm_bind_ops(self->fd, vm, 0, &op, 1, syncs, 2));
	point = 6;
	EXPECT_EQ(0, syncobj_timeline_wait(self->fd, &timeline, &point, 1, 0, 0));

	EXPECT_EQ(0, syncobj_destroy(self->fd, out));
	EXPECT_EQ(0, syncobj_destroy(self->fd, timeline));
	EXPECT_EQ(0, syncobj_destroy(self->fd, in));
	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));
	EXPECT_EQ(0, gem_close(self->fd, bo));
}

/* Binds through a VM_BIND queue work like those on the default queue. */
TEST_F(xe_vm, bind_queue)
{
	struct drm_xe_vm_bind_op op;
	uint64_t addr = ADDR_A + 0xf0;
	uint32_t value = 0xb1d;
	uint32_t bind_queue;
	struct xe_ctx ctx;
	struct xe_buf buf;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &buf));
	bind_queue = xe_bind_queue_create(self->fd);
	ASSERT_NE(0u, bind_queue);

	op = xe_bind_op_map(buf.handle, 0, ADDR_A, SZ_4K, 0);
	ASSERT_EQ(0, xe_vm_bind_ops(self->fd, ctx.vm, bind_queue, &op, 1, NULL, 0));
	ASSERT_EQ(0, xe_ctx_store(&ctx, &addr, &value, 1));
	EXPECT_EQ(0xb1du, xe_rd32(buf.ptr, 0xf0));

	op = xe_bind_op_unmap(ADDR_A, SZ_4K);
	ASSERT_EQ(0, xe_vm_bind_ops(self->fd, ctx.vm, bind_queue, &op, 1, NULL, 0));
	store_bans(_metadata, &ctx, addr);

	EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, bind_queue));
	xe_buf_destroy(self->fd, &buf);
	xe_ctx_fini(&ctx);
}

/* GPU stores through a userptr binding land in the process's memory. */
TEST_F(xe_vm, userptr_store)
{
	uint64_t addrs[4];
	uint32_t values[4];
	struct xe_ctx ctx;
	char *mem;
	unsigned int i;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	mem = xe_alloc_pages(8 * SZ_4K);
	ASSERT_NE(NULL, mem);

	/* Pages 2..5 of the allocation. */
	ASSERT_EQ(0, xe_vm_bind_userptr(self->fd, ctx.vm, mem + 2 * SZ_4K, ADDR_A, 4 * SZ_4K, 0));
	for (i = 0; i < 4; i++) {
		addrs[i] = ADDR_A + i * SZ_4K + 0x200;
		values[i] = 0x05e70000 + i;
	}
	ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, 4));
	for (i = 0; i < 8; i++) {
		EXPECT_EQ(i >= 2 && i < 6 ? values[i - 2] : 0, xe_rd32(mem, i * SZ_4K + 0x200)) {
			TH_LOG("page %u", i);
		}
	}

	EXPECT_EQ(0, xe_vm_unbind(self->fd, ctx.vm, ADDR_A, 4 * SZ_4K));
	xe_free_pages(mem, 8 * SZ_4K);
	xe_ctx_fini(&ctx);
}

/*
 * One user page bound in many VMs, and at many addresses of one VM, at
 * once: every mapping reaches it (the device shares one DMA mapping of
 * the page among them instead of piling up overlapping ones), and it
 * stays reachable while the other bindings come and go.
 */
#define SHARED_VMS	12
TEST_F(xe_vm, userptr_shared_page)
{
	struct xe_ctx ctx[SHARED_VMS];
	uint64_t addrs[SHARED_VMS];
	uint32_t values[SHARED_VMS];
	unsigned int i;
	char *mem;

	mem = xe_alloc_pages(SZ_4K);
	ASSERT_NE(NULL, mem);
	for (i = 0; i < SHARED_VMS; i++) {
		ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx[i], 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
		ASSERT_EQ(0, xe_vm_bind_userptr(self->fd, ctx[i].vm, mem, ADDR_A, SZ_4K, 0));
		ASSERT_EQ(0, xe_vm_bind_userptr(self->fd, ctx[i].vm, mem, ADDR_B, SZ_4K, 0));
	}
	for (i = 0; i < SHARED_VMS; i++) {
		addrs[0] = ADDR_A + 4 * i;
		addrs[1] = ADDR_B + 0x800 + 4 * i;
		values[0] = 0x5a0000 + i;
		values[1] = 0xa50000 + i;
		ASSERT_EQ(0, xe_ctx_store(&ctx[i], addrs, values, 2));
		/* Dropping one VM's bindings leaves the others working. */
		if (i % 2)
			EXPECT_EQ(0, xe_vm_unbind(self->fd, ctx[i - 1].vm, ADDR_B, SZ_4K));
	}
	for (i = 0; i < SHARED_VMS; i++) {
		EXPECT_EQ(0x5a0000 + i, xe_rd32(mem, 4 * i));
		EXPECT_EQ(0xa50000 + i, xe_rd32(mem, 0x800 + 4 * i));
	}
	for (i = 0; i < SHARED_VMS; i++)
		xe_ctx_fini(&ctx[i]);
	xe_free_pages(mem, SZ_4K);
}

/* One object at two addresses: both reach the same memory. */
TEST_F(xe_vm, bind_alias)
{
	uint64_t addrs[2] = { ADDR_A + 0x10, ADDR_B + 0x14 };
	uint32_t values[2] = { 0xa1, 0xa2 };
	struct xe_ctx ctx;
	struct xe_buf buf;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &buf));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &buf, ADDR_A, 0));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &buf, ADDR_B, 0));

	ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, 2));
	EXPECT_EQ(0xa1u, xe_rd32(buf.ptr, 0x10));
	EXPECT_EQ(0xa2u, xe_rd32(buf.ptr, 0x14));

	xe_buf_destroy(self->fd, &buf);
	xe_ctx_fini(&ctx);
}

/* Top of the 48-bit address space, and a mapping above 4 GiB crossing a 1 GiB line. */
TEST_F(xe_vm, bind_high_address)
{
	const uint64_t top = (1ull << XE_VA_BITS) - 2 * SZ_4K;
	const uint64_t cross = 5 * SZ_1G - SZ_4K;
	uint64_t addrs[4] = { top, top + SZ_4K + 0xffc, cross + 0x20, cross + SZ_4K + 0x24 };
	uint32_t values[4] = { 0x70b, 0x70c, 0xc20, 0xc24 };
	struct xe_buf a, b;
	struct xe_ctx ctx;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, 2 * SZ_4K, &a));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, 2 * SZ_4K, &b));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &a, top, 0));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &b, cross, 0));

	ASSERT_EQ(0, xe_ctx_store(&ctx, addrs, values, 4));
	EXPECT_EQ(0x70bu, xe_rd32(a.ptr, 0));
	EXPECT_EQ(0x70cu, xe_rd32(a.ptr, SZ_4K + 0xffc));
	EXPECT_EQ(0xc20u, xe_rd32(b.ptr, 0x20));
	EXPECT_EQ(0xc24u, xe_rd32(b.ptr, SZ_4K + 0x24));

	xe_buf_destroy(self->fd, &a);
	xe_buf_destroy(self->fd, &b);
	xe_ctx_fini(&ctx);
}

/* A bound object outlives its handle: the mapping keeps it. */
TEST_F(xe_vm, bind_close_handle)
{
	uint64_t addr = ADDR_A + 0x44;
	uint32_t value = 0xc105ed;
	struct xe_ctx ctx;
	struct xe_buf buf;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &buf));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &buf, ADDR_A, 0));
	ASSERT_EQ(0, gem_close(self->fd, buf.handle));
	buf.handle = 0;

	ASSERT_EQ(0, xe_ctx_store(&ctx, &addr, &value, 1));
	EXPECT_EQ(0xc105edu, xe_rd32(buf.ptr, 0x44));
	EXPECT_EQ(0, xe_vm_unbind(self->fd, ctx.vm, ADDR_A, SZ_4K));

	xe_buf_destroy(self->fd, &buf);
	xe_ctx_fini(&ctx);
}

/* Destroying a VM with mappings leaves its objects usable in another VM. */
TEST_F(xe_vm, destroy_with_bindings)
{
	uint64_t addr = ADDR_B + 0x8;
	uint32_t value = 0xa11fe;
	struct xe_ctx ctx;
	struct xe_buf buf;
	uint32_t vm;
	char *mem;

	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_64K, &buf));
	mem = xe_alloc_pages(SZ_64K);
	ASSERT_NE(NULL, mem);
	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);
	ASSERT_EQ(0, xe_buf_bind(self->fd, vm, &buf, ADDR_A, 0));
	ASSERT_EQ(0, xe_vm_bind_userptr(self->fd, vm, mem, ADDR_B, SZ_64K, 0));
	ASSERT_EQ(0, xe_vm_bind_null(self->fd, vm, ADDR_C, SZ_1M));
	ASSERT_EQ(0, xe_vm_destroy(self->fd, vm));

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &buf, ADDR_B, 0));
	ASSERT_EQ(0, xe_ctx_store(&ctx, &addr, &value, 1));
	EXPECT_EQ(0xa11feu, xe_rd32(buf.ptr, 0x8));

	xe_ctx_fini(&ctx);
	xe_buf_destroy(self->fd, &buf);
	xe_free_pages(mem, SZ_64K);
}

TEST_HARNESS_MAIN
