/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_DMA_PAGES_H_
#define _XE_DMA_PAGES_H_

#include <linux/types.h>

struct page;
struct xe_device;

int xe_dma_pages_init(struct xe_device *xe);
int xe_dma_page_map(struct xe_device *xe, struct page *page, dma_addr_t *addr);
int xe_dma_page_map_order(struct xe_device *xe, struct page *page, unsigned int order,
			  dma_addr_t *addr);
void xe_dma_page_unmap_order(struct xe_device *xe, unsigned long pfn, unsigned int order,
			     dma_addr_t addr);

#endif
