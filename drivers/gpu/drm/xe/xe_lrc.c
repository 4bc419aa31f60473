// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/dma-mapping.h>
#include <linux/sizes.h>

#include "emu/xe_emu_hw.h"
#include "xe_device_types.h"
#include "xe_lrc.h"

/**
 * DOC: Hardware contexts
 *
 * Every exec queue owns one hardware context: a descriptor and a ring in
 * system memory (struct xe_emu_ctx_desc). The driver writes commands into
 * the ring and then publishes the new tail in the descriptor; the GT
 * reports its progress in the descriptor's head. The seqno slot next to the
 * descriptor is where the queue's jobs write their seqno when they finish.
 */

#define XE_LRC_SEQNO_OFFSET	256

/**
 * xe_lrc_init() - allocate and fill a context
 * @xe: the device
 * @lrc: the context
 * @engine: (class << 8 | instance) of the engine that runs it
 * @flags: XE_EMU_CTX_*
 * @pt_root: top-level page table, with XE_EMU_PTE_DM if in VRAM
 * @asid: address-space id
 * @ring_size: bytes, a power of two from 4 KiB to 1 MiB
 *
 * Return: 0 or -ENOMEM.
 */
int xe_lrc_init(struct xe_device *xe, struct xe_lrc *lrc, u32 engine,
		u32 flags, u64 pt_root, u32 asid, u32 ring_size)
{
	struct device *dev = xe->drm.dev;
	void *page;

	page = dma_alloc_coherent(dev, PAGE_SIZE, &lrc->desc_dma, GFP_KERNEL);
	if (!page)
		return -ENOMEM;

	lrc->ring = dma_alloc_coherent(dev, ring_size, &lrc->ring_dma, GFP_KERNEL);
	if (!lrc->ring) {
		dma_free_coherent(dev, PAGE_SIZE, page, lrc->desc_dma);
		return -ENOMEM;
	}

	lrc->desc = page;
	lrc->seqno = page + XE_LRC_SEQNO_OFFSET;
	lrc->seqno_dma = lrc->desc_dma + XE_LRC_SEQNO_OFFSET;
	lrc->ring_size = ring_size;
	lrc->tail = 0;

	/* Seqnos start at 1: a fresh context has completed "seqno 0". */
	WRITE_ONCE(*lrc->seqno, 0);
	lrc->desc->ring_base = cpu_to_le64(lrc->ring_dma);
	lrc->desc->ring_size = cpu_to_le32(ring_size);
	lrc->desc->flags = cpu_to_le32(flags);
	lrc->desc->pt_root = cpu_to_le64(pt_root);
	lrc->desc->asid = cpu_to_le32(asid);
	lrc->desc->engine = cpu_to_le32(engine);
	return 0;
}

/**
 * xe_lrc_fini() - free a context's memory
 * @xe: the device
 * @lrc: the context, which the GT must never touch again
 */
void xe_lrc_fini(struct xe_device *xe, struct xe_lrc *lrc)
{
	struct device *dev = xe->drm.dev;

	dma_free_coherent(dev, lrc->ring_size, lrc->ring, lrc->ring_dma);
	dma_free_coherent(dev, PAGE_SIZE, lrc->desc, lrc->desc_dma);
}

/**
 * xe_lrc_ring_space() - bytes that can be written to the ring
 * @lrc: the context
 *
 * Return: free bytes, keeping one dword so a full ring is not empty.
 */
u32 xe_lrc_ring_space(struct xe_lrc *lrc)
{
	u32 head = le32_to_cpu(READ_ONCE(lrc->desc->ring_head));

	return (head - lrc->tail - 4) & (lrc->ring_size - 1);
}

/**
 * xe_lrc_emit() - write commands into the ring, not yet visible to the GT
 * @lrc: the context
 * @dw: the dwords
 * @count: how many; the caller made sure they fit
 */
void xe_lrc_emit(struct xe_lrc *lrc, const u32 *dw, u32 count)
{
	u32 i;

	for (i = 0; i < count; i++) {
		lrc->ring[lrc->tail / 4] = dw[i];
		lrc->tail = (lrc->tail + 4) & (lrc->ring_size - 1);
	}
}

/**
 * xe_lrc_publish_tail() - let the GT see what xe_lrc_emit() wrote
 * @lrc: the context
 */
void xe_lrc_publish_tail(struct xe_lrc *lrc)
{
	/* Commands first, then the tail that covers them. */
	wmb();
	WRITE_ONCE(lrc->desc->ring_tail, cpu_to_le32(lrc->tail));
}
