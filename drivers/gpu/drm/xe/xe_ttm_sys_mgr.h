/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_TTM_SYS_MGR_H_
#define _XE_TTM_SYS_MGR_H_

#include <linux/types.h>

struct xe_device;

int xe_ttm_sys_mgr_init(struct xe_device *xe, u64 size);

#endif
