// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/interrupt.h>
#include <linux/platform_device.h>

#include "emu/xe_emu_hw.h"
#include "xe_ct.h"
#include "xe_device_types.h"
#include "xe_hw_fence.h"
#include "xe_irq.h"
#include "xe_mmio.h"

/**
 * DOC: Interrupts
 *
 * The GT raises its one interrupt line for two kinds of event: an engine
 * executed MI_USER_INTERRUPT (a job finished), or G2H messages wait in the
 * command transport. The hard handler acknowledges the events and signals
 * the finished jobs' fences itself, so completion never waits for a
 * thread; G2H messages are consumed by the interrupt thread, where
 * handlers may take mutexes.
 */

static irqreturn_t xe_irq_handler(int irq, void *arg)
{
	struct xe_device *xe = arg;
	u32 status = xe_mmio_read32(xe, XE_EMU_REG_IRQ_STATUS);
	unsigned int i;

	if (!status)
		return IRQ_NONE;

	/* Acknowledge first: events arriving from here on raise it again. */
	xe_mmio_write32(xe, XE_EMU_REG_IRQ_STATUS, status);

	for (i = 0; i < xe->num_hw_engines; i++) {
		struct xe_hw_engine *hwe = &xe->hw_engines[i];

		if (status & XE_EMU_IRQ_USER(hwe->fuse_bit))
			xe_hw_fence_irq_run(&hwe->fence_irq);
	}
	/* User fences are written by jobs just before their interrupt. */
	if (status & XE_EMU_IRQ_USER_MASK)
		wake_up_all(&xe->ufence_wq);

	return status & XE_EMU_IRQ_G2H ? IRQ_WAKE_THREAD : IRQ_HANDLED;
}

static irqreturn_t xe_irq_thread(int irq, void *arg)
{
	xe_ct_g2h_process(arg);
	return IRQ_HANDLED;
}

static void xe_irq_disable(void *arg)
{
	struct xe_device *xe = arg;

	xe_mmio_write32(xe, XE_EMU_REG_IRQ_ENABLE, 0);
}

/**
 * xe_irq_init() - install the interrupt handler and unmask the events
 * @xe: the device
 * @pdev: its platform device, which carries the interrupt resource
 *
 * Return: 0 or a negative errno.
 */
int xe_irq_init(struct xe_device *xe, struct platform_device *pdev)
{
	u32 enable = XE_EMU_IRQ_G2H;
	unsigned int i;
	int irq, err;

	irq = platform_get_irq(pdev, 0);
	if (irq < 0)
		return irq;

	xe_mmio_write32(xe, XE_EMU_REG_IRQ_ENABLE, 0);
	xe_mmio_write32(xe, XE_EMU_REG_IRQ_STATUS, ~0u);

	err = devm_request_threaded_irq(&pdev->dev, irq, xe_irq_handler,
					xe_irq_thread, 0, dev_name(&pdev->dev), xe);
	if (err)
		return err;

	err = devm_add_action_or_reset(&pdev->dev, xe_irq_disable, xe);
	if (err)
		return err;

	for (i = 0; i < xe->num_hw_engines; i++)
		enable |= XE_EMU_IRQ_USER(xe->hw_engines[i].fuse_bit);
	xe_mmio_write32(xe, XE_EMU_REG_IRQ_ENABLE, enable);

	return 0;
}
