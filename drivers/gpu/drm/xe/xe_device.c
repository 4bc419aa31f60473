// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/bitfield.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/xe_drm.h>

#include "emu/xe_emu_hw.h"
#include "xe_bo.h"
#include "xe_ct.h"
#include "xe_device.h"
#include "xe_device_types.h"
#include "xe_dma_pages.h"
#include "xe_drv.h"
#include "xe_exec.h"
#include "xe_exec_queue.h"
#include "xe_hw_engine.h"
#include "xe_irq.h"
#include "xe_migrate.h"
#include "xe_mmio.h"
#include "xe_pagefault.h"
#include "xe_query.h"
#include "xe_submit.h"
#include "xe_svm.h"
#include "xe_tlb_inval.h"
#include "xe_vm.h"

/**
 * DOC: Device
 *
 * The driver binds to the platform devices the emulated hardware plugs in
 * (emu/xe_emu_hw.h) and registers one DRM device per GPU, with a primary
 * and a render node. Probe reads what the device is from its registers,
 * lists its engines, sets up memory management, and registers the DRM
 * device last, so userspace never sees a half-initialised device.
 *
 * Everything probe sets up is released by managed actions: devres for
 * what lives as long as the binding, drmm for what must outlive it until
 * the last file is closed. Unbinding unplugs the DRM device first; open
 * files then get -ENODEV from ioctls and a dummy page for CPU faults.
 */

static const struct drm_ioctl_desc xe_ioctls[] = {
	DRM_IOCTL_DEF_DRV(XE_DEVICE_QUERY, xe_query_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_GEM_CREATE, xe_gem_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_GEM_MMAP_OFFSET, xe_gem_mmap_offset_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_VM_CREATE, xe_vm_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_VM_DESTROY, xe_vm_destroy_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_VM_BIND, xe_vm_bind_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_EXEC_QUEUE_CREATE, xe_exec_queue_create_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_EXEC_QUEUE_DESTROY, xe_exec_queue_destroy_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_EXEC_QUEUE_GET_PROPERTY, xe_exec_queue_get_property_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_EXEC, xe_exec_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(XE_WAIT_USER_FENCE, xe_wait_user_fence_ioctl, DRM_RENDER_ALLOW),
};

static int xe_file_open(struct drm_device *dev, struct drm_file *file)
{
	struct xe_file *xef = kzalloc(sizeof(*xef), GFP_KERNEL);

	if (!xef)
		return -ENOMEM;

	xef->xe = to_xe_device(dev);
	xef->drm = file;
	mutex_init(&xef->vm.lock);
	xa_init_flags(&xef->vm.xa, XA_FLAGS_ALLOC1);
	mutex_init(&xef->exec_queue.lock);
	xa_init_flags(&xef->exec_queue.xa, XA_FLAGS_ALLOC1);
	file->driver_priv = xef;
	return 0;
}

static void xe_file_close(struct drm_device *dev, struct drm_file *file)
{
	struct xe_file *xef = file->driver_priv;

	/* Queues first: they use the VMs. */
	xe_exec_queue_file_close(xef);
	xe_vm_file_close(xef);

	xa_destroy(&xef->exec_queue.xa);
	mutex_destroy(&xef->exec_queue.lock);
	xa_destroy(&xef->vm.xa);
	mutex_destroy(&xef->vm.lock);
	kfree(xef);
}

/*
 * The DRM core's syncobj ioctls size kernel arrays by the caller's handle
 * count without bounding it, and an allocation past what kmalloc can give
 * warns before it fails. Counts that no allocation could serve (the
 * largest per-handle entry is under 128 bytes) fail here first, quietly,
 * with the errno the core returns for a failed allocation. A thread that
 * rewrites the count between this check and the core's copy of the
 * arguments still reaches the core's warning: the bound belongs in the
 * core.
 */
#define XE_SYNCOBJ_MAX_HANDLES	(KMALLOC_MAX_SIZE / 128)

static long xe_drm_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	size_t offset;
	u32 count;

	switch (cmd) {
	case DRM_IOCTL_SYNCOBJ_WAIT:
		offset = offsetof(struct drm_syncobj_wait, count_handles);
		break;
	case DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT:
		offset = offsetof(struct drm_syncobj_timeline_wait, count_handles);
		break;
	case DRM_IOCTL_SYNCOBJ_RESET:
	case DRM_IOCTL_SYNCOBJ_SIGNAL:
		offset = offsetof(struct drm_syncobj_array, count_handles);
		break;
	case DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL:
	case DRM_IOCTL_SYNCOBJ_QUERY:
		offset = offsetof(struct drm_syncobj_timeline_array, count_handles);
		break;
	default:
		return drm_ioctl(file, cmd, arg);
	}

	if (copy_from_user(&count, uarg + offset, sizeof(count)))
		return -EFAULT;
	if (count > XE_SYNCOBJ_MAX_HANDLES)
		return -ENOMEM;
	return drm_ioctl(file, cmd, arg);
}

static const struct file_operations xe_driver_fops = {
	.owner = THIS_MODULE,
	.open = drm_open,
	.release = drm_release,
	.unlocked_ioctl = xe_drm_ioctl,
	.compat_ioctl = drm_compat_ioctl,
	.poll = drm_poll,
	.read = drm_read,
	.llseek = noop_llseek,
	.mmap = drm_gem_mmap,
	.fop_flags = FOP_UNSIGNED_OFFSET,
};

static const struct drm_driver xe_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE | DRIVER_GEM_GPUVA,
	.open = xe_file_open,
	.postclose = xe_file_close,
	.ioctls = xe_ioctls,
	.num_ioctls = ARRAY_SIZE(xe_ioctls),
	.fops = &xe_driver_fops,
	.name = DRIVER_NAME,
	.desc = DRIVER_DESC,
	.date = DRIVER_DATE,
	.major = DRIVER_MAJOR,
	.minor = DRIVER_MINOR,
	.patchlevel = DRIVER_PATCHLEVEL,
};

#define XE_SCRATCH_PATTERN	0x5a17e0c3

static int xe_device_read_info(struct xe_device *xe)
{
	u32 id, ver;

	/* A device that does not hold a written value is not there. */
	xe_mmio_write32(xe, XE_EMU_REG_SCRATCH, XE_SCRATCH_PATTERN);
	if (xe_mmio_read32(xe, XE_EMU_REG_SCRATCH) != XE_SCRATCH_PATTERN) {
		drm_err(&xe->drm, "device does not respond on its bus\n");
		return -ENODEV;
	}

	id = xe_mmio_read32(xe, XE_EMU_REG_ID);
	ver = xe_mmio_read32(xe, XE_EMU_REG_GFX_VERSION);
	xe->info.devid = FIELD_GET(XE_EMU_ID_DEVICE, id);
	xe->info.revid = FIELD_GET(XE_EMU_ID_REVISION, id);
	xe->info.graphics_ver = FIELD_GET(XE_EMU_GFX_VERSION_MAJOR, ver);
	xe->info.graphics_rel = FIELD_GET(XE_EMU_GFX_VERSION_MINOR, ver);
	xe->info.va_bits = xe_mmio_read32(xe, XE_EMU_REG_VA_BITS);
	xe->info.ref_clock = xe_mmio_read32(xe, XE_EMU_REG_TIMESTAMP_FREQ);
	xe->info.ct_version = xe_mmio_read32(xe, XE_EMU_REG_CT_VERSION);
	xe->info.dss_mask = xe_mmio_read32(xe, XE_EMU_REG_DSS_FUSE);
	xe->info.eu_mask = xe_mmio_read32(xe, XE_EMU_REG_EU_FUSE);
	xe->info.l3_bank_mask = xe_mmio_read32(xe, XE_EMU_REG_L3_BANK_FUSE);

	xe->mem.vram_size = xe_mmio_read64_2x32(xe, XE_EMU_REG_VRAM_SIZE_LO);
	xe->mem.vram_bar = xe->bus.vram_bar;
	if (!xe->mem.vram_size || !IS_ALIGNED(xe->mem.vram_size, PAGE_SIZE) ||
	    xe->info.va_bits < 32 || xe->info.va_bits > 57) {
		drm_err(&xe->drm, "unusable device: %llu bytes of VRAM, %u VA bits\n",
			xe->mem.vram_size, xe->info.va_bits);
		return -ENODEV;
	}

	return 0;
}

static void xe_device_fini_gt(struct drm_device *drm, void *arg)
{
	struct xe_device *xe = to_xe_device(drm);

	drm_WARN_ON(drm, !xa_empty(&xe->vms_by_asid));
	xa_destroy(&xe->vms_by_asid);
}

/* Brings up the GT's services: submission, invalidation, faults, CT, IRQ. */
static int xe_device_init_gt(struct xe_device *xe, struct platform_device *pdev)
{
	int err;

	init_waitqueue_head(&xe->ufence_wq);
	xa_init_flags(&xe->vms_by_asid, XA_FLAGS_ALLOC1);
	err = drmm_add_action_or_reset(&xe->drm, xe_device_fini_gt, NULL);
	if (err)
		return err;

	err = xe_dma_pages_init(xe);
	if (err)
		return err;
	err = xe_submit_init(xe);
	if (err)
		return err;
	err = xe_tlb_inval_init(xe);
	if (err)
		return err;
	xe_svm_device_init(xe);
	err = xe_pagefault_init(xe);
	if (err)
		return err;
	err = xe_ct_init(xe);
	if (err)
		return err;
	err = xe_irq_init(xe, pdev);
	if (err)
		return err;
	return xe_migrate_init(xe);
}

static int xe_probe(struct platform_device *pdev)
{
	const struct xe_emu_bus *bus = dev_get_platdata(&pdev->dev);
	struct xe_device *xe;
	int err;

	if (!bus)
		return -ENODEV;

	xe = devm_drm_dev_alloc(&pdev->dev, &xe_drm_driver, struct xe_device, drm);
	if (IS_ERR(xe))
		return PTR_ERR(xe);

	xe->bus = *bus;
	err = xe_device_read_info(xe);
	if (err)
		return err;

	err = xe_hw_engines_init_early(xe);
	if (err)
		return err;

	err = xe_bo_init_ttm(xe);
	if (err)
		return err;

	err = xe_device_init_gt(xe, pdev);
	if (err)
		return err;

	err = drm_dev_register(&xe->drm, 0);
	if (err)
		return err;
	xe_tlb_inval_debugfs_register(xe);
	xe_svm_debugfs_register(xe);

	platform_set_drvdata(pdev, xe);
	drm_info(&xe->drm, "virtual Xe GPU %04x rev %02x, IP %u.%02u: %u engines, %llu MiB VRAM\n",
		 xe->info.devid, xe->info.revid, xe->info.graphics_ver,
		 xe->info.graphics_rel, xe->num_hw_engines, xe->mem.vram_size >> 20);
	return 0;
}

static void xe_remove(struct platform_device *pdev)
{
	struct xe_device *xe = platform_get_drvdata(pdev);

	drm_dev_unplug(&xe->drm);
}

struct platform_driver xe_platform_driver = {
	.probe = xe_probe,
	.remove = xe_remove,
	.driver = {
		.name = XE_EMU_DEVICE_NAME,
	},
};
