// SPDX-License-Identifier: GPL-2.0-only
/*
 * DRM_IOCTL_XE_DEVICE_QUERY: argument checking, the two-step size protocol
 * and the contents of every query the driver answers.
 *
 * The harness's EXPECT_*() and ASSERT_*() macros expand to two statements,
 * so they are always braced when they form the body of an if, else or for.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>

#include "kselftest_harness.h"
#include "xe_ioctl.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif

#define POISON 0xa5

/* Queries the driver answers; HWCONFIG has an empty reply. */
static const uint32_t answered[] = {
	DRM_XE_DEVICE_QUERY_ENGINES,
	DRM_XE_DEVICE_QUERY_MEM_REGIONS,
	DRM_XE_DEVICE_QUERY_CONFIG,
	DRM_XE_DEVICE_QUERY_GT_LIST,
	DRM_XE_DEVICE_QUERY_HWCONFIG,
	DRM_XE_DEVICE_QUERY_GT_TOPOLOGY,
	DRM_XE_DEVICE_QUERY_ENGINE_CYCLES,
	DRM_XE_DEVICE_QUERY_UC_FW_VERSION,
	DRM_XE_DEVICE_QUERY_OA_UNITS,
};

/* Queries with a non-empty reply. */
static const uint32_t with_data[] = {
	DRM_XE_DEVICE_QUERY_ENGINES,
	DRM_XE_DEVICE_QUERY_MEM_REGIONS,
	DRM_XE_DEVICE_QUERY_CONFIG,
	DRM_XE_DEVICE_QUERY_GT_LIST,
	DRM_XE_DEVICE_QUERY_GT_TOPOLOGY,
	DRM_XE_DEVICE_QUERY_OA_UNITS,
};

static int query(int fd, uint32_t id, uint32_t size, void *data)
{
	struct drm_xe_device_query q = {
		.query = id,
		.size = size,
		.data = to_user_pointer(data),
	};

	return __xe_query(fd, &q);
}

static bool all_zero(const void *p, size_t len)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (c[i])
			return false;
	return true;
}

static bool all_poison(const void *p, size_t len)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (c[i] != POISON)
			return false;
	return true;
}

static bool perfmon_capable(void)
{
	return xe_has_cap(CAP_PERFMON) || xe_has_cap(CAP_SYS_ADMIN);
}

FIXTURE(xe_query) {
	int fd;
};

FIXTURE_SETUP(xe_query)
{
	self->fd = drm_open_driver_xe();
	if (self->fd < 0 && !xe_devices_expected())
		SKIP(return, "no xe device found");
	ASSERT_GE(self->fd, 0) {
		TH_LOG("xe is loaded but no device could be opened: %s", strerror(errno));
	}
}

FIXTURE_TEARDOWN(xe_query)
{
	close(self->fd);
}

/* Every xe card is named "xe", answers queries and has a render node. */
TEST_F(xe_query, devices)
{
	int count = xe_count_devices();
	long long wanted;
	int i;

	ASSERT_GE(count, 1);
	TH_LOG("%d xe device(s)", count);

	for (i = 0; i < count; i++) {
		struct drm_xe_query_config *config;
		char name[32];
		int fd;

		fd = drm_open_driver_xe_nth(i);
		ASSERT_GE(fd, 0);
		ASSERT_EQ(0, xe_driver_name(fd, name, sizeof(name)));
		EXPECT_STREQ(XE_DRIVER_NAME, name);

		config = xe_get_config(fd);
		ASSERT_NE(NULL, config);
		EXPECT_GE(config->num_params, 1u);
		EXPECT_NE(0u, config->info[DRM_XE_QUERY_CONFIG_REV_AND_DEVICE_ID] & 0xffff);
		free(config);
		close(fd);
	}

	EXPECT_EQ(count, xe_count_render_nodes());

	/* All devices the module was asked for are there. */
	if (!xe_module_param("num_devices", &wanted)) {
		EXPECT_EQ(wanted, count);
	}
}

/* The render node answers the same queries as the primary node. */
TEST_F(xe_query, render_node)
{
	struct drm_xe_query_mem_regions *regions;
	struct drm_xe_query_engines *engines;
	struct drm_xe_query_config *a, *b;
	uint32_t size_a, size_b;
	int rfd;

	rfd = drm_open_render_xe();
	ASSERT_GE(rfd, 0);
	ASSERT_TRUE(xe_is_xe_device(rfd));

	a = xe_query_alloc(self->fd, DRM_XE_DEVICE_QUERY_CONFIG, &size_a);
	b = xe_query_alloc(rfd, DRM_XE_DEVICE_QUERY_CONFIG, &size_b);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	EXPECT_EQ(size_a, size_b);
	EXPECT_EQ(a->num_params, b->num_params);
	EXPECT_EQ(a->info[DRM_XE_QUERY_CONFIG_VA_BITS], b->info[DRM_XE_QUERY_CONFIG_VA_BITS]);
	free(a);
	free(b);

	engines = xe_get_engines(rfd);
	ASSERT_NE(NULL, engines);
	EXPECT_GE(engines->num_engines, 2u);
	free(engines);

	regions = xe_get_mem_regions(rfd);
	ASSERT_NE(NULL, regions);
	EXPECT_EQ(2u, regions->num_mem_regions);
	free(regions);
	close(rfd);
}

TEST_F(xe_query, invalid_extensions)
{
	struct drm_xe_user_extension ext = { .name = 0 };
	uint64_t values[] = { to_user_pointer(&ext), 1, 0xdeadbeef000ull, ~0ull };
	struct drm_xe_device_query q;
	uint32_t size;
	void *buf;
	size_t i;

	ASSERT_EQ(0, __xe_query_size(self->fd, DRM_XE_DEVICE_QUERY_CONFIG, &size));
	buf = calloc(1, size);
	ASSERT_NE(NULL, buf);

	for (i = 0; i < ARRAY_SIZE(values); i++) {
		memset(&q, 0, sizeof(q));
		q.extensions = values[i];
		q.query = DRM_XE_DEVICE_QUERY_CONFIG;
		EXPECT_EQ(-EINVAL, __xe_query(self->fd, &q));

		q.size = size;
		q.data = to_user_pointer(buf);
		EXPECT_EQ(-EINVAL, __xe_query(self->fd, &q));
	}
	free(buf);
}

TEST_F(xe_query, invalid_reserved)
{
	struct drm_xe_device_query q;
	uint32_t size;
	void *buf;
	int i;

	ASSERT_EQ(0, __xe_query_size(self->fd, DRM_XE_DEVICE_QUERY_ENGINES, &size));
	buf = calloc(1, size);
	ASSERT_NE(NULL, buf);

	for (i = 0; i < 2; i++) {
		/* size probe */
		memset(&q, 0, sizeof(q));
		q.query = DRM_XE_DEVICE_QUERY_ENGINES;
		q.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, __xe_query(self->fd, &q));

		/* full query */
		q.reserved[i] = ~0ull;
		q.size = size;
		q.data = to_user_pointer(buf);
		EXPECT_EQ(-EINVAL, __xe_query(self->fd, &q));
	}

	/* The same request with the reserved fields cleared is fine. */
	memset(&q, 0, sizeof(q));
	q.query = DRM_XE_DEVICE_QUERY_ENGINES;
	q.size = size;
	q.data = to_user_pointer(buf);
	EXPECT_EQ(0, __xe_query(self->fd, &q));
	free(buf);
}

/* Query ids past the last known one. */
TEST_F(xe_query, invalid_query)
{
	uint32_t ids[] = {
		DRM_XE_DEVICE_QUERY_PXP_STATUS, DRM_XE_DEVICE_QUERY_EU_STALL, 11, 0x100,
		0x7fffffff, 0x80000000, 0xffffffff,
	};
	static char buf[4096];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		EXPECT_EQ(-EINVAL, query(self->fd, ids[i], 0, NULL)) {
			TH_LOG("query %#x", ids[i]);
		}
		EXPECT_EQ(-EINVAL, query(self->fd, ids[i], sizeof(buf), buf)) {
			TH_LOG("query %#x with a buffer", ids[i]);
		}
	}
}

/* Known query ids the driver does not implement. */
TEST_F(xe_query, unsupported_query)
{
	static const struct {
		uint32_t id;
		uint32_t size;
	} ids[] = {
		{ DRM_XE_DEVICE_QUERY_PXP_STATUS, 4096 },
	};
	static char buf[4096];
	size_t i;

	memset(buf, 0, sizeof(buf));
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		EXPECT_EQ(-EINVAL, query(self->fd, ids[i].id, 0, NULL)) {
			TH_LOG("query %u", ids[i].id);
		}
		EXPECT_EQ(-EINVAL, query(self->fd, ids[i].id, ids[i].size, buf)) {
			TH_LOG("query %u with a buffer", ids[i].id);
		}
	}
}

/* size == 0 returns the needed size, the same every time, and nothing else. */
TEST_F(xe_query, size_probe)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(answered); i++) {
		struct drm_xe_device_query q = { .query = answered[i] };
		uint32_t first;

		ASSERT_EQ(0, __xe_query(self->fd, &q));
		first = q.size;
		if (answered[i] == DRM_XE_DEVICE_QUERY_HWCONFIG) {
			EXPECT_EQ(0u, first);
		} else {
			EXPECT_GT(first, 0u);
		}
		EXPECT_EQ(0u, q.extensions);
		EXPECT_EQ(answered[i], q.query);
		EXPECT_EQ(0u, q.data);
		EXPECT_EQ(0u, q.reserved[0]);
		EXPECT_EQ(0u, q.reserved[1]);

		q.size = 0;
		ASSERT_EQ(0, __xe_query(self->fd, &q));
		EXPECT_EQ(first, q.size);
	}
}

/* A non-zero size other than the needed one is refused and nothing is written. */
TEST_F(xe_query, size_mismatch)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(answered); i++) {
		uint32_t need, sizes[5];
		unsigned char *buf;

		ASSERT_EQ(0, __xe_query_size(self->fd, answered[i], &need));
		sizes[0] = 1;
		sizes[1] = need ? need - 1 : 8;
		sizes[2] = need + 1;
		sizes[3] = need + 8;
		sizes[4] = need + 4096;

		buf = malloc(need + 4096);
		ASSERT_NE(NULL, buf);
		for (j = 0; j < ARRAY_SIZE(sizes); j++) {
			if (!sizes[j])
				continue;
			memset(buf, POISON, need + 4096);
			EXPECT_EQ(-EINVAL, query(self->fd, answered[i], sizes[j], buf)) {
				TH_LOG("query %u, size %u (needs %u)", answered[i], sizes[j], need);
			}
			EXPECT_TRUE(all_poison(buf, need + 4096));
		}
		free(buf);
	}
}

/* Reply buffers the kernel cannot write to give -EFAULT. */
TEST_F(xe_query, bad_pointer)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(with_data); i++) {
		uint32_t need;
		size_t len;
		char *map;

		ASSERT_EQ(0, __xe_query_size(self->fd, with_data[i], &need));
		len = ((need + page - 1) / page) * page;

		/* NULL and a kernel address */
		EXPECT_EQ(-EFAULT, query(self->fd, with_data[i], need, NULL));
		EXPECT_EQ(-EFAULT, query(self->fd, with_data[i], need,
					 from_user_pointer(0xffff888000000000ull)));

		/* read-only memory */
		map = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, map);
		EXPECT_EQ(-EFAULT, query(self->fd, with_data[i], need, map));
		EXPECT_EQ(0, munmap(map, len));

		/* memory that is no longer mapped */
		map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, map);
		ASSERT_EQ(0, munmap(map, len));
		EXPECT_EQ(-EFAULT, query(self->fd, with_data[i], need, map));

		/* a buffer whose last byte lies on an unmapped page */
		map = mmap(NULL, len + page, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, map);
		ASSERT_EQ(0, munmap(map + len, page));
		EXPECT_EQ(-EFAULT, query(self->fd, with_data[i], need, map + len - need + 1));
		EXPECT_EQ(0, munmap(map, len));
	}
}

/* The device has no OA unit: the reply is the header alone, zeroed. */
TEST_F(xe_query, oa_units)
{
	struct drm_xe_query_oa_units oa;
	uint32_t size;

	ASSERT_EQ(0, __xe_query_size(self->fd, DRM_XE_DEVICE_QUERY_OA_UNITS, &size));
	ASSERT_EQ(sizeof(oa), size);
	memset(&oa, POISON, sizeof(oa));
	ASSERT_EQ(0, query(self->fd, DRM_XE_DEVICE_QUERY_OA_UNITS, size, &oa));
	EXPECT_TRUE(all_zero(&oa, sizeof(oa)));
}

TEST_F(xe_query, engines)
{
	struct drm_xe_query_engines *engines;
	unsigned int copy = 0, compute = 0;
	uint32_t size, i, j;

	engines = xe_query_alloc(self->fd, DRM_XE_DEVICE_QUERY_ENGINES, &size);
	ASSERT_NE(NULL, engines);
	ASSERT_GE(size, sizeof(*engines));
	EXPECT_EQ(size, sizeof(*engines) + engines->num_engines * sizeof(engines->engines[0]));
	EXPECT_EQ(0u, engines->pad);
	ASSERT_GE(engines->num_engines, 2u);

	for (i = 0; i < engines->num_engines; i++) {
		const struct drm_xe_engine *e = &engines->engines[i];
		const struct drm_xe_engine_class_instance *ci = &e->instance;

		TH_LOG("%s%u: class %u instance %u gt %u", xe_engine_class_name(ci->engine_class),
		       ci->engine_instance, ci->engine_class, ci->engine_instance, ci->gt_id);
		EXPECT_LE(ci->engine_class, DRM_XE_ENGINE_CLASS_COMPUTE);
		EXPECT_EQ(0u, ci->gt_id);
		EXPECT_EQ(0u, ci->pad);
		EXPECT_TRUE(all_zero(e->reserved, sizeof(e->reserved)));

		if (ci->engine_class == DRM_XE_ENGINE_CLASS_COPY)
			copy++;
		if (ci->engine_class == DRM_XE_ENGINE_CLASS_COMPUTE)
			compute++;

		for (j = 0; j < i; j++) {
			const struct drm_xe_engine_class_instance *o;

			o = &engines->engines[j].instance;
			EXPECT_FALSE(o->engine_class == ci->engine_class &&
				     o->engine_instance == ci->engine_instance &&
				     o->gt_id == ci->gt_id) {
				TH_LOG("entries %u and %u name the same engine", j, i);
			}
		}
	}

	EXPECT_GE(copy, 1u);
	EXPECT_GE(compute, 1u);
	free(engines);
}

TEST_F(xe_query, mem_regions)
{
	const struct drm_xe_mem_region *sys, *vram;
	struct drm_xe_query_mem_regions *regions;
	long long vram_mb;
	uint32_t size;

	regions = xe_query_alloc(self->fd, DRM_XE_DEVICE_QUERY_MEM_REGIONS, &size);
	ASSERT_NE(NULL, regions);
	ASSERT_GE(size, sizeof(*regions));
	EXPECT_EQ(size, sizeof(*regions) +
			regions->num_mem_regions * sizeof(regions->mem_regions[0]));
	EXPECT_EQ(0u, regions->pad);
	ASSERT_EQ(2u, regions->num_mem_regions);

	sys = xe_find_region(regions, DRM_XE_MEM_REGION_CLASS_SYSMEM);
	vram = xe_find_region(regions, DRM_XE_MEM_REGION_CLASS_VRAM);
	ASSERT_NE(NULL, sys);
	ASSERT_NE(NULL, vram);

	EXPECT_EQ(0u, sys->instance);
	EXPECT_EQ(4096u, sys->min_page_size);
	EXPECT_GT(sys->total_size, 0u);
	EXPECT_LE(sys->used, sys->total_size);
	EXPECT_EQ(0u, sys->cpu_visible_size);
	EXPECT_EQ(0u, sys->cpu_visible_used);
	EXPECT_TRUE(all_zero(sys->reserved, sizeof(sys->reserved)));

	EXPECT_EQ(1u, vram->instance);
	EXPECT_EQ(4096u, vram->min_page_size);
	EXPECT_GT(vram->total_size, 0u);
	EXPECT_EQ(0u, vram->total_size % SZ_1M);
	EXPECT_EQ(vram->total_size, vram->cpu_visible_size);
	EXPECT_LE(vram->used, vram->total_size);
	EXPECT_LE(vram->cpu_visible_used, vram->cpu_visible_size);
	EXPECT_TRUE(all_zero(vram->reserved, sizeof(vram->reserved)));

	if (!xe_module_param("vram_size_mb", &vram_mb)) {
		EXPECT_EQ((uint64_t)vram_mb * SZ_1M, vram->total_size);
	} else {
		TH_LOG("vram_size_mb parameter not readable, size not compared");
	}

	free(regions);
}

/* Privileged callers see VRAM usage that accounts for a new VRAM object. */
TEST_F(xe_query, mem_usage)
{
	const uint64_t bo_size = SZ_1M;
	struct drm_xe_query_mem_regions *regions;
	const struct drm_xe_mem_region *vram;
	uint32_t handle, vram_mask;

	if (!perfmon_capable())
		SKIP(return, "needs CAP_PERFMON or CAP_SYS_ADMIN");

	vram_mask = xe_region_mask(self->fd, DRM_XE_MEM_REGION_CLASS_VRAM);
	ASSERT_NE(0u, vram_mask);
	handle = xe_bo_create(self->fd, bo_size, vram_mask, DRM_XE_GEM_CPU_CACHING_WC);
	ASSERT_NE(0u, handle);

	regions = xe_get_mem_regions(self->fd);
	ASSERT_NE(NULL, regions);
	vram = xe_find_region(regions, DRM_XE_MEM_REGION_CLASS_VRAM);
	ASSERT_NE(NULL, vram);
	EXPECT_GE(vram->used, bo_size);
	EXPECT_LE(vram->used, vram->total_size);
	EXPECT_GE(vram->cpu_visible_used, bo_size);
	EXPECT_LE(vram->cpu_visible_used, vram->cpu_visible_size);
	free(regions);

	EXPECT_EQ(0, gem_close(self->fd, handle));
}

/* Without CAP_PERFMON and CAP_SYS_ADMIN the usage fields read zero. */
TEST_F(xe_query, mem_usage_unprivileged)
{
	struct drm_xe_query_mem_regions *regions;
	uint32_t handle, vram_mask, i;

	vram_mask = xe_region_mask(self->fd, DRM_XE_MEM_REGION_CLASS_VRAM);
	ASSERT_NE(0u, vram_mask);
	handle = xe_bo_create(self->fd, SZ_1M, vram_mask, DRM_XE_GEM_CPU_CACHING_WC);
	ASSERT_NE(0u, handle);

	ASSERT_EQ(0, xe_drop_cap(CAP_PERFMON));
	ASSERT_EQ(0, xe_drop_cap(CAP_SYS_ADMIN));
	ASSERT_FALSE(perfmon_capable());

	regions = xe_get_mem_regions(self->fd);
	ASSERT_NE(NULL, regions);
	for (i = 0; i < regions->num_mem_regions; i++) {
		EXPECT_EQ(0u, regions->mem_regions[i].used);
		EXPECT_EQ(0u, regions->mem_regions[i].cpu_visible_used);
		EXPECT_GT(regions->mem_regions[i].total_size, 0u);
	}
	free(regions);

	EXPECT_EQ(0, gem_close(self->fd, handle));
}

TEST_F(xe_query, config)
{
	const uint64_t known_flags = DRM_XE_QUERY_CONFIG_FLAG_HAS_VRAM |
				     DRM_XE_QUERY_CONFIG_FLAG_HAS_LOW_LATENCY |
				     DRM_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR;
	struct drm_xe_query_config *config;
	uint64_t id, flags;
	uint32_t size;

	config = xe_query_alloc(self->fd, DRM_XE_DEVICE_QUERY_CONFIG, &size);
	ASSERT_NE(NULL, config);
	ASSERT_GE(size, sizeof(*config));
	EXPECT_EQ(size, sizeof(*config) + config->num_params * sizeof(config->info[0]));
	EXPECT_EQ(0u, config->pad);
	ASSERT_EQ(5u, config->num_params);

	id = config->info[DRM_XE_QUERY_CONFIG_REV_AND_DEVICE_ID];
	TH_LOG("device id %#llx, revision %llu", (unsigned long long)(id & 0xffff),
	       (unsigned long long)((id >> 16) & 0xff));
	EXPECT_NE(0u, id & 0xffff);
	EXPECT_EQ(0u, id >> 24);

	flags = config->info[DRM_XE_QUERY_CONFIG_FLAGS];
	EXPECT_NE(0u, flags & DRM_XE_QUERY_CONFIG_FLAG_HAS_VRAM);
	EXPECT_NE(0u, flags & DRM_XE_QUERY_CONFIG_FLAG_HAS_LOW_LATENCY);
	EXPECT_NE(0u, flags & DRM_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR);
	EXPECT_EQ(0u, flags & ~known_flags);

	EXPECT_EQ(4096u, config->info[DRM_XE_QUERY_CONFIG_MIN_ALIGNMENT]);
	EXPECT_EQ(48u, config->info[DRM_XE_QUERY_CONFIG_VA_BITS]);
	EXPECT_EQ(xe_has_cap(CAP_SYS_NICE) ? 2u : 1u,
		  config->info[DRM_XE_QUERY_CONFIG_MAX_EXEC_QUEUE_PRIORITY]);
	free(config);
}

/* The reported maximum priority follows CAP_SYS_NICE of the caller. */
TEST_F(xe_query, config_priority_unprivileged)
{
	struct drm_xe_query_config *config;

	ASSERT_EQ(0, xe_drop_cap(CAP_SYS_NICE));
	ASSERT_FALSE(xe_has_cap(CAP_SYS_NICE));

	config = xe_get_config(self->fd);
	ASSERT_NE(NULL, config);
	ASSERT_GT(config->num_params, (uint32_t)DRM_XE_QUERY_CONFIG_MAX_EXEC_QUEUE_PRIORITY);
	EXPECT_EQ(1u, config->info[DRM_XE_QUERY_CONFIG_MAX_EXEC_QUEUE_PRIORITY]);
	free(config);
}

TEST_F(xe_query, gt_list)
{
	const struct drm_xe_mem_region *sys, *vram;
	struct drm_xe_query_mem_regions *regions;
	struct drm_xe_query_gt_list *gts;
	const struct drm_xe_gt *gt;
	uint32_t size;

	gts = xe_query_alloc(self->fd, DRM_XE_DEVICE_QUERY_GT_LIST, &size);
	ASSERT_NE(NULL, gts);
	ASSERT_GE(size, sizeof(*gts));
	EXPECT_EQ(size, sizeof(*gts) + gts->num_gt * sizeof(gts->gt_list[0]));
	EXPECT_EQ(0u, gts->pad);
	ASSERT_EQ(1u, gts->num_gt);

	gt = &gts->gt_list[0];
	TH_LOG("gt%u: type %u tile %u clock %u Hz near %#llx far %#llx ip %u.%u.%u",
	       gt->gt_id, gt->type, gt->tile_id, gt->reference_clock,
	       (unsigned long long)gt->near_mem_regions,
	       (unsigned long long)gt->far_mem_regions,
	       gt->ip_ver_major, gt->ip_ver_minor, gt->ip_ver_rev);
	EXPECT_EQ(DRM_XE_QUERY_GT_TYPE_MAIN, gt->type);
	EXPECT_EQ(0u, gt->tile_id);
	EXPECT_EQ(0u, gt->gt_id);
	EXPECT_TRUE(all_zero(gt->pad, sizeof(gt->pad)));
	EXPECT_GT(gt->reference_clock, 0u);
	EXPECT_EQ(1ull << 1, gt->near_mem_regions);
	EXPECT_EQ(1ull << 0, gt->far_mem_regions);
	EXPECT_EQ(20u, gt->ip_ver_major);
	EXPECT_EQ(0u, gt->pad2);
	EXPECT_TRUE(all_zero(gt->reserved, sizeof(gt->reserved)));

	/* The masks agree with the region list. */
	regions = xe_get_mem_regions(self->fd);
	ASSERT_NE(NULL, regions);
	sys = xe_find_region(regions, DRM_XE_MEM_REGION_CLASS_SYSMEM);
	vram = xe_find_region(regions, DRM_XE_MEM_REGION_CLASS_VRAM);
	ASSERT_NE(NULL, sys);
	ASSERT_NE(NULL, vram);
	EXPECT_EQ(1ull << vram->instance, gt->near_mem_regions);
	EXPECT_EQ(1ull << sys->instance, gt->far_mem_regions);
	free(regions);
	free(gts);
}

/* The hardware config table is empty: probing gives 0, querying 0 bytes works. */
TEST_F(xe_query, hwconfig)
{
	struct drm_xe_device_query q = { .query = DRM_XE_DEVICE_QUERY_HWCONFIG };
	unsigned char buf[64];

	ASSERT_EQ(0, __xe_query(self->fd, &q));
	EXPECT_EQ(0u, q.size);

	/* with a buffer: size 0 still means "nothing to copy" */
	memset(buf, POISON, sizeof(buf));
	q.size = 0;
	q.data = to_user_pointer(buf);
	EXPECT_EQ(0, __xe_query(self->fd, &q));
	EXPECT_EQ(0u, q.size);
	EXPECT_TRUE(all_poison(buf, sizeof(buf)));
}

/* One record per kind of unit, packed, each with a non-empty mask; SIMD16 EUs only (Xe2). */
TEST_F(xe_query, topology)
{
	unsigned int seen = 0;
	uint32_t size, pos = 0;
	unsigned char *buf;

	buf = xe_query_alloc(self->fd, DRM_XE_DEVICE_QUERY_GT_TOPOLOGY, &size);
	ASSERT_NE(NULL, buf);
	while (pos < size) {
		struct drm_xe_query_topology_mask *topo = (void *)(buf + pos);
		unsigned int bits = 0;
		uint32_t i;

		ASSERT_LE(pos + sizeof(*topo), size);
		ASSERT_LE(pos + sizeof(*topo) + topo->num_bytes, size);
		EXPECT_EQ(0, topo->gt_id);
		ASSERT_GE(topo->type, DRM_XE_TOPO_DSS_GEOMETRY);
		ASSERT_LE(topo->type, DRM_XE_TOPO_SIMD16_EU_PER_DSS);
		EXPECT_EQ(0u, seen & (1u << topo->type));
		seen |= 1u << topo->type;
		for (i = 0; i < topo->num_bytes; i++)
			bits += __builtin_popcount(topo->mask[i]);
		EXPECT_GT(bits, 0u);
		pos += sizeof(*topo) + topo->num_bytes;
	}
	EXPECT_EQ(size, pos);
	EXPECT_EQ((1u << DRM_XE_TOPO_DSS_GEOMETRY) | (1u << DRM_XE_TOPO_DSS_COMPUTE) |
		  (1u << DRM_XE_TOPO_L3_BANK) | (1u << DRM_XE_TOPO_SIMD16_EU_PER_DSS), seen);
	free(buf);
}

static int uc_fw_version(int fd, struct drm_xe_query_uc_fw_version *v)
{
	return query(fd, DRM_XE_DEVICE_QUERY_UC_FW_VERSION, sizeof(*v), v);
}

/* The GuC role has a version; there is no HuC; input fields are checked. */
TEST_F(xe_query, uc_fw_version)
{
	struct drm_xe_query_uc_fw_version v = { .uc_type = XE_QUERY_UC_TYPE_GUC_SUBMISSION };

	ASSERT_EQ(0, uc_fw_version(self->fd, &v));
	EXPECT_TRUE(v.major_ver > 0 || v.minor_ver > 0);
	EXPECT_EQ(0u, v.pad2);
	EXPECT_EQ(0u, v.reserved);

	memset(&v, 0, sizeof(v));
	v.uc_type = XE_QUERY_UC_TYPE_HUC;
	EXPECT_EQ(-ENODEV, uc_fw_version(self->fd, &v));

	memset(&v, 0, sizeof(v));
	v.uc_type = 7;
	EXPECT_EQ(-EINVAL, uc_fw_version(self->fd, &v));

	memset(&v, 0, sizeof(v));
	v.pad = 1;
	EXPECT_EQ(-EINVAL, uc_fw_version(self->fd, &v));
	v.pad = 0;
	v.pad2 = 1;
	EXPECT_EQ(-EINVAL, uc_fw_version(self->fd, &v));
	v.pad2 = 0;
	v.reserved = 1;
	EXPECT_EQ(-EINVAL, uc_fw_version(self->fd, &v));

	EXPECT_EQ(-EFAULT, query(self->fd, DRM_XE_DEVICE_QUERY_UC_FW_VERSION, sizeof(v), NULL));
}

static int engine_cycles(int fd, struct drm_xe_query_engine_cycles *c)
{
	return query(fd, DRM_XE_DEVICE_QUERY_ENGINE_CYCLES, sizeof(*c), c);
}

/*
 * The engine timestamp advances at the GT's reference clock: over a
 * sleep, its delta agrees with the CPU clock's to well under 1%.
 */
TEST_F(xe_query, engine_cycles)
{
	struct drm_xe_query_engines *engines = xe_get_engines(self->fd);
	struct drm_xe_query_gt_list *gts = xe_get_gt_list(self->fd);
	struct drm_xe_query_engine_cycles a = {}, b;
	double cpu_ns, gt_ns;

	ASSERT_NE(NULL, engines);
	ASSERT_NE(NULL, gts);
	a.eci = engines->engines[0].instance;
	a.clockid = CLOCK_MONOTONIC;
	b = a;
	ASSERT_EQ(0, engine_cycles(self->fd, &a));
	usleep(200 * 1000);
	ASSERT_EQ(0, engine_cycles(self->fd, &b));
	EXPECT_EQ(64u, a.width);
	EXPECT_GT(b.engine_cycles, a.engine_cycles);
	EXPECT_GT(b.cpu_timestamp, a.cpu_timestamp);
	cpu_ns = (double)(b.cpu_timestamp - a.cpu_timestamp);
	gt_ns = (double)(b.engine_cycles - a.engine_cycles) * 1e9 /
		gts->gt_list[0].reference_clock;
	EXPECT_LT(gt_ns > cpu_ns ? gt_ns - cpu_ns : cpu_ns - gt_ns, cpu_ns / 100) {
		TH_LOG("CPU %.0f ns, GT %.0f ns", cpu_ns, gt_ns);
	}

	/* Every clock the uAPI names; bad engines and clocks. */
	b.clockid = CLOCK_TAI;
	EXPECT_EQ(0, engine_cycles(self->fd, &b));
	b.clockid = -1;
	EXPECT_EQ(-EINVAL, engine_cycles(self->fd, &b));
	b.clockid = CLOCK_MONOTONIC;
	b.eci.engine_instance = 0xffff;
	EXPECT_EQ(-EINVAL, engine_cycles(self->fd, &b));
	b.eci = a.eci;
	b.eci.engine_class = 0xffff;
	EXPECT_EQ(-EINVAL, engine_cycles(self->fd, &b));
	b.eci = a.eci;
	b.eci.gt_id = 1;
	EXPECT_EQ(-EINVAL, engine_cycles(self->fd, &b));
	free(gts);
	free(engines);
}

TEST_HARNESS_MAIN
