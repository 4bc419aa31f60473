/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_PT_H_
#define _XE_PT_H_

#include <linux/types.h>

struct page;
struct xe_vm;

/**
 * struct xe_pt - one 4 KiB page table
 */
struct xe_pt {
	/** @page: the table's memory */
	struct page *page;
	/** @dma: its bus address, what the entry above points at */
	dma_addr_t dma;
	/** @entries: CPU view of the 512 entries, written under the VM's pt_lock */
	u64 *entries;
	/** @children: tables below, by index; NULL at level 0 */
	struct xe_pt **children;
	/** @level: 0 (PT) to 3 (PML4) */
	unsigned int level;
};

/**
 * struct xe_pt_backing - what a range of GPU addresses maps
 */
struct xe_pt_backing {
	/**
	 * @page: Required. The leaf for byte @offset of the range (address
	 * and XE_EMU_PTE_DM, nothing else), and in @contig the bytes from
	 * there on that are contiguous in the same memory.
	 */
	u64 (*page)(struct xe_pt_backing *backing, u64 offset, u64 *contig);
	/** @flags: bits every leaf gets: PRESENT, RW, AE, NULL */
	u64 flags;
};

struct xe_pt *xe_pt_create(struct xe_vm *vm, unsigned int level);
void xe_pt_destroy(struct xe_vm *vm, struct xe_pt *pt);
u64 xe_pt_table_entry(const struct xe_pt *pt);
int xe_pt_prepare(struct xe_vm *vm, u64 start, u64 end, struct xe_pt_backing *backing,
		  bool *replaced);
int xe_pt_commit_locked(struct xe_vm *vm, u64 start, u64 end,
			struct xe_pt_backing *backing, bool *replaced);
bool xe_pt_clear_locked(struct xe_vm *vm, u64 start, u64 end);

#endif
