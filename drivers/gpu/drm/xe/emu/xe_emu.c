// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
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
 * xe_emu_bus described in xe_emu_hw.h. The driver binds to those devices
 * like to any other; xe_emu_fini() unplugs them (the driver unbinds first)
 * and frees the hardware.
 *
 * Register reads and writes are served from &struct xe_emu_hw; VRAM is a
 * zeroed vmalloc area, so the BAR is that area and a BAR offset maps to
 * its page with vmalloc_to_pfn().
 */

#define XE_EMU_MAX_DEVICES	8
#define XE_EMU_DEVICE_ID	0xe20b
#define XE_EMU_REVISION		0x01
#define XE_EMU_GFX_MAJOR	20
#define XE_EMU_GFX_MINOR	1
#define XE_EMU_TIMESTAMP_HZ	19200000
#define XE_EMU_VA_BITS		48
/* BCS0 and CCS0-CCS3 */
#define XE_EMU_ENGINES		(BIT(0) | (GENMASK(3, 0) << XE_EMU_FUSE_CCS_SHIFT))

static struct xe_emu_hw *xe_emu_devices[XE_EMU_MAX_DEVICES];
static unsigned int xe_emu_num_devices;

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
	default:
		return 0;
	}
}
EXPORT_SYMBOL_IF_KUNIT(xe_emu_reg_read);

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

static void xe_emu_hw_free(struct xe_emu_hw *hw)
{
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
	struct xe_emu_bus bus;
	struct xe_emu_hw *hw;

	hw = kzalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return ERR_PTR(-ENOMEM);

	hw->index = index;
	hw->engine_fuse = XE_EMU_ENGINES;
	hw->vram_size = vram_size;
	hw->vram = vzalloc(vram_size);
	if (!hw->vram) {
		kfree(hw);
		return ERR_PTR(-ENOMEM);
	}

	bus.ops = &xe_emu_bus_ops;
	bus.hw = hw;
	bus.vram_bar = (void __force __iomem *)hw->vram;
	info.data = &bus;
	info.size_data = sizeof(bus);

	pdev = platform_device_register_full(&info);
	if (IS_ERR(pdev)) {
		xe_emu_hw_free(hw);
		return ERR_CAST(pdev);
	}
	hw->pdev = pdev;

	return hw;
}

static void xe_emu_hw_destroy(struct xe_emu_hw *hw)
{
	platform_device_unregister(hw->pdev);
	xe_emu_hw_free(hw);
}

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
}
