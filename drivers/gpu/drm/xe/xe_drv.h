/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_DRV_H_
#define _XE_DRV_H_

#define DRIVER_NAME		"xe"
#define DRIVER_DESC		"Xe virtual GPU with shared virtual memory"
#define DRIVER_DATE		"20261122"
#define DRIVER_MAJOR		1
#define DRIVER_MINOR		1
#define DRIVER_PATCHLEVEL	0

#endif
