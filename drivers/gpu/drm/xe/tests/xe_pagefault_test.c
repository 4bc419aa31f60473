// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <kunit/test.h>

#include <linux/bitmap.h>
#include <linux/sizes.h>

#include "emu/xe_emu_hw.h"
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

/* Queues a fault of context @ctx: the fault id is the context, as each stalls on one. */
static void xe_pf_push(struct kunit *test, struct xe_pagefault_queue *pfq, u32 ctx, u32 asid,
		       u64 va, u32 access)
{
	u32 msg[9] = {
		ctx, ctx, asid, lower_32_bits(va), upper_32_bits(va), access, 4 << 8, 0, 0,
	};

	KUNIT_ASSERT_EQ(test, xe_pagefault_queue_push(pfq, msg, ARRAY_SIZE(msg)), 0);
}

/* Pops every fault left and checks their contexts, in order. */
static void xe_pf_expect_rest(struct kunit *test, struct xe_pagefault_queue *pfq,
			      const u32 *ctx, u32 count)
{
	struct xe_pagefault pf;
	u32 n = 0;

	while (xe_pagefault_queue_pop(pfq, &pf)) {
		if (n < count)
			KUNIT_EXPECT_EQ_MSG(test, pf.ctx_id, ctx[n], "fault %u left", n);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, count);
}

static void xe_pf_expect_taken(struct kunit *test, const struct xe_pagefault *taken, u32 n,
			       const u32 *ctx, u32 count)
{
	u32 i;

	KUNIT_ASSERT_EQ(test, n, count);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, taken[i].ctx_id, ctx[i], "fault %u taken", i);
}

#define XE_PF_VA	0x7f0012340000ull

/* Only faults of the address space, inside [start, end), are taken; all of a fault is. */
static void xe_pagefault_queue_take_match_test(struct kunit *test)
{
	static const u32 want[] = { 1, 5, 6 }, rest[] = { 2, 3, 4, 7, 8 };
	const u64 start = XE_PF_VA, end = XE_PF_VA + SZ_64K;
	struct xe_pagefault_queue pfq;
	struct xe_pagefault taken[16];
	u32 n;

	KUNIT_ASSERT_EQ(test, xe_pagefault_queue_init(&pfq, 16), 0);
	KUNIT_EXPECT_EQ(test, xe_pagefault_queue_take(&pfq, 7, 0, U64_MAX, true, taken, 16), 0);

	xe_pf_push(test, &pfq, 1, 7, start, XE_EMU_ACCESS_READ);
	xe_pf_push(test, &pfq, 2, 8, start, XE_EMU_ACCESS_READ);
	xe_pf_push(test, &pfq, 3, 7, start - 1, XE_EMU_ACCESS_READ);
	xe_pf_push(test, &pfq, 4, 7, end, XE_EMU_ACCESS_READ);
	xe_pf_push(test, &pfq, 5, 7, end - 1, XE_EMU_ACCESS_WRITE);
	xe_pf_push(test, &pfq, 6, 7, start + SZ_32K, XE_EMU_ACCESS_ATOMIC);
	/* The same low 32 bits, another 4 GiB. */
	xe_pf_push(test, &pfq, 7, 7, start ^ BIT_ULL(32), XE_EMU_ACCESS_READ);
	xe_pf_push(test, &pfq, 8, 0, start, XE_EMU_ACCESS_READ);

	n = xe_pagefault_queue_take(&pfq, 7, start, end, true, taken, ARRAY_SIZE(taken));
	xe_pf_expect_taken(test, taken, n, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, taken[1].fault_id, 5);
	KUNIT_EXPECT_EQ(test, taken[1].asid, 7);
	KUNIT_EXPECT_EQ(test, taken[1].va, end - 1);
	KUNIT_EXPECT_EQ(test, taken[1].access, XE_EMU_ACCESS_WRITE);
	KUNIT_EXPECT_EQ(test, taken[1].engine, 4 << 8);

	/* Nothing is left to take twice. */
	KUNIT_EXPECT_EQ(test, xe_pagefault_queue_take(&pfq, 7, start, end, true, taken, 16), 0);
	xe_pf_expect_rest(test, &pfq, rest, ARRAY_SIZE(rest));
	xe_pagefault_queue_fini(&pfq);
}

/* A read-only resolution answers reads only; writes and atomics wait for their own. */
static void xe_pagefault_queue_take_writable_test(struct kunit *test)
{
	static const u32 reads[] = { 1, 4 }, others[] = { 2, 3, 5 };
	struct xe_pagefault_queue pfq;
	struct xe_pagefault taken[8];
	u32 n;

	KUNIT_ASSERT_EQ(test, xe_pagefault_queue_init(&pfq, 8), 0);
	xe_pf_push(test, &pfq, 1, 3, XE_PF_VA, XE_EMU_ACCESS_READ);
	xe_pf_push(test, &pfq, 2, 3, XE_PF_VA, XE_EMU_ACCESS_WRITE);
	xe_pf_push(test, &pfq, 3, 3, XE_PF_VA, XE_EMU_ACCESS_ATOMIC);
	xe_pf_push(test, &pfq, 4, 3, XE_PF_VA + 8, XE_EMU_ACCESS_READ);
	xe_pf_push(test, &pfq, 5, 3, XE_PF_VA + 16, XE_EMU_ACCESS_WRITE);

	n = xe_pagefault_queue_take(&pfq, 3, XE_PF_VA, XE_PF_VA + SZ_4K, false, taken, 8);
	xe_pf_expect_taken(test, taken, n, reads, ARRAY_SIZE(reads));
	n = xe_pagefault_queue_take(&pfq, 3, XE_PF_VA, XE_PF_VA + SZ_4K, true, taken, 8);
	xe_pf_expect_taken(test, taken, n, others, ARRAY_SIZE(others));
	xe_pf_expect_rest(test, &pfq, NULL, 0);
	xe_pagefault_queue_fini(&pfq);
}

/* At most @max are taken, the oldest first; the rest stay, in order. */
static void xe_pagefault_queue_take_max_test(struct kunit *test)
{
	static const u32 first[] = { 1, 3 }, second[] = { 5, 6 }, last[] = { 8 };
	static const u32 rest[] = { 2, 4, 7 };
	struct xe_pagefault_queue pfq;
	struct xe_pagefault taken[2];
	u32 i, n;

	KUNIT_ASSERT_EQ(test, xe_pagefault_queue_init(&pfq, 16), 0);
	for (i = 1; i <= 8; i++)
		xe_pf_push(test, &pfq, i, i == 2 || i == 4 || i == 7 ? 1 : 2,
			   XE_PF_VA + i * SZ_4K, XE_EMU_ACCESS_READ);

	KUNIT_EXPECT_EQ(test, xe_pagefault_queue_take(&pfq, 2, 0, U64_MAX, true, taken, 0), 0);
	n = xe_pagefault_queue_take(&pfq, 2, 0, U64_MAX, true, taken, 2);
	xe_pf_expect_taken(test, taken, n, first, ARRAY_SIZE(first));
	n = xe_pagefault_queue_take(&pfq, 2, 0, U64_MAX, true, taken, 2);
	xe_pf_expect_taken(test, taken, n, second, ARRAY_SIZE(second));
	n = xe_pagefault_queue_take(&pfq, 2, 0, U64_MAX, true, taken, 2);
	xe_pf_expect_taken(test, taken, n, last, ARRAY_SIZE(last));
	KUNIT_EXPECT_EQ(test, xe_pagefault_queue_take(&pfq, 2, 0, U64_MAX, true, taken, 2), 0);
	xe_pf_expect_rest(test, &pfq, rest, ARRAY_SIZE(rest));
	xe_pagefault_queue_fini(&pfq);
}

/* The slots a take frees are reused: the ring is as full as what is left in it. */
static void xe_pagefault_queue_take_refill_test(struct kunit *test)
{
	static const u32 rest[] = { 4, 6, 10, 11, 12, 13, 14 };
	struct xe_pagefault_queue pfq;
	struct xe_pagefault taken[8];
	u32 msg[9] = {}, i;

	KUNIT_ASSERT_EQ(test, xe_pagefault_queue_init(&pfq, 8), 0);
	for (i = 1; i <= 7; i++)
		xe_pf_push(test, &pfq, i, i % 2 ? 5 : 6, XE_PF_VA, XE_EMU_ACCESS_READ);
	KUNIT_EXPECT_EQ(test, xe_pagefault_queue_push(&pfq, msg, 9), -ENOSPC);

	KUNIT_EXPECT_EQ(test, xe_pagefault_queue_take(&pfq, 5, XE_PF_VA, XE_PF_VA + 1, true,
						      taken, 8), 4);
	KUNIT_EXPECT_EQ(test, xe_pagefault_queue_take(&pfq, 6, XE_PF_VA, XE_PF_VA + 1, true,
						      taken, 1), 1);
	for (i = 10; i <= 14; i++)
		xe_pf_push(test, &pfq, i, 6, XE_PF_VA + SZ_4K, XE_EMU_ACCESS_READ);
	KUNIT_EXPECT_EQ(test, xe_pagefault_queue_push(&pfq, msg, 9), -ENOSPC);
	xe_pf_expect_rest(test, &pfq, rest, ARRAY_SIZE(rest));
	xe_pagefault_queue_fini(&pfq);
}

#define XE_PF_WRAP_SLOTS	8

/*
 * The faults wrap around the end of the ring at every place: the ring is
 * first turned by @turn slots, then filled with matching and other faults.
 */
static void xe_pagefault_queue_take_wrap_one(struct kunit *test, u32 turn)
{
	static const u32 want[] = { 1, 2, 4, 7 }, rest[] = { 3, 5, 6, 20, 21, 22, 23 };
	struct xe_pagefault_queue pfq;
	struct xe_pagefault taken[XE_PF_WRAP_SLOTS], pf;
	u32 i, n;

	KUNIT_ASSERT_EQ(test, xe_pagefault_queue_init(&pfq, XE_PF_WRAP_SLOTS), 0);
	for (i = 0; i < turn; i++) {
		xe_pf_push(test, &pfq, 100 + i, 9, XE_PF_VA, XE_EMU_ACCESS_READ);
		KUNIT_ASSERT_TRUE(test, xe_pagefault_queue_pop(&pfq, &pf));
	}
	for (i = 1; i <= XE_PF_WRAP_SLOTS - 1; i++)
		xe_pf_push(test, &pfq, i, i == 3 || i == 5 || i == 6 ? 8 : 9,
			   XE_PF_VA + i, XE_EMU_ACCESS_READ);

	n = xe_pagefault_queue_take(&pfq, 9, XE_PF_VA, XE_PF_VA + SZ_4K, true, taken,
				    XE_PF_WRAP_SLOTS);
	xe_pf_expect_taken(test, taken, n, want, ARRAY_SIZE(want));
	for (i = 20; i <= 23; i++)
		xe_pf_push(test, &pfq, i, 9, XE_PF_VA + SZ_4K, XE_EMU_ACCESS_READ);
	xe_pf_expect_rest(test, &pfq, rest, ARRAY_SIZE(rest));
	xe_pagefault_queue_fini(&pfq);
}

static void xe_pagefault_queue_take_wrap_test(struct kunit *test)
{
	u32 turn;

	for (turn = 0; turn < XE_PF_WRAP_SLOTS; turn++)
		xe_pagefault_queue_take_wrap_one(test, turn);
}

#define XE_PF_STORM_CONTEXTS	64
#define XE_PF_STORM_OTHERS	16
#define XE_PF_STORM_BATCH	16

/*
 * Every context of a kernel faults on the same page, between faults of other
 * address spaces and pages: one resolution of the page answers all of them,
 * in batches as the fault handler takes them, and leaves the others.
 */
static void xe_pagefault_queue_take_storm_test(struct kunit *test)
{
	static const u32 accesses[] = {
		XE_EMU_ACCESS_READ, XE_EMU_ACCESS_WRITE, XE_EMU_ACCESS_ATOMIC,
	};
	DECLARE_BITMAP(answered, XE_PF_STORM_CONTEXTS) = {};
	struct xe_pagefault taken[XE_PF_STORM_BATCH];
	u32 rest[XE_PF_STORM_OTHERS], prev = 0, i, n, batches = 0, others = 0;
	struct xe_pagefault_queue pfq;

	KUNIT_ASSERT_EQ(test, xe_pagefault_queue_init(&pfq, 128), 0);
	for (i = 0; i < XE_PF_STORM_CONTEXTS; i++) {
		xe_pf_push(test, &pfq, 1000 + i, 3, XE_PF_VA + (i * 64) % SZ_4K,
			   accesses[i % ARRAY_SIZE(accesses)]);
		if (i % (XE_PF_STORM_CONTEXTS / XE_PF_STORM_OTHERS))
			continue;
		/* Another address space at the same address, or the next page. */
		rest[others] = 2000 + others;
		xe_pf_push(test, &pfq, rest[others], others % 2 ? 3 : 4,
			   others % 2 ? XE_PF_VA + SZ_4K : XE_PF_VA, XE_EMU_ACCESS_READ);
		others++;
	}

	do {
		n = xe_pagefault_queue_take(&pfq, 3, XE_PF_VA, XE_PF_VA + SZ_4K, true, taken,
					    ARRAY_SIZE(taken));
		for (i = 0; i < n; i++) {
			u32 ctx = taken[i].ctx_id - 1000;

			KUNIT_EXPECT_LT(test, ctx, XE_PF_STORM_CONTEXTS);
			KUNIT_EXPECT_GT(test, taken[i].ctx_id, prev);
			prev = taken[i].ctx_id;
			if (ctx < XE_PF_STORM_CONTEXTS)
				KUNIT_EXPECT_FALSE(test, __test_and_set_bit(ctx, answered));
		}
		batches++;
	} while (n == ARRAY_SIZE(taken) && batches <= XE_PF_STORM_CONTEXTS);

	KUNIT_EXPECT_EQ(test, batches, XE_PF_STORM_CONTEXTS / XE_PF_STORM_BATCH + 1);
	KUNIT_EXPECT_TRUE(test, bitmap_full(answered, XE_PF_STORM_CONTEXTS));
	xe_pf_expect_rest(test, &pfq, rest, others);
	xe_pagefault_queue_fini(&pfq);
}

static struct kunit_case xe_pagefault_cases[] = {
	KUNIT_CASE(xe_pagefault_queue_order_test),
	KUNIT_CASE(xe_pagefault_queue_full_test),
	KUNIT_CASE(xe_pagefault_queue_short_test),
	KUNIT_CASE(xe_pagefault_queue_take_match_test),
	KUNIT_CASE(xe_pagefault_queue_take_writable_test),
	KUNIT_CASE(xe_pagefault_queue_take_max_test),
	KUNIT_CASE(xe_pagefault_queue_take_refill_test),
	KUNIT_CASE(xe_pagefault_queue_take_wrap_test),
	KUNIT_CASE(xe_pagefault_queue_take_storm_test),
	{}
};

static struct kunit_suite xe_pagefault_suite = {
	.name = "xe_pagefault",
	.test_cases = xe_pagefault_cases,
};

kunit_test_suite(xe_pagefault_suite);
