// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/idr.h>
#include <linux/interrupt.h>
#include <linux/ioport.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/irqdomain.h>
#include <linux/math64.h>
#include <linux/timekeeping.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <kunit/visibility.h>

#include "xe_emu.h"
#include "xe_emu_hw.h"
#include "xe_emu_types.h"

/**
 * DOC: Emulated device
 *
 * The emulator plays the part of the silicon and of the bus it sits on.
 * xe_emu_init() builds the requested number of GPUs, each with its own
 * register file and device memory, and puts each on the platform bus as a
 * device named XE_EMU_DEVICE_NAME whose platform data is the &struct
 * xe_emu_bus described in xe_emu_hw.h and whose IRQ resource 0 is its
 * interrupt line. The driver binds to those devices like to any other;
 * xe_emu_fini() unplugs them (the driver unbinds first) and frees the
 * hardware.
 *
 * A GPU is a register file, VRAM, an interrupt line, a GuC thread that
 * serves the command transport (xe_emu_ct.c) and one thread per fused
 * engine (xe_emu_engine.c, xe_emu_cs.c), which translate addresses
 * through their TLBs (xe_emu_mmu.c) and reach memory through
 * xe_emu_mem.c. The threads start before the device is plugged in and
 * stop after it is unplugged; a driver that did not quiesce the device
 * first (disable CT, deregister its contexts) loses what was in flight,
 * as at a reset, and nothing leaks.
 *
 * Register reads and writes are served from &struct xe_emu_hw; VRAM is a
 * zeroed vmalloc area, so the BAR is that area and a BAR offset maps to
 * its page with vmalloc_to_pfn().
 *
 * The interrupt line is level-triggered, as the contract says: asserted
 * while XE_EMU_REG_IRQ_STATUS & XE_EMU_REG_IRQ_ENABLE is not zero. It
 * hangs off a one-line interrupt controller of the emulator's own, handled
 * by handle_level_irq(). Whenever the level may have risen (an event is
 * latched, IRQ_ENABLE is written) and whenever the kernel unmasks the line
 * (after each run of the handler, at enable_irq(), at request_irq()), a
 * hard irq_work checks the level and, if it is up and the line unmasked,
 * runs the handler the driver requested, asynchronously, as a real
 * interrupt would. So no event is lost, whether it comes while the line
 * is masked or while the handler runs on another CPU; and a handler that
 * returns without clearing what it was raised for is raised again.
 *
 * The CT ring registers can be written only while XE_EMU_CT_ENABLE is
 * clear, except the ones the driver owns while CT runs: H2G_TAIL (the
 * doorbell) and G2H_HEAD, which must stay inside their ring. Setting
 * XE_EMU_CT_ENABLE checks both rings (page-aligned base, power-of-two size
 * of 4 KiB to 1 MiB, heads and tails inside, memory reachable); with a
 * bad configuration the bit does not stick.
 */

/**
 * DOC: Locking
 *
 * &xe_emu_hw.reg_lock, a spinlock taken with interrupts off, protects the
 * interrupt and CT registers (and the CT rings' memory, see xe_emu_ct.c),
 * because the driver may access registers from its interrupt handler. It
 * is innermost: nothing is taken under it, and the interrupt line is
 * raised only after it is dropped, so the driver's handler never runs
 * nested in an emulator lock.
 *
 * The emulator's locks, and the only ways they nest:
 *
 * - &xe_emu_hw.g2h_lock (mutex, xe_emu_ct.c), held while a G2H writer
 *   sleeps for room: taken with no other emulator lock held, and takes
 *   reg_lock inside. A full G2H ring therefore holds up only the threads
 *   that have a message to post, and no lock they could be waited on for.
 * - &xe_emu_engine.mmu_lock (mutex, xe_emu_mmu.c), held by an engine
 *   thread across a translation and the access made through it, and by
 *   the GuC thread to flush that engine's TLB: never nested with another
 *   emulator lock, one engine's at a time.
 * - &xe_emu_engine.lock (spinlock, xe_emu_engine.c), the scheduler state:
 *   never nested with another emulator lock.
 * - &xe_emu_hw.reg_lock: innermost.
 *
 * The interrupt controller's mask and unmask callbacks run under the
 * interrupt descriptor's lock and take none of these: they set a flag and
 * queue the delivering irq_work, which takes reg_lock from hard interrupt
 * context (hence interrupts off wherever reg_lock is taken).
 *
 * So the order is g2h_lock -> reg_lock, and every other pair is never held
 * together. The only lock a device thread sleeps in is g2h_lock, waiting
 * for G2H room; an mmu_lock is held across memory accesses only, and long
 * transfers drop it every XE_EMU_CS_CHUNK bytes.
 */

#define XE_EMU_MAX_DEVICES	8
#define XE_EMU_MAX_TEST_DEVICES	1000
#define XE_EMU_DEVICE_ID	0xe20b
#define XE_EMU_REVISION		0x01
#define XE_EMU_GFX_MAJOR	20
#define XE_EMU_GFX_MINOR	1
#define XE_EMU_TIMESTAMP_HZ	19200000
#define XE_EMU_VA_BITS		48
/* BCS0 and CCS0-CCS3 */
#define XE_EMU_ENGINES		(BIT(0) | (GENMASK(3, 0) << XE_EMU_FUSE_CCS_SHIFT))
/* Interface version of the emulated firmware behind the CT. */
#define XE_EMU_CT_MAJOR		1
#define XE_EMU_CT_MINOR		0
#define XE_EMU_CT_PATCH		0
/* 20 DSS of 8 SIMD16 EUs, 16 L3 banks. */
#define XE_EMU_DSS		GENMASK(19, 0)
#define XE_EMU_EUS		GENMASK(7, 0)
#define XE_EMU_L3_BANKS		GENMASK(15, 0)
/* Sleeps longer than this wait on &xe_emu_hw.stop_wq, so teardown cuts them short. */
#define XE_EMU_SHORT_SLEEP_US	(20 * USEC_PER_MSEC)

static struct xe_emu_hw *xe_emu_devices[XE_EMU_MAX_DEVICES];
static unsigned int xe_emu_num_devices;
static DEFINE_IDA(xe_emu_test_ida);

/**
 * xe_emu_stopping() - whether the device is being torn down
 * @hw: the device
 *
 * Return: true once teardown has begun; the device threads then finish
 * what they are doing and exit.
 */
bool xe_emu_stopping(struct xe_emu_hw *hw)
{
	return READ_ONCE(hw->stopping);
}

/**
 * xe_emu_sleep_us() - sleep in a device thread
 * @hw: the device
 * @us: microseconds, 0 for none
 *
 * Long sleeps end early when the device is torn down.
 */
void xe_emu_sleep_us(struct xe_emu_hw *hw, u64 us)
{
	if (!us)
		return;
	if (us <= XE_EMU_SHORT_SLEEP_US)
		fsleep(us);
	else
		wait_event_interruptible_timeout(hw->stop_wq, xe_emu_stopping(hw),
						 usecs_to_jiffies(us));
}

static bool xe_emu_irq_asserted(struct xe_emu_hw *hw)
{
	unsigned long flags;
	bool asserted;

	spin_lock_irqsave(&hw->reg_lock, flags);
	asserted = hw->irq_status & hw->irq_enable;
	spin_unlock_irqrestore(&hw->reg_lock, flags);
	return asserted;
}

static void xe_emu_irq_deliver(struct irq_work *work)
{
	struct xe_emu_hw *hw = container_of(work, struct xe_emu_hw, irq_work);

	if (!READ_ONCE(hw->irq_masked) && xe_emu_irq_asserted(hw))
		generic_handle_irq(hw->irq);
}

/* The level may have risen: check it, from hard interrupt context. */
static void xe_emu_irq_raise(struct xe_emu_hw *hw)
{
	irq_work_queue(&hw->irq_work);
}

/**
 * xe_emu_irq_latch() - latch interrupt events
 * @hw: the device
 * @events: XE_EMU_IRQ_* bits
 *
 * Sets @events in XE_EMU_REG_IRQ_STATUS and raises the line if any of them
 * is enabled. May be called from any context.
 */
void xe_emu_irq_latch(struct xe_emu_hw *hw, u32 events)
{
	unsigned long flags;
	bool raise;

	spin_lock_irqsave(&hw->reg_lock, flags);
	hw->irq_status |= events;
	raise = events & hw->irq_enable;
	spin_unlock_irqrestore(&hw->reg_lock, flags);

	if (raise)
		xe_emu_irq_raise(hw);
}

static u32 xe_emu_ring_reg_read(const struct xe_emu_ct_ring *ring, u32 offset)
{
	switch (offset) {
	case XE_EMU_REG_H2G_BASE_LO - XE_EMU_REG_H2G_BASE_LO:
		return lower_32_bits(ring->base);
	case XE_EMU_REG_H2G_BASE_HI - XE_EMU_REG_H2G_BASE_LO:
		return upper_32_bits(ring->base);
	case XE_EMU_REG_H2G_SIZE - XE_EMU_REG_H2G_BASE_LO:
		return ring->size;
	case XE_EMU_REG_H2G_HEAD - XE_EMU_REG_H2G_BASE_LO:
		return ring->head;
	case XE_EMU_REG_H2G_TAIL - XE_EMU_REG_H2G_BASE_LO:
		return ring->tail;
	default:
		return 0;
	}
}

static u32 xe_emu_locked_reg_read(struct xe_emu_hw *hw, u32 reg)
{
	unsigned long flags;
	u32 val = 0;

	spin_lock_irqsave(&hw->reg_lock, flags);
	switch (reg) {
	case XE_EMU_REG_IRQ_STATUS:
		val = hw->irq_status;
		break;
	case XE_EMU_REG_IRQ_ENABLE:
		val = hw->irq_enable;
		break;
	case XE_EMU_REG_CT_CTL:
		val = hw->ct_ctl;
		break;
	case XE_EMU_REG_H2G_BASE_LO ... XE_EMU_REG_H2G_TAIL:
		val = xe_emu_ring_reg_read(&hw->h2g, reg - XE_EMU_REG_H2G_BASE_LO);
		break;
	case XE_EMU_REG_G2H_BASE_LO ... XE_EMU_REG_G2H_TAIL:
		val = xe_emu_ring_reg_read(&hw->g2h, reg - XE_EMU_REG_G2H_BASE_LO);
		break;
	}
	spin_unlock_irqrestore(&hw->reg_lock, flags);
	return val;
}

/* The GT timestamp: XE_EMU_TIMESTAMP_HZ ticks since reset. */
static u64 xe_emu_timestamp(struct xe_emu_hw *hw)
{
	return mul_u64_u32_div(ktime_get_raw_ns() - hw->reset_ns, XE_EMU_TIMESTAMP_HZ,
			       NSEC_PER_SEC);
}

/**
 * xe_emu_reg_read() - serve a register read
 * @hw: the device
 * @reg: byte offset of the register
 *
 * Return: the register's value, or 0 for an offset that holds no register.
 */
VISIBLE_IF_KUNIT u32 xe_emu_reg_read(struct xe_emu_hw *hw, u32 reg)
{
	switch (reg) {
	case XE_EMU_REG_ID:
		return FIELD_PREP(XE_EMU_ID_DEVICE, XE_EMU_DEVICE_ID) |
		       FIELD_PREP(XE_EMU_ID_REVISION, XE_EMU_REVISION);
	case XE_EMU_REG_GFX_VERSION:
		return FIELD_PREP(XE_EMU_GFX_VERSION_MAJOR, XE_EMU_GFX_MAJOR) |
		       FIELD_PREP(XE_EMU_GFX_VERSION_MINOR, XE_EMU_GFX_MINOR);
	case XE_EMU_REG_ENGINE_FUSE:
		return hw->engine_fuse;
	case XE_EMU_REG_VRAM_SIZE_LO:
		return lower_32_bits(hw->vram_size);
	case XE_EMU_REG_VRAM_SIZE_HI:
		return upper_32_bits(hw->vram_size);
	case XE_EMU_REG_TIMESTAMP_FREQ:
		return XE_EMU_TIMESTAMP_HZ;
	case XE_EMU_REG_VA_BITS:
		return XE_EMU_VA_BITS;
	case XE_EMU_REG_SCRATCH:
		return READ_ONCE(hw->scratch);
	case XE_EMU_REG_CT_VERSION:
		return FIELD_PREP(XE_EMU_CT_VERSION_MAJOR, XE_EMU_CT_MAJOR) |
		       FIELD_PREP(XE_EMU_CT_VERSION_MINOR, XE_EMU_CT_MINOR) |
		       FIELD_PREP(XE_EMU_CT_VERSION_PATCH, XE_EMU_CT_PATCH);
	case XE_EMU_REG_DSS_FUSE:
		return XE_EMU_DSS;
	case XE_EMU_REG_EU_FUSE:
		return XE_EMU_EUS;
	case XE_EMU_REG_L3_BANK_FUSE:
		return XE_EMU_L3_BANKS;
	case XE_EMU_REG_TIMESTAMP_LO:
		return lower_32_bits(xe_emu_timestamp(hw));
	case XE_EMU_REG_TIMESTAMP_HI:
		return upper_32_bits(xe_emu_timestamp(hw));
	case XE_EMU_REG_IRQ_STATUS:
	case XE_EMU_REG_IRQ_ENABLE:
	case XE_EMU_REG_CT_CTL:
	case XE_EMU_REG_H2G_BASE_LO ... XE_EMU_REG_H2G_TAIL:
	case XE_EMU_REG_G2H_BASE_LO ... XE_EMU_REG_G2H_TAIL:
		return xe_emu_locked_reg_read(hw, reg);
	default:
		return 0;
	}
}
EXPORT_SYMBOL_IF_KUNIT(xe_emu_reg_read);

static void xe_emu_irq_reg_write(struct xe_emu_hw *hw, u32 reg, u32 val)
{
	u32 valid = XE_EMU_IRQ_G2H | (hw->engine_fuse << 8 & XE_EMU_IRQ_USER_MASK);
	unsigned long flags;
	bool raise = false;

	spin_lock_irqsave(&hw->reg_lock, flags);
	if (reg == XE_EMU_REG_IRQ_STATUS) {
		hw->irq_status &= ~val;
	} else {
		hw->irq_enable = val & valid;
		raise = hw->irq_status & hw->irq_enable;
	}
	spin_unlock_irqrestore(&hw->reg_lock, flags);

	if (raise)
		xe_emu_irq_raise(hw);
}

/* A write to the registers of @ring; @offset is from its BASE_LO. */
static void xe_emu_ring_reg_write(struct xe_emu_hw *hw, struct xe_emu_ct_ring *ring,
				  u32 offset, u32 val, bool driver_owned)
{
	bool enabled = hw->ct_ctl & XE_EMU_CT_ENABLE;
	u32 *pos;

	switch (offset) {
	case XE_EMU_REG_H2G_BASE_LO - XE_EMU_REG_H2G_BASE_LO:
		if (!enabled)
			ring->base = (ring->base & GENMASK_ULL(63, 32)) | val;
		return;
	case XE_EMU_REG_H2G_BASE_HI - XE_EMU_REG_H2G_BASE_LO:
		if (!enabled)
			ring->base = (u64)val << 32 | lower_32_bits(ring->base);
		return;
	case XE_EMU_REG_H2G_SIZE - XE_EMU_REG_H2G_BASE_LO:
		if (!enabled)
			ring->size = val;
		return;
	case XE_EMU_REG_H2G_HEAD - XE_EMU_REG_H2G_BASE_LO:
		pos = &ring->head;
		break;
	case XE_EMU_REG_H2G_TAIL - XE_EMU_REG_H2G_BASE_LO:
		pos = &ring->tail;
		break;
	default:
		return;
	}

	if (!enabled) {
		*pos = val;
	} else if (driver_owned) {
		if (val < ring->size / sizeof(u32))
			*pos = val;
		else
			pr_warn_ratelimited("xe_emu%u: CT pointer %u outside its ring\n",
					    hw->index, val);
	}
}

static void xe_emu_ct_reg_write(struct xe_emu_hw *hw, u32 reg, u32 val)
{
	unsigned long flags;

	spin_lock_irqsave(&hw->reg_lock, flags);
	switch (reg) {
	case XE_EMU_REG_CT_CTL:
		if (!(val & XE_EMU_CT_ENABLE))
			hw->ct_ctl = 0;
		else if (xe_emu_ct_valid(hw))
			hw->ct_ctl = XE_EMU_CT_ENABLE;
		else if (!(hw->ct_ctl & XE_EMU_CT_ENABLE))
			pr_warn_ratelimited("xe_emu%u: bad CT ring registers, not enabling\n",
					    hw->index);
		break;
	case XE_EMU_REG_H2G_BASE_LO ... XE_EMU_REG_H2G_TAIL:
		xe_emu_ring_reg_write(hw, &hw->h2g, reg - XE_EMU_REG_H2G_BASE_LO, val,
				      reg == XE_EMU_REG_H2G_TAIL);
		break;
	case XE_EMU_REG_G2H_BASE_LO ... XE_EMU_REG_G2H_TAIL:
		xe_emu_ring_reg_write(hw, &hw->g2h, reg - XE_EMU_REG_G2H_BASE_LO, val,
				      reg == XE_EMU_REG_G2H_HEAD);
		break;
	}
	spin_unlock_irqrestore(&hw->reg_lock, flags);

	/* The doorbell, room in G2H, or CT switched on or off. */
	wake_up(&hw->guc_wq);
	wake_up(&hw->g2h_wq);
}

/**
 * xe_emu_reg_write() - serve a register write
 * @hw: the device
 * @reg: byte offset of the register
 * @val: value written
 *
 * Writes to read-only registers and to offsets that hold no register are
 * dropped.
 */
VISIBLE_IF_KUNIT void xe_emu_reg_write(struct xe_emu_hw *hw, u32 reg, u32 val)
{
	switch (reg) {
	case XE_EMU_REG_SCRATCH:
		WRITE_ONCE(hw->scratch, val);
		break;
	case XE_EMU_REG_IRQ_STATUS:
	case XE_EMU_REG_IRQ_ENABLE:
		xe_emu_irq_reg_write(hw, reg, val);
		break;
	case XE_EMU_REG_CT_CTL:
	case XE_EMU_REG_H2G_BASE_LO ... XE_EMU_REG_H2G_TAIL:
	case XE_EMU_REG_G2H_BASE_LO ... XE_EMU_REG_G2H_TAIL:
		xe_emu_ct_reg_write(hw, reg, val);
		break;
	default:
		break;
	}
}
EXPORT_SYMBOL_IF_KUNIT(xe_emu_reg_write);

static unsigned long xe_emu_vram_pfn(struct xe_emu_hw *hw, u64 offset)
{
	if (WARN_ON_ONCE(offset >= hw->vram_size))
		return 0;
	return vmalloc_to_pfn(hw->vram + offset);
}

static const struct xe_emu_bus_ops xe_emu_bus_ops = {
	.read32 = xe_emu_reg_read,
	.write32 = xe_emu_reg_write,
	.vram_pfn = xe_emu_vram_pfn,
};

/* Called by the interrupt core, under the descriptor's lock. */
static void xe_emu_irq_mask(struct irq_data *data)
{
	struct xe_emu_hw *hw = irq_data_get_irq_chip_data(data);

	WRITE_ONCE(hw->irq_masked, true);
}

static void xe_emu_irq_unmask(struct irq_data *data)
{
	struct xe_emu_hw *hw = irq_data_get_irq_chip_data(data);

	WRITE_ONCE(hw->irq_masked, false);
	/* A level still up when the line is unmasked interrupts again. */
	xe_emu_irq_raise(hw);
}

static struct irq_chip xe_emu_irq_chip = {
	.name = "xe_emu",
	.irq_mask = xe_emu_irq_mask,
	.irq_unmask = xe_emu_irq_unmask,
	.flags = IRQCHIP_SKIP_SET_WAKE,
};

static int xe_emu_irq_map(struct irq_domain *domain, unsigned int virq, irq_hw_number_t hwirq)
{
	irq_set_chip_data(virq, domain->host_data);
	irq_set_chip_and_handler(virq, &xe_emu_irq_chip, handle_level_irq);
	irq_modify_status(virq, IRQ_NOREQUEST | IRQ_NOAUTOEN, IRQ_NOPROBE);
	return 0;
}

static void xe_emu_irq_unmap(struct irq_domain *domain, unsigned int virq)
{
	irq_set_chip_and_handler(virq, NULL, NULL);
	irq_set_chip_data(virq, NULL);
}

static const struct irq_domain_ops xe_emu_irq_domain_ops = {
	.map = xe_emu_irq_map,
	.unmap = xe_emu_irq_unmap,
	.xlate = irq_domain_xlate_onecell,
};

static int xe_emu_irq_init(struct xe_emu_hw *hw)
{
	int err;

	hw->irq_masked = true;
	hw->irq_work = IRQ_WORK_INIT_HARD(xe_emu_irq_deliver);

	hw->irq_fwnode = irq_domain_alloc_named_id_fwnode("xe_emu", hw->index);
	if (!hw->irq_fwnode)
		return -ENOMEM;

	hw->irq_domain = irq_domain_create_linear(hw->irq_fwnode, 1, &xe_emu_irq_domain_ops, hw);
	if (!hw->irq_domain) {
		err = -ENOMEM;
		goto err_fwnode;
	}

	hw->irq = irq_create_mapping(hw->irq_domain, 0);
	if (!hw->irq) {
		err = -ENOMEM;
		goto err_domain;
	}
	return 0;

err_domain:
	irq_domain_remove(hw->irq_domain);
err_fwnode:
	irq_domain_free_fwnode(hw->irq_fwnode);
	return err;
}

/* After the device threads stopped and the handler was freed. */
static void xe_emu_irq_fini(struct xe_emu_hw *hw)
{
	irq_work_sync(&hw->irq_work);
	irq_dispose_mapping(hw->irq);
	irq_domain_remove(hw->irq_domain);
	irq_domain_free_fwnode(hw->irq_fwnode);
}

/* Build a GPU, threads running, not yet on a bus. */
static struct xe_emu_hw *xe_emu_hw_alloc(unsigned int index, u64 vram_size)
{
	struct xe_emu_hw *hw;
	int err;

	hw = kzalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return ERR_PTR(-ENOMEM);

	hw->index = index;
	hw->engine_fuse = XE_EMU_ENGINES;
	hw->reset_ns = ktime_get_raw_ns();
	hw->vram_size = vram_size;
	spin_lock_init(&hw->reg_lock);
	init_waitqueue_head(&hw->stop_wq);

	hw->vram = vzalloc(vram_size);
	if (!hw->vram) {
		err = -ENOMEM;
		goto err_free;
	}

	err = xe_emu_irq_init(hw);
	if (err)
		goto err_vram;

	err = xe_emu_engines_init(hw);
	if (err)
		goto err_irq;

	err = xe_emu_ct_init(hw);
	if (err)
		goto err_engines;

	xe_emu_debugfs_register(hw);
	return hw;

err_engines:
	xe_emu_engines_stop(hw);
	xe_emu_engines_fini(hw);
err_irq:
	xe_emu_irq_fini(hw);
err_vram:
	vfree(hw->vram);
err_free:
	kfree(hw);
	return ERR_PTR(err);
}

static void xe_emu_hw_wake_all(struct xe_emu_hw *hw)
{
	unsigned int slot;

	wake_up_all(&hw->stop_wq);
	wake_up_all(&hw->guc_wq);
	wake_up_all(&hw->g2h_wq);
	for (slot = 0; slot < XE_EMU_ENGINE_SLOTS; slot++) {
		if (hw->engines[slot]) {
			wake_up_all(&hw->engines[slot]->work_wq);
			wake_up_all(&hw->engines[slot]->idle_wq);
		}
	}
}

/* Stop the threads and free a GPU that is off its bus. */
static void xe_emu_hw_release(struct xe_emu_hw *hw)
{
	xe_emu_debugfs_unregister(hw);

	WRITE_ONCE(hw->stopping, true);
	xe_emu_hw_wake_all(hw);
	xe_emu_ct_stop(hw);
	xe_emu_engines_stop(hw);

	xe_emu_ct_fini(hw);
	xe_emu_engines_fini(hw);
	xe_emu_irq_fini(hw);
	vfree(hw->vram);
	kfree(hw);
}

static struct xe_emu_hw *xe_emu_hw_create(unsigned int index, u64 vram_size)
{
	struct platform_device_info info = {
		.name = XE_EMU_DEVICE_NAME,
		.id = index,
		.dma_mask = DMA_BIT_MASK(64),
	};
	struct platform_device *pdev;
	struct resource irq_res;
	struct xe_emu_bus bus;
	struct xe_emu_hw *hw;

	hw = xe_emu_hw_alloc(index, vram_size);
	if (IS_ERR(hw))
		return hw;

	irq_res = DEFINE_RES_IRQ(hw->irq);
	info.res = &irq_res;
	info.num_res = 1;

	bus.ops = &xe_emu_bus_ops;
	bus.hw = hw;
	bus.vram_bar = (void __force __iomem *)hw->vram;
	info.data = &bus;
	info.size_data = sizeof(bus);

	pdev = platform_device_register_full(&info);
	if (IS_ERR(pdev)) {
		xe_emu_hw_release(hw);
		return ERR_CAST(pdev);
	}
	hw->pdev = pdev;

	return hw;
}

static void xe_emu_hw_destroy(struct xe_emu_hw *hw)
{
	platform_device_unregister(hw->pdev);
	xe_emu_hw_release(hw);
}

/**
 * xe_emu_test_create() - build a GPU that is not on any bus, for tests
 * @vram_size: device memory in bytes, a multiple of 2 MiB
 *
 * The GPU is complete (registers, interrupt line &xe_emu_hw.irq, threads,
 * debugfs directory) but no driver binds to it; a test drives it through
 * xe_emu_reg_read() and xe_emu_reg_write() and memory it allocates.
 *
 * Return: the GPU, or an ERR_PTR: -EINVAL for a bad size, -ENOMEM, or
 * -ENOSPC when too many test GPUs exist.
 */
struct xe_emu_hw *xe_emu_test_create(u64 vram_size)
{
	struct xe_emu_hw *hw;
	int index;

	if (!vram_size || !IS_ALIGNED(vram_size, SZ_2M))
		return ERR_PTR(-EINVAL);

	index = ida_alloc_range(&xe_emu_test_ida, XE_EMU_MAX_DEVICES,
				XE_EMU_MAX_DEVICES + XE_EMU_MAX_TEST_DEVICES - 1, GFP_KERNEL);
	if (index < 0)
		return ERR_PTR(index);

	hw = xe_emu_hw_alloc(index, vram_size);
	if (IS_ERR(hw))
		ida_free(&xe_emu_test_ida, index);
	return hw;
}
EXPORT_SYMBOL_IF_KUNIT(xe_emu_test_create);

/**
 * xe_emu_test_destroy() - free a GPU made by xe_emu_test_create()
 * @hw: the GPU
 *
 * Whatever the test left running (CT, contexts, stalled faults, a
 * requested interrupt excepted) is dropped. The test must have freed its
 * interrupt handler.
 */
void xe_emu_test_destroy(struct xe_emu_hw *hw)
{
	unsigned int index = hw->index;

	xe_emu_hw_release(hw);
	ida_free(&xe_emu_test_ida, index);
}
EXPORT_SYMBOL_IF_KUNIT(xe_emu_test_destroy);

/**
 * xe_emu_init() - build the virtual GPUs and plug them in
 * @num_devices: how many GPUs, 1 to 8
 * @vram_size: device memory of each, in bytes, a multiple of 2 MiB
 *
 * Return: 0 on success, -EINVAL for out-of-range arguments, -ENOMEM when
 * the backing store cannot be allocated, or the platform bus's error.
 */
int xe_emu_init(unsigned int num_devices, u64 vram_size)
{
	struct xe_emu_hw *hw;

	if (!num_devices || num_devices > XE_EMU_MAX_DEVICES ||
	    !vram_size || !IS_ALIGNED(vram_size, SZ_2M))
		return -EINVAL;

	xe_emu_debugfs_init();
	for (xe_emu_num_devices = 0; xe_emu_num_devices < num_devices;
	     xe_emu_num_devices++) {
		hw = xe_emu_hw_create(xe_emu_num_devices, vram_size);
		if (IS_ERR(hw)) {
			xe_emu_fini();
			return PTR_ERR(hw);
		}
		xe_emu_devices[xe_emu_num_devices] = hw;
	}

	return 0;
}

/**
 * xe_emu_fini() - unplug and free every virtual GPU
 *
 * Each device is unregistered from the platform bus first, so its driver
 * has unbound before the hardware behind it goes away.
 */
void xe_emu_fini(void)
{
	while (xe_emu_num_devices) {
		xe_emu_num_devices--;
		xe_emu_hw_destroy(xe_emu_devices[xe_emu_num_devices]);
		xe_emu_devices[xe_emu_num_devices] = NULL;
	}
	xe_emu_debugfs_fini();
	ida_destroy(&xe_emu_test_ida);
}
