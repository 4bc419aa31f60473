// SPDX-License-Identifier: GPL-2.0-only
/*
 * GPU TLB invalidation on rebinds. Engines cache translations; whenever a
 * bind changes or removes one, the driver must invalidate it before the
 * next job runs:
 *
 *  - without interfering, a job after a rebind always reaches the new
 *    memory, on every engine whose TLB held the old translation;
 *  - with the debug knob skip_tlb_inval set (debugfs, debug kernels only),
 *    the driver skips invalidations and an engine with a warm TLB still
 *    writes to the old memory: proof that the first test can fail, and
 *    that the invalidations are what makes it pass.
 *
 * The knob is restored, and stale translations flushed, before the test
 * ends.
 *
 * The harness's EXPECT_*() and ASSERT_*() macros expand to two statements,
 * so they are always braced when they form the body of an if, else or for.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xe_ioctl.h"

/*
 * The harness keeps the pid of fork() in a non-volatile local of the
 * function calling setjmp(), into which test bodies get inlined; GCC then
 * warns about it. Only the path after a failed ASSERT_*() is affected.
 */
#pragma GCC diagnostic ignored "-Wclobbered"

#define VA		0x00200000ull
#define VA_SIZE		(2 * SZ_4K)

FIXTURE(xe_tlb) {
	int fd;
	char knob[128];		/* path of skip_tlb_inval */
	bool has_knob;
	bool knob_set;		/* the test set it: the teardown clears it */
	struct xe_ctx ctx;
	struct xe_buf old, new;
};

static int knob_write(const char *path, bool value)
{
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value ? "Y\n" : "N\n", 2) != 2)
		ret = -errno;
	close(fd);
	return ret;
}

/* 1 for Y, 0 for N, or -errno. */
static int knob_read(const char *path)
{
	char buf[8] = "";
	int fd;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	return buf[0] == 'Y' || buf[0] == 'y' || buf[0] == '1';
}

FIXTURE_SETUP(xe_tlb)
{
	int minor;

	self->fd = drm_open_driver_xe();
	if (self->fd < 0 && !xe_devices_expected())
		SKIP(return, "no xe device found");
	ASSERT_GE(self->fd, 0) {
		TH_LOG("xe is loaded but no device could be opened: %s", strerror(errno));
	}

	minor = xe_device_minor(self->fd);
	ASSERT_LE(0, minor);
	snprintf(self->knob, sizeof(self->knob), "/sys/kernel/debug/dri/%d/skip_tlb_inval",
		 minor);
	self->has_knob = access(self->knob, R_OK | W_OK) == 0;
	self->knob_set = false;
	if (self->has_knob) {
		/* Nothing may have left it set. */
		ASSERT_EQ(0, knob_read(self->knob));
	}

	ASSERT_EQ(0, xe_ctx_init(self->fd, &self->ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, VA_SIZE, &self->old));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, VA_SIZE, &self->new));
}

FIXTURE_TEARDOWN(xe_tlb)
{
	if (self->knob_set)
		knob_write(self->knob, false);
	/* With invalidations back, unbinding drops whatever stale translation is left. */
	xe_vm_unbind(self->fd, self->ctx.vm, VA, VA_SIZE);
	xe_buf_destroy(self->fd, &self->old);
	xe_buf_destroy(self->fd, &self->new);
	xe_ctx_fini(&self->ctx);
	close(self->fd);
}

/* Stores value into both pages of VA through ctx's engine. */
static int store_va(struct xe_ctx *ctx, uint32_t value)
{
	uint64_t addrs[2] = { VA + 0x10, VA + SZ_4K + 0x20 };
	uint32_t values[2] = { value, value + 1 };

	return xe_ctx_store(ctx, addrs, values, 2);
}

/* Both pages of buf hold what store_va(value) wrote. */
static bool holds(const struct xe_buf *buf, uint32_t value)
{
	return xe_rd32(buf->ptr, 0x10) == value && xe_rd32(buf->ptr, SZ_4K + 0x20) == value + 1;
}

/* Moves VA from one object to the other: UNMAP then MAP. */
static int rebind(FIXTURE_DATA(xe_tlb) *self, const struct xe_buf *to)
{
	struct drm_xe_vm_bind_op ops[2] = {
		xe_bind_op_unmap(VA, VA_SIZE),
		xe_bind_op_map(to->handle, 0, VA, VA_SIZE, 0),
	};

	return xe_vm_bind_ops(self->fd, self->ctx.vm, 0, ops, 2, NULL, 0);
}

/* Without interference, the job after a rebind writes to the new object. */
TEST_F(xe_tlb, rebind_seen)
{
	unsigned int i;

	if (self->has_knob) {
		ASSERT_EQ(0, knob_read(self->knob));
	}

	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &self->old, VA, 0));
	ASSERT_EQ(0, store_va(&self->ctx, 0x100));
	ASSERT_TRUE(holds(&self->old, 0x100));

	/* Back and forth, each time with the TLB warm from the previous job. */
	for (i = 1; i <= 6; i++) {
		const struct xe_buf *to = i & 1 ? &self->new : &self->old;
		const struct xe_buf *from = i & 1 ? &self->old : &self->new;
		uint32_t value = 0x100 + 0x10 * i;

		if (i < 4) {
			ASSERT_EQ(0, rebind(self, to));
		} else {
			/* Mapping over without an unmap replaces the translation too. */
			ASSERT_EQ(0, xe_vm_bind_bo(self->fd, self->ctx.vm, to->handle, 0, VA,
						   VA_SIZE, 0));
		}
		ASSERT_EQ(0, store_va(&self->ctx, value));
		EXPECT_TRUE(holds(to, value)) {
			TH_LOG("round %u: the new object has %#x %#x", i, xe_rd32(to->ptr, 0x10),
			       xe_rd32(to->ptr, SZ_4K + 0x20));
		}
		EXPECT_FALSE(holds(from, value)) {
			TH_LOG("round %u: the store went to the old object", i);
		}
	}
}

/* Every engine's TLB is invalidated, not just the one of the last job. */
TEST_F_TIMEOUT(xe_tlb, rebind_seen_all_engines, 120)
{
	struct drm_xe_query_engines *engines;
	struct xe_ctx ctx[16];
	uint32_t i, n;

	engines = xe_get_engines(self->fd);
	ASSERT_NE(NULL, engines);
	n = engines->num_engines;
	ASSERT_GE(ARRAY_SIZE(ctx), n);

	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &self->old, VA, 0));
	for (i = 0; i < n; i++) {
		const struct drm_xe_engine_class_instance *eci = &engines->engines[i].instance;

		ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx[i], self->ctx.vm, 0, eci->engine_class,
					 eci->engine_instance));
		ASSERT_EQ(0, store_va(&ctx[i], 0x200 + 2 * i));
		ASSERT_TRUE(holds(&self->old, 0x200 + 2 * i));
	}

	ASSERT_EQ(0, rebind(self, &self->new));
	for (i = 0; i < n; i++) {
		const struct drm_xe_engine_class_instance *eci = &engines->engines[i].instance;

		ASSERT_EQ(0, store_va(&ctx[i], 0x300 + 2 * i));
		EXPECT_TRUE(holds(&self->new, 0x300 + 2 * i)) {
			TH_LOG("%s%u wrote elsewhere", xe_engine_class_name(eci->engine_class),
			       eci->engine_instance);
		}
		EXPECT_TRUE(holds(&self->old, 0x200 + 2 * (n - 1))) {
			TH_LOG("%s%u wrote to the old object",
			       xe_engine_class_name(eci->engine_class), eci->engine_instance);
		}
	}

	for (i = 0; i < n; i++)
		xe_ctx_fini(&ctx[i]);
	free(engines);
}

/* With invalidations skipped, the warm TLB sends the store to the old object. */
TEST_F(xe_tlb, skip_inval_stale)
{
	if (!self->has_knob)
		SKIP(return, "%s not found (not a debug kernel?)", self->knob);

	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &self->old, VA, 0));
	ASSERT_EQ(0, store_va(&self->ctx, 0x400));
	ASSERT_TRUE(holds(&self->old, 0x400));

	ASSERT_EQ(0, knob_write(self->knob, true));
	self->knob_set = true;
	ASSERT_EQ(1, knob_read(self->knob));

	ASSERT_EQ(0, rebind(self, &self->new));
	ASSERT_EQ(0, store_va(&self->ctx, 0x500));
	EXPECT_TRUE(holds(&self->old, 0x500)) {
		TH_LOG("the old object has %#x %#x", xe_rd32(self->old.ptr, 0x10),
		       xe_rd32(self->old.ptr, SZ_4K + 0x20));
	}
	EXPECT_EQ(0u, xe_rd32(self->new.ptr, 0x10));
	EXPECT_EQ(0u, xe_rd32(self->new.ptr, SZ_4K + 0x20));

	/* Invalidations back on: the next rebind flushes the stale translation. */
	ASSERT_EQ(0, knob_write(self->knob, false));
	self->knob_set = false;
	ASSERT_EQ(0, knob_read(self->knob));
	ASSERT_EQ(0, rebind(self, &self->new));
	ASSERT_EQ(0, store_va(&self->ctx, 0x600));
	EXPECT_TRUE(holds(&self->new, 0x600));
	EXPECT_TRUE(holds(&self->old, 0x500));
}

/*
 * Only engines whose TLB holds the translation go stale: an engine that
 * never touched the address walks the new page tables.
 */
TEST_F(xe_tlb, skip_inval_cold_engine)
{
	struct xe_ctx cold;

	if (!self->has_knob)
		SKIP(return, "%s not found (not a debug kernel?)", self->knob);

	ASSERT_EQ(0, xe_ctx_init(self->fd, &cold, self->ctx.vm, 0, DRM_XE_ENGINE_CLASS_COMPUTE,
				 3));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->ctx.vm, &self->old, VA, 0));
	ASSERT_EQ(0, store_va(&self->ctx, 0x700));
	ASSERT_TRUE(holds(&self->old, 0x700));

	ASSERT_EQ(0, knob_write(self->knob, true));
	self->knob_set = true;
	ASSERT_EQ(0, rebind(self, &self->new));

	ASSERT_EQ(0, store_va(&cold, 0x800));
	EXPECT_TRUE(holds(&self->new, 0x800));
	ASSERT_EQ(0, store_va(&self->ctx, 0x900));
	EXPECT_TRUE(holds(&self->old, 0x900));
	EXPECT_TRUE(holds(&self->new, 0x800));

	ASSERT_EQ(0, knob_write(self->knob, false));
	self->knob_set = false;
	ASSERT_EQ(0, rebind(self, &self->new));
	ASSERT_EQ(0, store_va(&self->ctx, 0xa00));
	EXPECT_TRUE(holds(&self->new, 0xa00));

	xe_ctx_fini(&cold);
}

/*
 * Runs rounds of: a VM whose job leaves a translation of VA in compute
 * engine 0's TLB, destroyed without unbinding anything; then a new VM
 * (likely reusing the address-space id) mapping the fixture's new object
 * at VA, whose job must reach that object.
 */
static void vm_reuse(struct __test_metadata *_metadata, FIXTURE_DATA(xe_tlb) *self,
		     bool scratch)
{
	struct xe_ctx first, second;
	unsigned int round;

	for (round = 0; round < 4; round++) {
		uint32_t value = 0x1000 + 0x10 * round;

		ASSERT_EQ(0, xe_ctx_init(self->fd, &first, 0,
					 scratch ? DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE : 0,
					 DRM_XE_ENGINE_CLASS_COMPUTE, 0));
		if (!scratch) {
			ASSERT_EQ(0, xe_buf_bind(self->fd, first.vm, &self->old, VA, 0));
		}
		/* In the scratch VM, VA has nothing behind it: the store is dropped. */
		ASSERT_EQ(0, store_va(&first, value));
		EXPECT_EQ(scratch ? 0 : value, xe_rd32(self->old.ptr, 0x10));
		xe_ctx_fini(&first);

		ASSERT_EQ(0, xe_ctx_init(self->fd, &second, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
		ASSERT_EQ(0, xe_buf_bind(self->fd, second.vm, &self->new, VA, 0));
		ASSERT_EQ(0, store_va(&second, value + 8));
		EXPECT_TRUE(holds(&self->new, value + 8)) {
			TH_LOG("round %u: the new VM's store went elsewhere (%#x %#x)", round,
			       xe_rd32(self->new.ptr, 0x10), xe_rd32(self->new.ptr, SZ_4K + 0x20));
		}
		EXPECT_FALSE(holds(&self->old, value + 8)) {
			TH_LOG("round %u: it went to the destroyed VM's object", round);
		}
		EXPECT_EQ(0, xe_vm_unbind(self->fd, second.vm, VA, VA_SIZE));
		xe_ctx_fini(&second);
	}
}

/* Destroying a VM forgets its translations. */
TEST_F(xe_tlb, vm_reuse_after_destroy)
{
	vm_reuse(_metadata, self, false);
}

/* Including the scratch page's, which are never unbound. */
TEST_F(xe_tlb, vm_reuse_after_scratch)
{
	vm_reuse(_metadata, self, true);
}

TEST_HARNESS_MAIN
