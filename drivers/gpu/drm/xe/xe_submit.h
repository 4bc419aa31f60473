/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_SUBMIT_H_
#define _XE_SUBMIT_H_

#include <linux/types.h>

struct xe_device;
struct xe_exec_queue;

int xe_submit_init(struct xe_device *xe);
int xe_submit_queue_init(struct xe_exec_queue *q);
void xe_submit_queue_fini(struct xe_exec_queue *q);
void xe_submit_stop_work_init(struct xe_exec_queue *q);
void xe_submit_queue_stop(struct xe_exec_queue *q, int error);
void xe_submit_context_error(struct xe_device *xe, u32 ctx_id, u32 reason, u64 detail);
void xe_submit_deregister_done(struct xe_device *xe, u32 ctx_id);

#endif
