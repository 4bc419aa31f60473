/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_CT_H_
#define _XE_CT_H_

#include <linux/types.h>

struct xe_device;

int xe_ct_init(struct xe_device *xe);
int xe_ct_send(struct xe_device *xe, u32 action, const u32 *payload, u32 len);
void xe_ct_g2h_process(struct xe_device *xe);

#endif
