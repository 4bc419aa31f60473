// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <kunit/test.h>

#include "xe_pagefault.h"

static void xe_pf_msg(u32 *msg, u32 id)
{
	msg[0] = id;		/* fault id */
	msg[1] = id + 100;	/* context */
	msg[2] = 7;		/* asid */
	msg[3] = 0x1000 * id;	/* va lo */
	msg[4] = 0x7f;		/* va hi */
	msg[5] = id % 3;	/* access */
	msg[6] = 4 << 8 | 1;	/* engine */
	msg[7] = id % 4;	/* level */
	msg[8] = 0;		/* reason */
}

static void xe_pagefault_queue_order_test(struct kunit *test)
{
	struct xe_pagefault_queue pfq;
	struct xe_pagefault pf;
	u32 msg[9], i;

	KUNIT_ASSERT_EQ(test, xe_pagefault_queue_init(&pfq, 8), 0);
	KUNIT_EXPECT_FALSE(test, xe_pagefault_queue_pop(&pfq, &pf));

	for (i = 1; i <= 5; i++) {
		xe_pf_msg(msg, i);
		KUNIT_ASSERT_EQ(test, xe_pagefault_queue_push(&pfq, msg, 9), 0);
	}
	for (i = 1; i <= 5; i++) {
		KUNIT_ASSERT_TRUE(test, xe_pagefault_queue_pop(&pfq, &pf));
		KUNIT_EXPECT_EQ(test, pf.fault_id, i);
		KUNIT_EXPECT_EQ(test, pf.ctx_id, i + 100);
		KUNIT_EXPECT_EQ(test, pf.asid, 7);
		KUNIT_EXPECT_EQ(test, pf.va, 0x7full << 32 | (0x1000 * i));
		KUNIT_EXPECT_EQ(test, pf.access, i % 3);
		KUNIT_EXPECT_EQ(test, pf.engine, 4 << 8 | 1);
		KUNIT_EXPECT_EQ(test, pf.level, i % 4);
	}
	KUNIT_EXPECT_FALSE(test, xe_pagefault_queue_pop(&pfq, &pf));
	xe_pagefault_queue_fini(&pfq);
}

/* The ring holds size - 1 faults, refuses the next, and wraps cleanly. */
static void xe_pagefault_queue_full_test(struct kunit *test)
{
	struct xe_pagefault_queue pfq;
	struct xe_pagefault pf;
	u32 msg[9], i, round;

	KUNIT_ASSERT_EQ(test, xe_pagefault_queue_init(&pfq, 4), 0);
	for (round = 0; round < 5; round++) {
		for (i = 0; i < 3; i++) {
			xe_pf_msg(msg, round * 10 + i);
			KUNIT_ASSERT_EQ(test, xe_pagefault_queue_push(&pfq, msg, 9), 0);
		}
		KUNIT_EXPECT_EQ(test, xe_pagefault_queue_push(&pfq, msg, 9), -ENOSPC);
		for (i = 0; i < 3; i++) {
			KUNIT_ASSERT_TRUE(test, xe_pagefault_queue_pop(&pfq, &pf));
			KUNIT_EXPECT_EQ(test, pf.fault_id, round * 10 + i);
		}
	}
	xe_pagefault_queue_fini(&pfq);
}

static void xe_pagefault_queue_short_test(struct kunit *test)
{
	struct xe_pagefault_queue pfq;
	struct xe_pagefault pf;
	u32 msg[9] = {};

	KUNIT_ASSERT_EQ(test, xe_pagefault_queue_init(&pfq, 4), 0);
	KUNIT_EXPECT_EQ(test, xe_pagefault_queue_push(&pfq, msg, 8), -EINVAL);
	KUNIT_EXPECT_FALSE(test, xe_pagefault_queue_pop(&pfq, &pf));
	xe_pagefault_queue_fini(&pfq);
}

static struct kunit_case xe_pagefault_cases[] = {
	KUNIT_CASE(xe_pagefault_queue_order_test),
	KUNIT_CASE(xe_pagefault_queue_full_test),
	KUNIT_CASE(xe_pagefault_queue_short_test),
	{}
};

static struct kunit_suite xe_pagefault_suite = {
	.name = "xe_pagefault",
	.test_cases = xe_pagefault_cases,
};

kunit_test_suite(xe_pagefault_suite);
