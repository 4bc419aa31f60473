/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_IRQ_H_
#define _XE_IRQ_H_

struct platform_device;
struct xe_device;

int xe_irq_init(struct xe_device *xe, struct platform_device *pdev);

#endif
