/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_HW_ENGINE_H_
#define _XE_HW_ENGINE_H_

#include <linux/types.h>

struct xe_device;
struct xe_hw_engine;

unsigned int xe_hw_engines_from_fuse(u32 fuse, struct xe_hw_engine *engines,
				     unsigned int max);
int xe_hw_engines_init_early(struct xe_device *xe);
u16 xe_hw_engine_uapi_class(const struct xe_hw_engine *hwe);

#endif
