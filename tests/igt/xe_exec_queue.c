// SPDX-License-Identifier: GPL-2.0-only
/*
 * DRM_IOCTL_XE_EXEC_QUEUE_CREATE, _DESTROY and _GET_PROPERTY: argument
 * checking, engines and placements, the properties set through extensions
 * (priority and its capability check, timeslice), VM_BIND queues, the ban
 * property, and destroying queues with work in flight.
 *
 * The harness's EXPECT_*() and ASSERT_*() macros expand to two statements,
 * so they are always braced when they form the body of an if, else or for.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>

#include "kselftest_harness.h"
#include "xe_ioctl.h"

/*
 * The harness keeps the pid of fork() in a non-volatile local of the
 * function calling setjmp(), into which test bodies get inlined; GCC then
 * warns about it. Only the path after a failed ASSERT_*() is affected.
 */
#pragma GCC diagnostic ignored "-Wclobbered"

#define DATA_ADDR	0x00200000ull

#define PRIORITY_LOW	0
#define PRIORITY_NORMAL	1
#define PRIORITY_HIGH	2

FIXTURE(xe_exec_queue) {
	int fd;
	uint32_t vm;
	struct drm_xe_engine_class_instance compute;
};

FIXTURE_SETUP(xe_exec_queue)
{
	self->fd = drm_open_driver_xe();
	if (self->fd < 0 && !xe_devices_expected())
		SKIP(return, "no xe device found");
	ASSERT_GE(self->fd, 0) {
		TH_LOG("xe is loaded but no device could be opened: %s", strerror(errno));
	}

	ASSERT_EQ(1, xe_engine_count(self->fd, DRM_XE_ENGINE_CLASS_COPY));
	ASSERT_EQ(4, xe_engine_count(self->fd, DRM_XE_ENGINE_CLASS_COMPUTE));
	self->vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, self->vm);
	memset(&self->compute, 0, sizeof(self->compute));
	self->compute.engine_class = DRM_XE_ENGINE_CLASS_COMPUTE;
}

FIXTURE_TEARDOWN(xe_exec_queue)
{
	xe_vm_destroy(self->fd, self->vm);
	close(self->fd);
}

/* A request creating a queue on compute engine 0 that succeeds. */
static struct drm_xe_exec_queue_create good_create(FIXTURE_DATA(xe_exec_queue) *self)
{
	struct drm_xe_exec_queue_create c = {
		.width = 1,
		.num_placements = 1,
		.vm_id = self->vm,
		.instances = to_user_pointer(&self->compute),
	};

	return c;
}

/* Creates the queue and destroys it again; returns -errno. */
static int create_and_destroy(int fd, struct drm_xe_exec_queue_create c)
{
	int ret;

	ret = __xe_exec_queue_create(fd, &c);
	if (ret)
		return ret;
	if (!c.exec_queue_id)
		return -EBADF;
	return xe_exec_queue_destroy(fd, c.exec_queue_id);
}

static struct drm_xe_ext_set_property property(uint32_t prop, uint64_t value)
{
	struct drm_xe_ext_set_property ext = {
		.base.name = DRM_XE_EXEC_QUEUE_EXTENSION_SET_PROPERTY,
		.property = prop,
		.value = value,
	};

	return ext;
}

/* Creates a queue with one property set; returns -errno. */
static int create_with(FIXTURE_DATA(xe_exec_queue) *self, struct drm_xe_ext_set_property ext)
{
	struct drm_xe_exec_queue_create c = good_create(self);

	c.extensions = to_user_pointer(&ext);
	return create_and_destroy(self->fd, c);
}

/* --- creation and destruction ------------------------------------------- */

/* A queue on every engine; ids are distinct and go away on destroy. */
TEST_F(xe_exec_queue, create_all_engines)
{
	struct drm_xe_query_engines *engines;
	uint32_t ids[16];
	uint32_t i, j;

	engines = xe_get_engines(self->fd);
	ASSERT_NE(NULL, engines);
	ASSERT_GE(ARRAY_SIZE(ids), engines->num_engines);

	for (i = 0; i < engines->num_engines; i++) {
		struct drm_xe_exec_queue_create c = good_create(self);

		c.instances = to_user_pointer(&engines->engines[i].instance);
		ASSERT_EQ(0, __xe_exec_queue_create(self->fd, &c)) {
			TH_LOG("engine %u", i);
		}
		EXPECT_NE(0u, c.exec_queue_id);
		for (j = 0; j < i; j++) {
			EXPECT_NE(ids[j], c.exec_queue_id);
		}
		ids[i] = c.exec_queue_id;
		EXPECT_EQ(0, xe_exec_queue_banned(self->fd, ids[i]));
	}
	for (i = 0; i < engines->num_engines; i++) {
		EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, ids[i]));
		EXPECT_EQ(-ENOENT, xe_exec_queue_destroy(self->fd, ids[i]));
		EXPECT_EQ(-ENOENT, xe_exec_queue_banned(self->fd, ids[i]));
	}
	free(engines);
}

/* Many queues on one engine, in one VM. */
TEST_F(xe_exec_queue, create_many)
{
	uint32_t ids[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		ids[i] = xe_exec_queue_create(self->fd, self->vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
		ASSERT_NE(0u, ids[i]) {
			TH_LOG("queue %zu: %s", i, strerror(errno));
		}
	}
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, ids[i]));
	}
}

/*
 * The GT has 65535 context ids, as many as the GuC: well over a thousand
 * hardware queues can exist at once, and the last one created still runs.
 */
TEST_F_TIMEOUT(xe_exec_queue, create_beyond_1023, 300)
{
	const unsigned int n = 1100;
	uint32_t *ids = calloc(n, sizeof(*ids));
	struct xe_ctx ctx;
	unsigned int i;

	ASSERT_NE(NULL, ids);
	for (i = 0; i < n; i++) {
		ids[i] = xe_exec_queue_create(self->fd, self->vm, DRM_XE_ENGINE_CLASS_COMPUTE,
					      i % 4);
		ASSERT_NE(0u, ids[i]) {
			TH_LOG("queue %u: %s", i, strerror(errno));
		}
	}
	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, self->vm, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	xe_emit_bb_end(xe_ctx_cs(&ctx, 0));
	EXPECT_EQ(0, xe_ctx_run(&ctx));
	xe_ctx_fini(&ctx);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, ids[i]));
	}
	free(ids);
}

/*
 * A file holds at most 8192 queues, bind queues included; one more fails
 * with ENOSPC, whatever its kind, until one is destroyed.
 */
TEST_F_TIMEOUT(xe_exec_queue, per_file_limit, 120)
{
	const unsigned int limit = 8192;
	uint32_t *ids = calloc(limit, sizeof(*ids));
	unsigned int i;
	int other;

	ASSERT_NE(NULL, ids);
	for (i = 0; i < limit; i++) {
		ids[i] = xe_bind_queue_create(self->fd);
		ASSERT_NE(0u, ids[i]) {
			TH_LOG("queue %u: %s", i, strerror(errno));
		}
	}
	EXPECT_EQ(0u, xe_bind_queue_create(self->fd));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(0u, xe_exec_queue_create(self->fd, self->vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	EXPECT_EQ(ENOSPC, errno);

	/* A file of its own is not limited by this one's queues. */
	other = drm_open_driver_xe();
	ASSERT_GE(other, 0);
	EXPECT_NE(0u, xe_bind_queue_create(other));
	close(other);

	EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, ids[limit / 2]));
	ids[limit / 2] = xe_exec_queue_create(self->fd, self->vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	EXPECT_NE(0u, ids[limit / 2]);
	for (i = 0; i < limit; i++) {
		EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, ids[i]));
	}
	free(ids);
}

TEST_F(xe_exec_queue, create_invalid_fields)
{
	struct drm_xe_exec_queue_create c;
	unsigned int bit;
	size_t i;

	for (bit = 0; bit < 32; bit++) {
		c = good_create(self);
		c.flags = 1u << bit;
		if (c.flags == DRM_XE_EXEC_QUEUE_LOW_LATENCY_HINT)
			continue;
		EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c)) {
			TH_LOG("flag bit %u", bit);
		}
	}
	for (i = 0; i < ARRAY_SIZE(c.reserved); i++) {
		c = good_create(self);
		c.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c)) {
			TH_LOG("reserved[%zu]", i);
		}
	}

	/* exec_queue_id is output only. */
	c = good_create(self);
	c.exec_queue_id = 1;
	EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c));

	c = good_create(self);
	c.width = 0;
	EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c));
	c.width = 2;
	EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c));
	c.width = 0xffff;
	EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c));

	c = good_create(self);
	c.num_placements = 0;
	EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c));
	c.num_placements = 17;
	EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c));
	c.num_placements = 0xffff;
	EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c));

	c = good_create(self);
	c.instances = 0;
	EXPECT_EQ(-EFAULT, create_and_destroy(self->fd, c));
	c.instances = 8;
	EXPECT_EQ(-EFAULT, create_and_destroy(self->fd, c));

	EXPECT_EQ(0, create_and_destroy(self->fd, good_create(self)));
}

/*
 * The low-latency hint is advertised in the config query and accepted on
 * every kind of queue, alone or with unknown bits (which still fail).
 */
TEST_F(xe_exec_queue, low_latency_hint)
{
	struct drm_xe_engine_class_instance bind = {
		.engine_class = DRM_XE_ENGINE_CLASS_VM_BIND,
	};
	struct drm_xe_query_config *config = xe_get_config(self->fd);
	struct drm_xe_exec_queue_create c;

	ASSERT_NE(NULL, config);
	EXPECT_NE(0u, config->info[DRM_XE_QUERY_CONFIG_FLAGS] &
		  DRM_XE_QUERY_CONFIG_FLAG_HAS_LOW_LATENCY);
	free(config);

	c = good_create(self);
	c.flags = DRM_XE_EXEC_QUEUE_LOW_LATENCY_HINT;
	EXPECT_EQ(0, create_and_destroy(self->fd, c));

	c = good_create(self);
	c.flags = DRM_XE_EXEC_QUEUE_LOW_LATENCY_HINT;
	c.instances = to_user_pointer(&bind);
	EXPECT_EQ(0, create_and_destroy(self->fd, c));

	c = good_create(self);
	c.flags = DRM_XE_EXEC_QUEUE_LOW_LATENCY_HINT | (1u << 1);
	EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c));
}

/* Placements must name engines that exist, of one class, on GT 0. */
TEST_F(xe_exec_queue, create_invalid_engines)
{
	static const struct drm_xe_engine_class_instance bad[] = {
		{ .engine_class = DRM_XE_ENGINE_CLASS_RENDER },
		{ .engine_class = DRM_XE_ENGINE_CLASS_VIDEO_DECODE },
		{ .engine_class = DRM_XE_ENGINE_CLASS_VIDEO_ENHANCE },
		{ .engine_class = 6 },
		{ .engine_class = 0xffff },
		{ .engine_class = DRM_XE_ENGINE_CLASS_COPY, .engine_instance = 1 },
		{ .engine_class = DRM_XE_ENGINE_CLASS_COMPUTE, .engine_instance = 4 },
		{ .engine_class = DRM_XE_ENGINE_CLASS_COMPUTE, .engine_instance = 0xffff },
		{ .engine_class = DRM_XE_ENGINE_CLASS_COMPUTE, .gt_id = 1 },
		{ .engine_class = DRM_XE_ENGINE_CLASS_COMPUTE, .pad = 1 },
	};
	struct drm_xe_engine_class_instance two[2];
	struct drm_xe_exec_queue_create c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		c = good_create(self);
		c.instances = to_user_pointer(&bad[i]);
		EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c)) {
			TH_LOG("class %u instance %u gt %u pad %u", bad[i].engine_class,
			       bad[i].engine_instance, bad[i].gt_id, bad[i].pad);
		}

		/* The same as a second placement after a good one. */
		two[0] = self->compute;
		two[1] = bad[i];
		c.instances = to_user_pointer(two);
		c.num_placements = 2;
		EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c)) {
			TH_LOG("second placement: class %u instance %u gt %u pad %u",
			       bad[i].engine_class, bad[i].engine_instance, bad[i].gt_id,
			       bad[i].pad);
		}
	}

	/* Two classes. */
	two[0] = self->compute;
	memset(&two[1], 0, sizeof(two[1]));
	two[1].engine_class = DRM_XE_ENGINE_CLASS_COPY;
	c = good_create(self);
	c.instances = to_user_pointer(two);
	c.num_placements = 2;
	EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c));
}

TEST_F(xe_exec_queue, create_unknown_vm)
{
	uint32_t ids[] = { 0, self->vm + 1000, ~0u, 0 };
	struct drm_xe_exec_queue_create c;
	uint32_t gone;
	size_t i;

	gone = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, gone);
	ASSERT_EQ(0, xe_vm_destroy(self->fd, gone));
	ids[ARRAY_SIZE(ids) - 1] = gone;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		c = good_create(self);
		c.vm_id = ids[i];
		EXPECT_EQ(-ENOENT, create_and_destroy(self->fd, c)) {
			TH_LOG("vm_id %u", ids[i]);
		}
	}
}

/* Up to 16 placements, repeats allowed; jobs run on one of them. */
TEST_F(xe_exec_queue, multi_placement)
{
	struct drm_xe_engine_class_instance eci[16];
	uint32_t queues[8], syncobjs[8];
	struct drm_xe_sync sync;
	struct xe_buf data, batch;
	struct drm_xe_exec_queue_create c;
	unsigned int i;
	uint32_t *cs;

	memset(eci, 0, sizeof(eci));
	for (i = 0; i < ARRAY_SIZE(eci); i++) {
		eci[i].engine_class = DRM_XE_ENGINE_CLASS_COMPUTE;
		eci[i].engine_instance = i % 4;
	}
	c = good_create(self);
	c.instances = to_user_pointer(eci);
	c.num_placements = 16;
	EXPECT_EQ(0, create_and_destroy(self->fd, c));

	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &data));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->vm, &data, DATA_ADDR, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &batch));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->vm, &batch, XE_CTX_BATCH_ADDR, 0));
	/* Eight queues over the four compute engines, all busy at once. */
	for (i = 0; i < ARRAY_SIZE(queues); i++) {
		queues[i] = xe_exec_queue_create_placements(self->fd, self->vm, eci, 4, 0);
		ASSERT_NE(0u, queues[i]);
		cs = (uint32_t *)((char *)batch.ptr + i * 64);
		cs = xe_emit_store_dword(cs, DATA_ADDR + i * 4, 0x9100 + i);
		cs = xe_emit_atomic(cs, ATOMIC_INC, DATA_ADDR + 0x100);
		xe_emit_bb_end(cs);
	}
	for (i = 0; i < ARRAY_SIZE(queues); i++) {
		ASSERT_EQ(0, xe_exec_wait(self->fd, queues[i], XE_CTX_BATCH_ADDR + i * 64,
					  XE_TIMEOUT_NS)) {
			TH_LOG("queue %u", i);
		}
	}
	for (i = 0; i < ARRAY_SIZE(queues); i++) {
		EXPECT_EQ(0x9100 + i, xe_rd32(data.ptr, i * 4));
	}
	EXPECT_EQ(ARRAY_SIZE(queues), xe_rd32(data.ptr, 0x100));

	/* And all submitted at once. */
	for (i = 0; i < ARRAY_SIZE(queues); i++) {
		syncobjs[i] = syncobj_create(self->fd, 0);
		ASSERT_NE(0u, syncobjs[i]);
		sync = xe_sync_syncobj(syncobjs[i], true);
		ASSERT_EQ(0, xe_exec(self->fd, queues[i], XE_CTX_BATCH_ADDR + i * 64, &sync, 1));
	}
	ASSERT_EQ(0, syncobj_wait(self->fd, syncobjs, ARRAY_SIZE(syncobjs), XE_TIMEOUT_NS,
				  DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL));
	EXPECT_EQ(2 * ARRAY_SIZE(queues), xe_rd32(data.ptr, 0x100));
	for (i = 0; i < ARRAY_SIZE(queues); i++) {
		EXPECT_EQ(1, syncobj_fence_status(self->fd, syncobjs[i]));
		EXPECT_EQ(0, syncobj_destroy(self->fd, syncobjs[i]));
		EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, queues[i]));
	}

	xe_buf_destroy(self->fd, &data);
	xe_buf_destroy(self->fd, &batch);
}

TEST_F(xe_exec_queue, destroy_invalid)
{
	struct drm_xe_exec_queue_destroy d;
	uint32_t queue;
	size_t i;

	queue = xe_exec_queue_create(self->fd, self->vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	ASSERT_NE(0u, queue);

	memset(&d, 0, sizeof(d));
	d.exec_queue_id = queue;
	d.pad = 1;
	EXPECT_EQ(-EINVAL, __xe_exec_queue_destroy(self->fd, &d));
	for (i = 0; i < ARRAY_SIZE(d.reserved); i++) {
		memset(&d, 0, sizeof(d));
		d.exec_queue_id = queue;
		d.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, __xe_exec_queue_destroy(self->fd, &d)) {
			TH_LOG("reserved[%zu]", i);
		}
	}

	EXPECT_EQ(-ENOENT, xe_exec_queue_destroy(self->fd, 0));
	EXPECT_EQ(-ENOENT, xe_exec_queue_destroy(self->fd, queue + 1000));
	EXPECT_EQ(-ENOENT, xe_exec_queue_destroy(self->fd, ~0u));

	/* Still there after the failures. */
	EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, queue));
	EXPECT_EQ(-ENOENT, xe_exec_queue_destroy(self->fd, queue));
}

/* Queue ids are per file. */
TEST_F(xe_exec_queue, other_file)
{
	uint32_t queue;
	int fd2;

	queue = xe_exec_queue_create(self->fd, self->vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	ASSERT_NE(0u, queue);
	fd2 = drm_open_driver_xe();
	ASSERT_GE(fd2, 0);

	EXPECT_EQ(-ENOENT, xe_exec_queue_banned(fd2, queue));
	EXPECT_EQ(-ENOENT, xe_exec_queue_destroy(fd2, queue));
	EXPECT_EQ(-ENOENT, xe_exec(fd2, queue, XE_CTX_BATCH_ADDR, NULL, 0));
	/* Nor is the VM known there. */
	EXPECT_EQ(0u, xe_exec_queue_create(fd2, self->vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	EXPECT_EQ(ENOENT, errno);

	close(fd2);
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, queue));
	EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, queue));
}

/* --- properties ------------------------------------------------------------ */

TEST_F(xe_exec_queue, get_property_invalid)
{
	struct drm_xe_user_extension ext = { .name = 0 };
	struct drm_xe_exec_queue_get_property p;
	const uint32_t props[] = { 1, 2, 0x100, ~0u };
	uint32_t queue;
	size_t i;

	queue = xe_exec_queue_create(self->fd, self->vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	ASSERT_NE(0u, queue);

#define GOOD_PROPERTY() do { \
		memset(&p, 0, sizeof(p)); \
		p.exec_queue_id = queue; \
		p.property = DRM_XE_EXEC_QUEUE_GET_PROPERTY_BAN; \
		p.value = 0x1234; \
	} while (0)

	GOOD_PROPERTY();
	EXPECT_EQ(0, __xe_exec_queue_get_property(self->fd, &p));
	EXPECT_EQ(0u, p.value);

	GOOD_PROPERTY();
	p.extensions = to_user_pointer(&ext);
	EXPECT_EQ(-EINVAL, __xe_exec_queue_get_property(self->fd, &p));
	for (i = 0; i < ARRAY_SIZE(p.reserved); i++) {
		GOOD_PROPERTY();
		p.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, __xe_exec_queue_get_property(self->fd, &p)) {
			TH_LOG("reserved[%zu]", i);
		}
	}
	for (i = 0; i < ARRAY_SIZE(props); i++) {
		GOOD_PROPERTY();
		p.property = props[i];
		EXPECT_EQ(-EINVAL, __xe_exec_queue_get_property(self->fd, &p)) {
			TH_LOG("property %u", props[i]);
		}
	}
	GOOD_PROPERTY();
	p.exec_queue_id = queue + 1000;
	EXPECT_EQ(-ENOENT, __xe_exec_queue_get_property(self->fd, &p));
	GOOD_PROPERTY();
	p.exec_queue_id = 0;
	EXPECT_EQ(-ENOENT, __xe_exec_queue_get_property(self->fd, &p));
#undef GOOD_PROPERTY

	EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, queue));
}

TEST_F(xe_exec_queue, priority)
{
	EXPECT_EQ(0, create_with(self, property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY,
						PRIORITY_LOW)));
	EXPECT_EQ(0, create_with(self, property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY,
						PRIORITY_NORMAL)));
	if (xe_has_cap(CAP_SYS_NICE)) {
		EXPECT_EQ(0, create_with(self, property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY,
							PRIORITY_HIGH)));
	} else {
		TH_LOG("without CAP_SYS_NICE: high priority not tried");
	}

	EXPECT_EQ(-EINVAL, create_with(self, property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY,
						      3)));
	EXPECT_EQ(-EINVAL, create_with(self, property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY,
						      0x100)));
	EXPECT_EQ(-EINVAL, create_with(self, property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY,
						      ~0ull)));
}

/* Jobs run on queues of every priority. */
TEST_F(xe_exec_queue, priority_exec)
{
	struct drm_xe_ext_set_property ext;
	struct xe_buf data, batch;
	uint32_t queue, prio;
	uint32_t *cs;

	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &data));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->vm, &data, DATA_ADDR, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &batch));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->vm, &batch, XE_CTX_BATCH_ADDR, 0));

	for (prio = PRIORITY_LOW; prio <= PRIORITY_HIGH; prio++) {
		if (prio == PRIORITY_HIGH && !xe_has_cap(CAP_SYS_NICE))
			break;
		ext = property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY, prio);
		queue = xe_exec_queue_create_placements(self->fd, self->vm, &self->compute, 1,
							to_user_pointer(&ext));
		ASSERT_NE(0u, queue) {
			TH_LOG("priority %u: %s", prio, strerror(errno));
		}
		cs = (uint32_t *)((char *)batch.ptr + prio * 64);
		cs = xe_emit_store_dword(cs, DATA_ADDR + prio * 4, 0x7000 + prio);
		xe_emit_bb_end(cs);
		EXPECT_EQ(0, xe_exec_wait(self->fd, queue, XE_CTX_BATCH_ADDR + prio * 64,
					  XE_TIMEOUT_NS));
		EXPECT_EQ(0x7000 + prio, xe_rd32(data.ptr, prio * 4));
		EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, queue));
	}

	xe_buf_destroy(self->fd, &data);
	xe_buf_destroy(self->fd, &batch);
}

/*
 * Without CAP_SYS_NICE, high priority is refused with -EPERM. The
 * capability is dropped in a child process; it reports through its exit
 * status which step failed.
 */
static const char * const no_cap_steps[] = {
	"the capability could not be dropped",
	"high priority was accepted",
	"high priority was refused with another error than -EPERM",
	"normal priority was refused",
	"priority 3 was not refused with -EINVAL",
};

TEST_F(xe_exec_queue, priority_needs_cap)
{
	int status, ret;
	pid_t pid;

	if (!xe_has_cap(CAP_SYS_NICE))
		SKIP(return, "CAP_SYS_NICE is needed to drop it");

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (xe_drop_cap(CAP_SYS_NICE) || xe_has_cap(CAP_SYS_NICE))
			_exit(10);
		ret = create_with(self, property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY,
						 PRIORITY_HIGH));
		if (ret != -EPERM)
			_exit(ret == 0 ? 11 : 12);
		ret = create_with(self, property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY,
						 PRIORITY_NORMAL));
		if (ret)
			_exit(13);
		ret = create_with(self, property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY, 3));
		if (ret != -EINVAL)
			_exit(14);
		_exit(0);
	}

	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("without CAP_SYS_NICE: %s",
		       WEXITSTATUS(status) < 10 || WEXITSTATUS(status) > 14 ? "?" :
		       no_cap_steps[WEXITSTATUS(status) - 10]);
	}
	/* The parent keeps its capability. */
	EXPECT_EQ(0, create_with(self, property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY,
						PRIORITY_HIGH)));
}

TEST_F(xe_exec_queue, timeslice)
{
	const uint64_t values[] = { 0, 1, 1000, 10000000, 0xffffffff };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(values); i++) {
		EXPECT_EQ(0, create_with(self, property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_TIMESLICE,
							values[i]))) {
			TH_LOG("timeslice %llu", (unsigned long long)values[i]);
		}
	}
}

/* Malformed extension records. */
TEST_F(xe_exec_queue, extensions_invalid)
{
	struct drm_xe_ext_set_property ext;
	struct drm_xe_exec_queue_create c;
	const uint32_t props[] = { 2, 3, 0x100, ~0u };
	size_t i;

	ext = property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY, PRIORITY_LOW);
	ext.base.name = 1;
	EXPECT_EQ(-EINVAL, create_with(self, ext));
	ext.base.name = ~0u;
	EXPECT_EQ(-EINVAL, create_with(self, ext));

	ext = property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY, PRIORITY_LOW);
	ext.base.pad = 1;
	EXPECT_EQ(-EINVAL, create_with(self, ext));

	ext = property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY, PRIORITY_LOW);
	ext.pad = 1;
	EXPECT_EQ(-EINVAL, create_with(self, ext));

	for (i = 0; i < ARRAY_SIZE(ext.reserved); i++) {
		ext = property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY, PRIORITY_LOW);
		ext.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, create_with(self, ext)) {
			TH_LOG("reserved[%zu]", i);
		}
	}

	for (i = 0; i < ARRAY_SIZE(props); i++) {
		EXPECT_EQ(-EINVAL, create_with(self, property(props[i], 0))) {
			TH_LOG("property %u", props[i]);
		}
	}

	/* Unreadable records, first or further down the list. */
	c = good_create(self);
	c.extensions = 8;
	EXPECT_EQ(-EFAULT, create_and_destroy(self->fd, c));
	ext = property(DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY, PRIORITY_LOW);
	ext.base.next_extension = 8;
	EXPECT_EQ(-EFAULT, create_with(self, ext));
}

/* Lists of extension records: up to 16 are read, a longer list (or a loop) fails. */
TEST_F(xe_exec_queue, extensions_chain)
{
	struct drm_xe_ext_set_property exts[17];
	struct drm_xe_exec_queue_create c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(exts); i++) {
		exts[i] = property(i & 1 ? DRM_XE_EXEC_QUEUE_SET_PROPERTY_TIMESLICE :
				   DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY, i & 1 ? 1000 : 0);
		if (i)
			exts[i - 1].base.next_extension = to_user_pointer(&exts[i]);
	}

	c = good_create(self);
	c.extensions = to_user_pointer(&exts[1]);
	EXPECT_EQ(0, create_and_destroy(self->fd, c));
	c.extensions = to_user_pointer(&exts[0]);
	EXPECT_EQ(-E2BIG, create_and_destroy(self->fd, c));

	/* A record pointing at itself. */
	exts[16].base.next_extension = to_user_pointer(&exts[16]);
	c.extensions = to_user_pointer(&exts[16]);
	EXPECT_EQ(-E2BIG, create_and_destroy(self->fd, c));

	/* A bad record at the end of an otherwise good list. */
	exts[16].base.next_extension = 0;
	exts[16].property = 0x42;
	c.extensions = to_user_pointer(&exts[2]);
	EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c));
}

/* --- VM_BIND queues ---------------------------------------------------------- */

TEST_F(xe_exec_queue, bind_queue)
{
	struct drm_xe_engine_class_instance eci = {
		.engine_class = DRM_XE_ENGINE_CLASS_VM_BIND,
	};
	struct drm_xe_exec_queue_create c;
	struct drm_xe_vm_bind_op op;
	struct xe_buf data;
	struct xe_ctx ctx;
	uint64_t addr = DATA_ADDR + 0x10;
	uint32_t value = 0xb1b1;

	/* The VM is not looked at. */
	c = good_create(self);
	c.instances = to_user_pointer(&eci);
	c.vm_id = 0;
	ASSERT_EQ(0, __xe_exec_queue_create(self->fd, &c));
	EXPECT_NE(0u, c.exec_queue_id);
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, c.exec_queue_id));
	EXPECT_EQ(-EINVAL, xe_exec(self->fd, c.exec_queue_id, XE_CTX_BATCH_ADDR, NULL, 0));

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &data));
	op = xe_bind_op_map(data.handle, 0, DATA_ADDR, SZ_4K, 0);
	ASSERT_EQ(0, xe_vm_bind_ops(self->fd, ctx.vm, c.exec_queue_id, &op, 1, NULL, 0));
	ASSERT_EQ(0, xe_ctx_store(&ctx, &addr, &value, 1));
	EXPECT_EQ(0xb1b1u, xe_rd32(data.ptr, 0x10));

	EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, c.exec_queue_id));
	op = xe_bind_op_unmap(DATA_ADDR, SZ_4K);
	EXPECT_EQ(-ENOENT, xe_vm_bind_ops(self->fd, ctx.vm, c.exec_queue_id, &op, 1, NULL, 0));

	c = good_create(self);
	c.instances = to_user_pointer(&eci);
	c.vm_id = 0x1000;
	EXPECT_EQ(0, create_and_destroy(self->fd, c));

	xe_buf_destroy(self->fd, &data);
	xe_ctx_fini(&ctx);
}

TEST_F(xe_exec_queue, bind_queue_invalid)
{
	struct drm_xe_engine_class_instance eci[2] = {
		{ .engine_class = DRM_XE_ENGINE_CLASS_VM_BIND },
		{ .engine_class = DRM_XE_ENGINE_CLASS_VM_BIND },
	};
	struct drm_xe_exec_queue_create c;

	c = good_create(self);
	c.instances = to_user_pointer(eci);
	c.num_placements = 2;
	EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c));

	eci[0].engine_instance = 1;
	c.num_placements = 1;
	EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c));

	eci[0].engine_instance = 0;
	c.width = 2;
	EXPECT_EQ(-EINVAL, create_and_destroy(self->fd, c));
}

/* --- bans and destruction ---------------------------------------------------- */

TEST_F(xe_exec_queue, ban_property)
{
	struct xe_ctx ctx, other;
	uint32_t *cs;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, self->vm, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_ctx_init(self->fd, &other, self->vm, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, ctx.queue));

	/* A good job does not change it. */
	xe_emit_bb_end(xe_ctx_cs(&ctx, 0));
	EXPECT_EQ(0, xe_ctx_run(&ctx));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, ctx.queue));

	cs = xe_ctx_cs(&ctx, 0);
	*cs++ = 0xdeadbeef;
	xe_emit_bb_end(cs);
	EXPECT_GT(0, xe_ctx_run(&ctx));
	EXPECT_EQ(1, xe_wait_banned(self->fd, ctx.queue, XE_TIMEOUT_NS));
	/* For good. */
	usleep(100000);
	EXPECT_EQ(1, xe_exec_queue_banned(self->fd, ctx.queue));

	/* Another queue of the same VM and engine is not affected. */
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, other.queue));
	xe_emit_bb_end(xe_ctx_cs(&other, 0));
	EXPECT_EQ(0, xe_ctx_run(&other));

	xe_ctx_fini(&other);
	xe_ctx_fini(&ctx);
}

/* A batch at offset of ctx that runs for a while: count increments at addr. */
static void long_batch(struct xe_ctx *ctx, uint64_t offset, uint64_t addr, unsigned int count)
{
	uint32_t *cs = xe_ctx_cs(ctx, offset);
	unsigned int i;

	for (i = 0; i < count; i++)
		cs = xe_emit_atomic(cs, ATOMIC_INC, addr);
	xe_emit_bb_end(cs);
}

#define LONG_COUNT	32768u
#define LONG_JOBS	16u

/*
 * Destroying a queue with a running job and more queued stops them: the
 * fences of all of them signal soon, with not all the work done, and the
 * device keeps working.
 */
TEST_F_TIMEOUT(xe_exec_queue, destroy_busy, 120)
{
	struct drm_xe_sync sync;
	struct xe_ctx ctx, other;
	struct xe_buf data;
	uint32_t syncobj;
	unsigned int i;
	int64_t start;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, self->vm, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &data));
	ASSERT_EQ(0, xe_buf_bind(self->fd, self->vm, &data, DATA_ADDR, 0));
	syncobj = syncobj_create(self->fd, 0);
	ASSERT_NE(0u, syncobj);

	long_batch(&ctx, 0, DATA_ADDR, LONG_COUNT);
	for (i = 0; i < LONG_JOBS; i++) {
		sync = xe_sync_syncobj(syncobj, true);
		ASSERT_EQ(0, xe_exec(self->fd, ctx.queue, ctx.batch.addr, &sync,
				     i == LONG_JOBS - 1));
	}
	start = xe_now_ns();
	ASSERT_EQ(0, xe_exec_queue_destroy(self->fd, ctx.queue));
	ctx.queue = 0;

	ASSERT_EQ(0, syncobj_wait(self->fd, &syncobj, 1, XE_TIMEOUT_NS, 0));
	TH_LOG("last fence signalled %lld ms after the destroy, %u of %u increments done",
	       (long long)(xe_now_ns() - start) / 1000000, xe_rd32(data.ptr, 0),
	       LONG_COUNT * LONG_JOBS);
	EXPECT_GT(LONG_COUNT * LONG_JOBS, xe_rd32(data.ptr, 0));
	/*
	 * The fence outlives its queue and still names its timeline (a
	 * sync_file reads the name): it must not read freed memory.
	 */
	EXPECT_EQ(-ECANCELED, syncobj_fence_status(self->fd, syncobj));

	/* The count stays where it is: nothing runs any more. */
	i = xe_rd32(data.ptr, 0);
	usleep(200000);
	EXPECT_EQ(i, xe_rd32(data.ptr, 0));

	/* A new queue on the same engine runs. */
	ASSERT_EQ(0, xe_ctx_init(self->fd, &other, self->vm, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	long_batch(&other, 0, DATA_ADDR + 8, 10);
	EXPECT_EQ(0, xe_ctx_run(&other));
	EXPECT_EQ(10u, xe_rd32(data.ptr, 8));
	xe_ctx_fini(&other);

	EXPECT_EQ(0, syncobj_destroy(self->fd, syncobj));
	xe_buf_destroy(self->fd, &data);
	xe_ctx_fini(&ctx);
}

/* Destroying the VM under a queue: the queue can no longer run jobs. */
TEST_F(xe_exec_queue, vm_destroyed)
{
	struct xe_ctx ctx;
	uint32_t queue;
	int ret;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	xe_emit_bb_end(xe_ctx_cs(&ctx, 0));
	ASSERT_EQ(0, xe_ctx_run(&ctx));

	queue = ctx.queue;
	ASSERT_EQ(0, xe_vm_destroy(self->fd, ctx.vm));
	ctx.own_vm = false;
	ret = xe_exec(self->fd, queue, ctx.batch.addr, NULL, 0);
	EXPECT_GT(0, ret);
	EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, queue));
	ctx.queue = 0;
	ctx.batch.addr = 0;
	xe_ctx_fini(&ctx);
}

TEST_HARNESS_MAIN
