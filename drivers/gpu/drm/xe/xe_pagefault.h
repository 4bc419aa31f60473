/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_PAGEFAULT_H_
#define _XE_PAGEFAULT_H_

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct xe_device;

/**
 * struct xe_pagefault - a page fault as the hardware reported it
 */
struct xe_pagefault {
	/** @va: faulting GPU virtual address */
	u64 va;
	/** @fault_id: id to answer with */
	u32 fault_id;
	/** @ctx_id: stalled context */
	u32 ctx_id;
	/** @asid: address space */
	u32 asid;
	/** @access: XE_EMU_ACCESS_* */
	u32 access;
	/** @engine: (class << 8 | instance) */
	u32 engine;
	/** @level: page-table level where the walk stopped */
	u32 level;
	/** @reason: XE_EMU_FAULT_* */
	u32 reason;
};

/**
 * struct xe_pagefault_queue - ring of reported faults
 */
struct xe_pagefault_queue {
	/** @lock: protects the ring */
	spinlock_t lock;
	/** @entries: the slots */
	struct xe_pagefault *entries;
	/** @size: number of slots; one always stays free */
	u32 size;
	/** @head: next slot to fill */
	u32 head;
	/** @tail: next slot to handle */
	u32 tail;
};

/** XE_PAGEFAULT_WORKERS - workers resolving faults in parallel */
#define XE_PAGEFAULT_WORKERS	2

/**
 * struct xe_pagefault_worker - one fault-handling worker
 */
struct xe_pagefault_worker {
	/** @xe: the device */
	struct xe_device *xe;
	/** @work: the work item */
	struct work_struct work;
};

int xe_pagefault_queue_init(struct xe_pagefault_queue *pfq, u32 size);
void xe_pagefault_queue_fini(struct xe_pagefault_queue *pfq);
int xe_pagefault_queue_push(struct xe_pagefault_queue *pfq, const u32 *msg, u32 len);
bool xe_pagefault_queue_pop(struct xe_pagefault_queue *pfq, struct xe_pagefault *pf);
u32 xe_pagefault_queue_take(struct xe_pagefault_queue *pfq, u32 asid, u64 start, u64 end,
			    bool writable, struct xe_pagefault *out, u32 max);
int xe_pagefault_init(struct xe_device *xe);
void xe_pagefault_g2h(struct xe_device *xe, const u32 *msg, u32 len);

#endif
