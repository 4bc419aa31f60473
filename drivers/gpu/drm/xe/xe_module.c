// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>

#include "emu/xe_emu.h"
#include "xe_device.h"
#include "xe_drv.h"

/**
 * DOC: Module
 *
 * Loading the module registers the driver, then builds the virtual GPUs,
 * which the driver binds to at once. Unloading unplugs the GPUs (the
 * driver unbinds from each) and unregisters the driver.
 *
 * Parameters, read once at load:
 *
 * - num_devices: how many virtual GPUs to build, 1 to 8 (default 1);
 * - vram_size_mb: device memory of each GPU in MiB, an even number from
 *   16 to 4096 (default 256). It is backed by kernel memory.
 */

static unsigned int xe_num_devices = 1;
module_param_named(num_devices, xe_num_devices, uint, 0444);
MODULE_PARM_DESC(num_devices, "Number of virtual GPUs, 1-8 (default 1)");

static unsigned int xe_vram_size_mb = 256;
module_param_named(vram_size_mb, xe_vram_size_mb, uint, 0444);
MODULE_PARM_DESC(vram_size_mb,
		 "Device memory per GPU in MiB, even, 16-4096 (default 256)");

static int __init xe_init(void)
{
	int err;

	if (xe_num_devices < 1 || xe_num_devices > 8) {
		pr_err("xe: num_devices=%u is not in 1-8\n", xe_num_devices);
		return -EINVAL;
	}
	if (xe_vram_size_mb < 16 || xe_vram_size_mb > 4096 || xe_vram_size_mb % 2) {
		pr_err("xe: vram_size_mb=%u is not an even number in 16-4096\n",
		       xe_vram_size_mb);
		return -EINVAL;
	}

	err = platform_driver_register(&xe_platform_driver);
	if (err)
		return err;

	err = xe_emu_init(xe_num_devices, (u64)xe_vram_size_mb * SZ_1M);
	if (err) {
		platform_driver_unregister(&xe_platform_driver);
		return err;
	}

	return 0;
}

static void __exit xe_exit(void)
{
	xe_emu_fini();
	platform_driver_unregister(&xe_platform_driver);
}

module_init(xe_init);
module_exit(xe_exit);

MODULE_DESCRIPTION(DRIVER_DESC);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMA_BUF);
