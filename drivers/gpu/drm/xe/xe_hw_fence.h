/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_HW_FENCE_H_
#define _XE_HW_FENCE_H_

#include "xe_hw_fence_types.h"

void xe_hw_fence_irq_init(struct xe_hw_fence_irq *irq);
void xe_hw_fence_irq_run(struct xe_hw_fence_irq *irq);
void xe_hw_fence_irq_cancel(struct xe_hw_fence_irq *irq, const u32 *seqno_map,
			    int error);
struct xe_hw_fence *xe_hw_fence_alloc(void);
struct dma_fence *xe_hw_fence_init(struct xe_hw_fence *fence,
				   struct xe_hw_fence_irq *irq, u64 context,
				   u32 seqno, const u32 *seqno_map, const char *name);

#endif
