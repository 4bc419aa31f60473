/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_LRC_H_
#define _XE_LRC_H_

#include <linux/types.h>

struct xe_device;
struct xe_emu_ctx_desc;

/**
 * struct xe_lrc - the memory of one hardware context
 *
 * One coherent page holds the context descriptor and the seqno the GT
 * writes when a job finishes; the ring is a second coherent allocation.
 */
struct xe_lrc {
	/** @desc: the context descriptor the GT reads */
	struct xe_emu_ctx_desc *desc;
	/** @desc_dma: its bus address */
	dma_addr_t desc_dma;
	/** @seqno: last seqno the GT completed */
	u32 *seqno;
	/** @seqno_dma: its bus address */
	dma_addr_t seqno_dma;
	/** @ring: the ring */
	u32 *ring;
	/** @ring_dma: its bus address */
	dma_addr_t ring_dma;
	/** @ring_size: ring size in bytes */
	u32 ring_size;
	/** @tail: byte offset where the next command goes */
	u32 tail;
};

int xe_lrc_init(struct xe_device *xe, struct xe_lrc *lrc, u32 engine,
		u32 flags, u64 pt_root, u32 asid, u32 ring_size);
void xe_lrc_fini(struct xe_device *xe, struct xe_lrc *lrc);
void xe_lrc_emit(struct xe_lrc *lrc, const u32 *dw, u32 count);
void xe_lrc_publish_tail(struct xe_lrc *lrc);
u32 xe_lrc_ring_space(struct xe_lrc *lrc);

#endif
