// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <kunit/test.h>

#include <drm/xe_drm.h>

#include "xe_hw_engine.h"
#include "xe_hw_engine_types.h"
#include "xe_query.h"

static void xe_hw_engine_fuse_test(struct kunit *test)
{
	struct xe_hw_engine engines[XE_MAX_HW_ENGINES];
	unsigned int n;

	/* BCS0, BCS2, CCS0, CCS3 */
	n = xe_hw_engines_from_fuse(0x0905, engines, ARRAY_SIZE(engines));
	KUNIT_ASSERT_EQ(test, n, 4);
	KUNIT_EXPECT_STREQ(test, engines[0].name, "bcs0");
	KUNIT_EXPECT_STREQ(test, engines[1].name, "bcs2");
	KUNIT_EXPECT_STREQ(test, engines[2].name, "ccs0");
	KUNIT_EXPECT_STREQ(test, engines[3].name, "ccs3");
	KUNIT_EXPECT_EQ(test, engines[1].class, XE_ENGINE_CLASS_COPY);
	KUNIT_EXPECT_EQ(test, engines[1].instance, 2);
	KUNIT_EXPECT_EQ(test, engines[3].class, XE_ENGINE_CLASS_COMPUTE);
	KUNIT_EXPECT_EQ(test, engines[3].instance, 3);
}

static void xe_hw_engine_fuse_edges_test(struct kunit *test)
{
	struct xe_hw_engine engines[XE_MAX_HW_ENGINES];

	KUNIT_EXPECT_EQ(test, xe_hw_engines_from_fuse(0, engines, ARRAY_SIZE(engines)), 0);
	/* Bits above the compute field are not engines. */
	KUNIT_EXPECT_EQ(test, xe_hw_engines_from_fuse(0xffff0000, engines,
						      ARRAY_SIZE(engines)), 0);
	KUNIT_EXPECT_EQ(test, xe_hw_engines_from_fuse(0xffff, engines,
						      ARRAY_SIZE(engines)), 16);
	KUNIT_EXPECT_STREQ(test, engines[15].name, "ccs7");
	/* The array bounds the decode. */
	KUNIT_EXPECT_EQ(test, xe_hw_engines_from_fuse(0xffff, engines, 3), 3);
	KUNIT_EXPECT_STREQ(test, engines[2].name, "bcs2");
}

static void xe_hw_engine_query_test(struct kunit *test)
{
	struct xe_hw_engine engines[XE_MAX_HW_ENGINES];
	struct drm_xe_query_engines *reply;
	unsigned int n, i;

	n = xe_hw_engines_from_fuse(0x0301, engines, ARRAY_SIZE(engines));
	reply = kunit_kzalloc(test, struct_size(reply, engines, n), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, reply);

	xe_query_engines_fill(engines, n, reply);
	KUNIT_ASSERT_EQ(test, reply->num_engines, 3);
	KUNIT_EXPECT_EQ(test, reply->engines[0].instance.engine_class,
			DRM_XE_ENGINE_CLASS_COPY);
	KUNIT_EXPECT_EQ(test, reply->engines[2].instance.engine_class,
			DRM_XE_ENGINE_CLASS_COMPUTE);
	KUNIT_EXPECT_EQ(test, reply->engines[2].instance.engine_instance, 1);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, reply->engines[i].instance.gt_id, 0);
		KUNIT_EXPECT_EQ(test, reply->engines[i].instance.pad, 0);
		KUNIT_EXPECT_EQ(test, reply->engines[i].reserved[0], 0);
	}
}

static struct kunit_case xe_hw_engine_cases[] = {
	KUNIT_CASE(xe_hw_engine_fuse_test),
	KUNIT_CASE(xe_hw_engine_fuse_edges_test),
	KUNIT_CASE(xe_hw_engine_query_test),
	{}
};

static struct kunit_suite xe_hw_engine_suite = {
	.name = "xe_hw_engine",
	.test_cases = xe_hw_engine_cases,
};

kunit_test_suite(xe_hw_engine_suite);
