/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_MACROS_H_
#define _XE_MACROS_H_

#include <drm/drm_print.h>

/**
 * XE_IOCTL_DBG() - test a uAPI argument check and log the failing one
 * @xe: the device
 * @cond: condition that makes the argument invalid
 *
 * Userspace gets only an errno back; with drm.debug=0x2 the kernel log
 * names the check that refused the call.
 *
 * Return: the value of @cond.
 */
#define XE_IOCTL_DBG(xe, cond) ({					\
	bool __cond = !!(cond);						\
	if (unlikely(__cond))						\
		drm_dbg(&(xe)->drm, "ioctl check failed: %s (%s:%d)\n",\
			#cond, __func__, __LINE__);			\
	__cond;								\
})

#endif
