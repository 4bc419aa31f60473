// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "xe_device_types.h"
#include "xe_dma_pages.h"

/**
 * DOC: DMA mappings of user pages
 *
 * Userptr VMAs map user pages for the device to reach. Any number of VMAs,
 * in any number of VMs and processes, may mirror the same page (a shared
 * mapping, or one buffer bound in many VMs), and mapping a page once per
 * VMA would give it as many overlapping DMA mappings: wasteful, and beyond
 * a handful a reportable misuse of the DMA API. So the device keeps one
 * mapping per page, counted: the first user maps it, the last one unmaps
 * it.
 *
 * Entries are kept in &xe_device.dma_pages by page frame number. Mapping
 * allocates and may sleep; unmapping allocates nothing and may be called
 * from MMU-notifier callbacks, under the VM's page-table lock. A caller
 * unmaps a page only after its PTEs no longer point at it, and before the
 * notifier callback that announces the page's end returns, exactly as it
 * would with a mapping of its own.
 *
 * Mirrored memory is mapped a CPU mapping at a time, so a 2 MiB THP is one
 * mapping of order 9 under its first page's entry. A block asked for at an
 * order other than its entry's (a THP split since it was first mapped) is
 * mapped on its own, outside the table: rare, and the entry's address
 * tells such a mapping apart when it is unmapped.
 *
 * Locking: the xarray's lock protects every entry's count; it nests inside
 * everything and nothing is taken under it but the DMA API's own locks.
 */

#define XE_DMA_PAGE_ATTRS	DMA_ATTR_SKIP_CPU_SYNC

struct xe_dma_page {
	dma_addr_t addr;
	/* the mapping covers 2^order pages from the entry's */
	unsigned int order;
	/* users, under the xarray's lock */
	unsigned long count;
};

static void xe_dma_pages_fini(struct drm_device *drm, void *arg)
{
	struct xe_device *xe = to_xe_device(drm);

	drm_WARN_ON(drm, !xa_empty(&xe->dma_pages));
	xa_destroy(&xe->dma_pages);
}

/**
 * xe_dma_pages_init() - set up the device's shared page mappings
 * @xe: the device
 *
 * Return: 0 or -ENOMEM.
 */
int xe_dma_pages_init(struct xe_device *xe)
{
	xa_init(&xe->dma_pages);
	return drmm_add_action_or_reset(&xe->drm, xe_dma_pages_fini, NULL);
}

/* Takes a use of the block's entry, if there is one of its order. */
static bool xe_dma_page_get_locked(struct xe_device *xe, unsigned long pfn, unsigned int order,
				   dma_addr_t *addr)
{
	struct xe_dma_page *entry = xa_load(&xe->dma_pages, pfn);

	if (!entry || entry->order != order)
		return false;
	entry->count++;
	*addr = entry->addr;
	return true;
}

/**
 * xe_dma_page_map_order() - get the device's DMA address of a block of pages
 * @xe: the device
 * @page: the block's first page; its owner keeps the block alive until the
 *	  matching unmap
 * @order: the block is 2^@order pages
 * @addr: the bus address
 *
 * Return: 0; -ENOMEM when the block cannot be mapped or tracked.
 */
int xe_dma_page_map_order(struct xe_device *xe, struct page *page, unsigned int order,
			  dma_addr_t *addr)
{
	struct device *dev = xe->drm.dev;
	unsigned long pfn = page_to_pfn(page);
	struct xe_dma_page *new, *old;
	bool found;

	xa_lock(&xe->dma_pages);
	found = xe_dma_page_get_locked(xe, pfn, order, addr);
	xa_unlock(&xe->dma_pages);
	if (found)
		return 0;

	new = kmalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	new->count = 1;
	new->order = order;
	new->addr = dma_map_page_attrs(dev, page, 0, PAGE_SIZE << order, DMA_BIDIRECTIONAL,
				       XE_DMA_PAGE_ATTRS);
	if (dma_mapping_error(dev, new->addr)) {
		kfree(new);
		return -ENOMEM;
	}

	xa_lock(&xe->dma_pages);
	old = __xa_cmpxchg(&xe->dma_pages, pfn, NULL, new, GFP_KERNEL_ACCOUNT);
	if (!old) {
		*addr = new->addr;
		new = NULL;
	} else if (!xa_is_err(old)) {
		/* Another user mapped it meanwhile: share theirs if it is alike. */
		found = xe_dma_page_get_locked(xe, pfn, order, addr);
		if (!found) {
			*addr = new->addr;
			kfree(new);
			new = NULL;
		}
	}
	xa_unlock(&xe->dma_pages);

	if (new) {
		dma_unmap_page_attrs(dev, new->addr, PAGE_SIZE << order, DMA_BIDIRECTIONAL,
				     XE_DMA_PAGE_ATTRS);
		kfree(new);
	}
	return xa_is_err(old) ? xa_err(old) : 0;
}

/**
 * xe_dma_page_map() - get the device's DMA address of a page
 * @xe: the device
 * @page: the page, which its owner keeps alive until the matching unmap
 * @addr: the bus address
 *
 * Return: 0; -ENOMEM when the page cannot be mapped or tracked.
 */
int xe_dma_page_map(struct xe_device *xe, struct page *page, dma_addr_t *addr)
{
	return xe_dma_page_map_order(xe, page, 0, addr);
}

/**
 * xe_dma_page_unmap_order() - drop a use of a block's DMA mapping
 * @xe: the device
 * @pfn: the block's first page frame, as mapped with xe_dma_page_map_order()
 * @order: the order it was mapped at
 * @addr: the address the mapping returned
 *
 * Allocates nothing; the last use unmaps the block.
 */
void xe_dma_page_unmap_order(struct xe_device *xe, unsigned long pfn, unsigned int order,
			     dma_addr_t addr)
{
	struct xe_dma_page *entry;
	bool shared;

	xa_lock(&xe->dma_pages);
	entry = xa_load(&xe->dma_pages, pfn);
	shared = entry && entry->order == order && entry->addr == addr;
	if (shared && !--entry->count)
		__xa_erase(&xe->dma_pages, pfn);
	else
		entry = NULL;
	xa_unlock(&xe->dma_pages);

	/* A mapping of its own (see above), or the last use of a shared one. */
	if (!shared || entry)
		dma_unmap_page_attrs(xe->drm.dev, addr, PAGE_SIZE << order, DMA_BIDIRECTIONAL,
				     XE_DMA_PAGE_ATTRS);
	kfree(entry);
}
