/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_CT_TYPES_H_
#define _XE_CT_TYPES_H_

#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/**
 * struct xe_ct_ring - one direction of the command transport
 */
struct xe_ct_ring {
	/** @cmds: CPU mapping of the ring */
	u32 *cmds;
	/** @dma: bus address of the ring */
	dma_addr_t dma;
	/** @size: ring size in dwords, a power of two */
	u32 size;
	/** @pos: the driver's end: H2G tail or G2H head, in dwords */
	u32 pos;
};

/**
 * struct xe_ct - the command transport to the GT
 */
struct xe_ct {
	/** @h2g: host-to-GPU ring, protected by @lock */
	struct xe_ct_ring h2g;
	/** @g2h: GPU-to-host ring, consumed only by the IRQ thread */
	struct xe_ct_ring g2h;
	/** @lock: serialises H2G senders */
	struct mutex lock;
	/** @enabled: the device reads and writes the rings, protected by @lock */
	bool enabled;
};

#endif
