/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_DEVICE_H_
#define _XE_DEVICE_H_

extern struct platform_driver xe_platform_driver;

#endif
