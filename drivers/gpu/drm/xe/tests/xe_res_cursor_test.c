// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <kunit/test.h>

#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sizes.h>

#include "xe_res_cursor.h"
#include "xe_ttm_vram_mgr_types.h"

#define XE_CURSOR_TEST_VRAM	SZ_16M

struct xe_res_cursor_ctx {
	struct gpu_buddy mm;
	struct xe_ttm_vram_mgr_resource vres;
	/* Fragmentation: every other block of a first allocation is kept. */
	struct list_head holes;
};

static int xe_res_cursor_init(struct kunit *test)
{
	struct xe_res_cursor_ctx *ctx;
	LIST_HEAD(freed);
	unsigned int i;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_ASSERT_EQ(test, gpu_buddy_init(&ctx->mm, XE_CURSOR_TEST_VRAM, SZ_4K), 0);
	INIT_LIST_HEAD(&ctx->vres.blocks);
	INIT_LIST_HEAD(&ctx->holes);

	/* Fill VRAM with 64K blocks, then free every other one. */
	for (i = 0; i < XE_CURSOR_TEST_VRAM / SZ_64K; i++) {
		LIST_HEAD(one);

		KUNIT_ASSERT_EQ(test, gpu_buddy_alloc_blocks(&ctx->mm, 0, XE_CURSOR_TEST_VRAM,
							     SZ_64K, SZ_64K, &one, 0), 0);
		list_splice_tail(&one, i % 2 ? &ctx->holes : &freed);
	}
	gpu_buddy_free_list(&ctx->mm, &freed, 0);

	test->priv = ctx;
	return 0;
}

static void xe_res_cursor_exit(struct kunit *test)
{
	struct xe_res_cursor_ctx *ctx = test->priv;

	gpu_buddy_free_list(&ctx->mm, &ctx->vres.blocks, 0);
	gpu_buddy_free_list(&ctx->mm, &ctx->holes, 0);
	gpu_buddy_fini(&ctx->mm);
}

static u64 xe_res_cursor_alloc(struct kunit *test, u64 size)
{
	struct xe_res_cursor_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, gpu_buddy_alloc_blocks(&ctx->mm, 0, XE_CURSOR_TEST_VRAM,
						     size, SZ_4K, &ctx->vres.blocks, 0), 0);
	ctx->vres.base.size = size;
	return size;
}

/* The n-th byte of the resource, found by walking the block list. */
static u64 xe_res_cursor_ref_addr(struct xe_res_cursor_ctx *ctx, u64 offset)
{
	struct gpu_buddy_block *block;

	list_for_each_entry(block, &ctx->vres.blocks, link) {
		u64 size = gpu_buddy_block_size(&ctx->mm, block);

		if (offset < size)
			return gpu_buddy_block_offset(block) + offset;
		offset -= size;
	}
	return U64_MAX;
}

static void xe_res_cursor_check_walk(struct kunit *test, u64 start, u64 size, u64 step)
{
	struct xe_res_cursor_ctx *ctx = test->priv;
	struct xe_res_cursor cur;
	u64 offset = start;

	for (xe_res_first(&ctx->vres.base, &ctx->mm, start, size, &cur); cur.remaining;
	     xe_res_next(&cur, min(step, cur.size))) {
		KUNIT_ASSERT_GT(test, cur.size, 0);
		KUNIT_ASSERT_LE(test, cur.size, cur.remaining);
		KUNIT_ASSERT_EQ_MSG(test, cur.start, xe_res_cursor_ref_addr(ctx, offset),
				    "offset %llu of walk [%llu, +%llu) step %llu",
				    offset, start, size, step);
		offset += min(step, cur.size);
	}
	KUNIT_EXPECT_EQ(test, offset, start + size);
}

/* Runs never cross a block boundary and follow the blocks in list order. */
static void xe_res_cursor_runs_test(struct kunit *test)
{
	struct xe_res_cursor_ctx *ctx = test->priv;
	struct gpu_buddy_block *block;
	struct xe_res_cursor cur;
	u64 size = xe_res_cursor_alloc(test, SZ_1M);

	KUNIT_ASSERT_FALSE(test, list_is_singular(&ctx->vres.blocks));
	block = list_first_entry(&ctx->vres.blocks, struct gpu_buddy_block, link);
	for (xe_res_first(&ctx->vres.base, &ctx->mm, 0, size, &cur); cur.remaining;
	     xe_res_next(&cur, cur.size)) {
		KUNIT_EXPECT_EQ(test, cur.start, gpu_buddy_block_offset(block));
		KUNIT_EXPECT_EQ(test, cur.size, gpu_buddy_block_size(&ctx->mm, block));
		block = list_next_entry(block, link);
	}
}

static void xe_res_cursor_partial_test(struct kunit *test)
{
	u64 size = xe_res_cursor_alloc(test, SZ_1M);

	xe_res_cursor_check_walk(test, 0, size, SZ_4K);
	xe_res_cursor_check_walk(test, SZ_64K - SZ_4K, SZ_8K, SZ_4K);
	xe_res_cursor_check_walk(test, SZ_128K + SZ_4K, size - SZ_128K - SZ_4K, SZ_16K);
	xe_res_cursor_check_walk(test, size - SZ_4K, SZ_4K, SZ_4K);
}

/* Random windows and strides; the seed is logged to replay a failure. */
static void xe_res_cursor_random_test(struct kunit *test)
{
	struct rnd_state rnd;
	u32 seed = get_random_u32();
	u64 size = xe_res_cursor_alloc(test, SZ_2M + SZ_256K);
	unsigned int i;

	kunit_info(test, "seed %u\n", seed);
	prandom_seed_state(&rnd, seed);
	for (i = 0; i < 64; i++) {
		u64 start = (prandom_u32_state(&rnd) % (size >> 12)) << 12;
		u64 len = ((prandom_u32_state(&rnd) % ((size - start) >> 12)) + 1) << 12;
		u64 step = (u64)((prandom_u32_state(&rnd) % 32) + 1) << 12;

		if (start + len > size)
			len = size - start;
		xe_res_cursor_check_walk(test, start, len, step);
	}
}

/* Without a buddy allocator the resource is one linear run. */
static void xe_res_cursor_linear_test(struct kunit *test)
{
	struct ttm_resource res = { .size = SZ_1M };
	struct xe_res_cursor cur;

	xe_res_first(&res, NULL, SZ_64K, SZ_128K, &cur);
	KUNIT_EXPECT_EQ(test, cur.start, SZ_64K);
	KUNIT_EXPECT_EQ(test, cur.size, SZ_128K);
	xe_res_next(&cur, SZ_4K);
	KUNIT_EXPECT_EQ(test, cur.start, SZ_64K + SZ_4K);
	KUNIT_EXPECT_EQ(test, cur.remaining, SZ_128K - SZ_4K);
	xe_res_next(&cur, cur.size);
	KUNIT_EXPECT_EQ(test, cur.remaining, 0);
}

static struct kunit_case xe_res_cursor_cases[] = {
	KUNIT_CASE(xe_res_cursor_runs_test),
	KUNIT_CASE(xe_res_cursor_partial_test),
	KUNIT_CASE(xe_res_cursor_random_test),
	KUNIT_CASE(xe_res_cursor_linear_test),
	{}
};

static struct kunit_suite xe_res_cursor_suite = {
	.name = "xe_res_cursor",
	.init = xe_res_cursor_init,
	.exit = xe_res_cursor_exit,
	.test_cases = xe_res_cursor_cases,
};

kunit_test_suite(xe_res_cursor_suite);
