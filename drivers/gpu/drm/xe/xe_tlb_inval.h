/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_TLB_INVAL_H_
#define _XE_TLB_INVAL_H_

#include <linux/types.h>

struct xe_device;

int xe_tlb_inval_init(struct xe_device *xe);
void xe_tlb_inval_debugfs_register(struct xe_device *xe);
int xe_tlb_inval_range(struct xe_device *xe, u32 asid, u64 start, u64 len);
void xe_tlb_inval_done(struct xe_device *xe, u32 seqno);

#endif
