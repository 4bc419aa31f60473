// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <kunit/test.h>

#include <drm/xe_drm.h>

#include "xe_bo.h"
#include "xe_device_types.h"

struct xe_gem_create_case {
	const char *name;
	struct drm_xe_gem_create args;
	int expected;
};

#define SYS		BIT(XE_MEM_REGION_SYSMEM)
#define VRAM		BIT(XE_MEM_REGION_VRAM0)
#define WB		DRM_XE_GEM_CPU_CACHING_WB
#define WC		DRM_XE_GEM_CPU_CACHING_WC

static const struct xe_gem_create_case xe_gem_create_cases[] = {
	{ "sysmem-wb", { .size = SZ_4K, .placement = SYS, .cpu_caching = WB }, 0 },
	{ "sysmem-wc", { .size = SZ_2M, .placement = SYS, .cpu_caching = WC }, 0 },
	{ "vram-wc", { .size = SZ_64K, .placement = VRAM, .cpu_caching = WC }, 0 },
	{ "both-wc", { .size = SZ_4K, .placement = SYS | VRAM, .cpu_caching = WC }, 0 },
	{ "defer-backing", { .size = SZ_4K, .placement = SYS, .cpu_caching = WB,
			     .flags = DRM_XE_GEM_CREATE_FLAG_DEFER_BACKING }, 0 },
	{ "visible-vram", { .size = SZ_4K, .placement = VRAM, .cpu_caching = WC,
			    .flags = DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM }, 0 },
	{ "scanout-wc", { .size = SZ_4K, .placement = SYS, .cpu_caching = WC,
			  .flags = DRM_XE_GEM_CREATE_FLAG_SCANOUT }, 0 },
	{ "size-zero", { .size = 0, .placement = SYS, .cpu_caching = WB }, -EINVAL },
	{ "size-unaligned", { .size = SZ_4K + 1, .placement = SYS, .cpu_caching = WB },
	  -EINVAL },
	{ "no-placement", { .size = SZ_4K, .cpu_caching = WB }, -EINVAL },
	{ "unknown-region", { .size = SZ_4K, .placement = SYS | BIT(2), .cpu_caching = WB },
	  -EINVAL },
	{ "unknown-flag", { .size = SZ_4K, .placement = SYS, .cpu_caching = WB,
			    .flags = BIT(3) }, -EINVAL },
	{ "visible-without-vram", { .size = SZ_4K, .placement = SYS, .cpu_caching = WB,
				    .flags = DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM },
	  -EINVAL },
	{ "caching-none", { .size = SZ_4K, .placement = SYS }, -EINVAL },
	{ "caching-unknown", { .size = SZ_4K, .placement = SYS, .cpu_caching = 3 }, -EINVAL },
	{ "vram-wb", { .size = SZ_4K, .placement = VRAM, .cpu_caching = WB }, -EINVAL },
	{ "both-wb", { .size = SZ_4K, .placement = SYS | VRAM, .cpu_caching = WB }, -EINVAL },
	{ "scanout-wb", { .size = SZ_4K, .placement = SYS, .cpu_caching = WB,
			  .flags = DRM_XE_GEM_CREATE_FLAG_SCANOUT }, -EINVAL },
	{ "extension", { .size = SZ_4K, .placement = SYS, .cpu_caching = WB,
			 .extensions = 0x1000 }, -EINVAL },
	{ "handle-in", { .size = SZ_4K, .placement = SYS, .cpu_caching = WB, .handle = 1 },
	  -EINVAL },
	{ "pad", { .size = SZ_4K, .placement = SYS, .cpu_caching = WB, .pad = { 0, 0, 1 } },
	  -EINVAL },
	{ "reserved", { .size = SZ_4K, .placement = SYS, .cpu_caching = WB,
			.reserved = { 0, 1 } }, -EINVAL },
};

static void xe_gem_create_case_desc(const struct xe_gem_create_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(xe_gem_create, xe_gem_create_cases, xe_gem_create_case_desc);

static void xe_gem_create_check_test(struct kunit *test)
{
	const struct xe_gem_create_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xe_gem_create_check(&c->args, SYS | VRAM), c->expected);
}

/* A device without VRAM refuses VRAM placements however they are spelled. */
static void xe_gem_create_check_no_vram_test(struct kunit *test)
{
	struct drm_xe_gem_create args = {
		.size = SZ_4K, .placement = VRAM, .cpu_caching = WC,
	};

	KUNIT_EXPECT_EQ(test, xe_gem_create_check(&args, SYS), -EINVAL);
	args.placement = SYS;
	KUNIT_EXPECT_EQ(test, xe_gem_create_check(&args, SYS), 0);
}

static struct kunit_case xe_bo_args_cases[] = {
	KUNIT_CASE_PARAM(xe_gem_create_check_test, xe_gem_create_gen_params),
	KUNIT_CASE(xe_gem_create_check_no_vram_test),
	{}
};

static struct kunit_suite xe_bo_args_suite = {
	.name = "xe_bo_args",
	.test_cases = xe_bo_args_cases,
};

kunit_test_suite(xe_bo_args_suite);
