/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_RES_CURSOR_H_
#define _XE_RES_CURSOR_H_

#include <linux/gpu_buddy.h>
#include <linux/minmax.h>
#include <drm/ttm/ttm_resource.h>

#include "xe_ttm_vram_mgr_types.h"

/**
 * DOC: Resource cursor
 *
 * A cursor walks a byte range of a TTM resource in runs that are
 * contiguous in the resource's address space: device offsets for VRAM
 * (one run per buddy block, or less at the ends), and the byte offset in
 * the BO for anything else (a single run). Usage::
 *
 *	struct xe_res_cursor cur;
 *
 *	for (xe_res_first(res, mm, start, size, &cur); cur.remaining;
 *	     xe_res_next(&cur, cur.size))
 *		use(cur.start, cur.size);
 *
 * The cursor does not lock: the caller keeps the resource alive (holds the
 * BO's reservation) while walking it.
 */

/**
 * struct xe_res_cursor - position in a resource
 */
struct xe_res_cursor {
	/** @start: address of the current position in the resource's space */
	u64 start;
	/** @size: bytes left in the current contiguous run */
	u64 size;
	/** @remaining: bytes left in the whole walk */
	u64 remaining;
	/** @block: current buddy block, NULL for non-VRAM resources */
	struct gpu_buddy_block *block;
	/** @head: list of buddy blocks */
	struct list_head *head;
	/** @mm: the buddy allocator the blocks come from */
	struct gpu_buddy *mm;
};

/**
 * xe_res_first() - start walking a resource
 * @res: the resource; a VRAM resource when @mm is not NULL
 * @mm: buddy allocator of a VRAM resource's blocks, or NULL
 * @start: byte offset into the resource to start at
 * @size: bytes to walk; @start + @size must lie within the resource
 * @cur: the cursor to set up
 */
static inline void xe_res_first(struct ttm_resource *res, struct gpu_buddy *mm,
				u64 start, u64 size, struct xe_res_cursor *cur)
{
	struct gpu_buddy_block *block;
	struct list_head *head;

	cur->remaining = size;
	cur->mm = mm;
	cur->block = NULL;
	if (!mm) {
		cur->start = start;
		cur->size = size;
		return;
	}

	head = &container_of(res, struct xe_ttm_vram_mgr_resource, base)->blocks;
	cur->head = head;
	list_for_each_entry(block, head, link) {
		u64 bsize = gpu_buddy_block_size(mm, block);

		if (start < bsize) {
			cur->block = block;
			cur->start = gpu_buddy_block_offset(block) + start;
			cur->size = min(bsize - start, size);
			return;
		}
		start -= bsize;
	}

	/* Out of range: walk nothing. */
	cur->remaining = 0;
	cur->size = 0;
}

/**
 * xe_res_next() - advance a cursor
 * @cur: the cursor
 * @size: bytes to advance, at most @cur->remaining
 */
static inline void xe_res_next(struct xe_res_cursor *cur, u64 size)
{
	struct gpu_buddy_block *block = cur->block;

	size = min(size, cur->remaining);
	cur->remaining -= size;
	if (!cur->remaining) {
		cur->size = 0;
		return;
	}

	if (size < cur->size) {
		cur->start += size;
		cur->size -= size;
		return;
	}

	/* Crossed into later blocks (or, without blocks, ran off the run). */
	size -= cur->size;
	if (!block) {
		cur->start += cur->size + size;
		cur->size = cur->remaining;
		return;
	}

	for (;;) {
		u64 bsize;

		block = list_next_entry(block, link);
		bsize = gpu_buddy_block_size(cur->mm, block);
		if (size < bsize) {
			cur->block = block;
			cur->start = gpu_buddy_block_offset(block) + size;
			cur->size = min(bsize - size, cur->remaining);
			return;
		}
		size -= bsize;
	}
}

#endif
