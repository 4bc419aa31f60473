// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <kunit/visibility.h>

#include "emu/xe_emu_hw.h"
#include "xe_device_types.h"
#include "xe_pt.h"
#include "xe_vm_types.h"

/**
 * DOC: Page tables
 *
 * A VM's GPU page tables are a 4-level tree of 4 KiB tables in system
 * memory, in the format of the contract's GPU MMU. The tree only grows:
 * a table, once linked, stays until the VM is destroyed, so a walk never
 * meets a table that is being freed and no TLB invalidation is needed to
 * retire one.
 *
 * Writing a range is split in two, so that what may allocate never runs
 * where page tables must not wait for memory (MMU-notifier callbacks, and
 * under the notifier lock):
 *
 * - xe_pt_prepare() allocates every table the range needs, linking each
 *   under &xe_vm.pt_lock but allocating outside it;
 * - xe_pt_commit() then writes the leaves under &xe_vm.pt_lock without
 *   allocating anything. If it finds a table missing (the backing changed
 *   shape since prepare, e.g. it was 2 MiB contiguous and no longer is) it
 *   returns -EAGAIN and the caller prepares again.
 *
 * xe_pt_clear() writes the VM's empty entry over every leaf of a range,
 * again without allocating. Leaves are 1 GiB or 2 MiB where the backing is
 * contiguous and aligned over a whole level-2 or level-1 entry that has no
 * table yet (in practice 1 GiB leaves map NULL ranges), 64 KiB groups
 * where it is so over 64 KiB, 4 KiB otherwise.
 *
 * The work is proportional to the range, which userspace chooses: every
 * walk yields the CPU once per level-0 table, and a prepare that had to
 * allocate a table resumes where it stopped instead of walking the range
 * again.
 *
 * Every function reports whether it replaced a present entry: only then
 * can an engine's TLB hold a translation that no longer is, and only then
 * must the caller invalidate.
 *
 * An empty entry is 0, or, in a VM with a scratch page, an entry that maps
 * the range to nothing (XE_EMU_PTE_NULL leaves under shared scratch
 * tables): reads return zero and writes are dropped instead of faulting.
 */

#define XE_PT_ENTRIES		512
#define XE_PT_SHIFT(level)	(12 + 9 * (level))
#define XE_PT_SPAN(level)	(1ull << XE_PT_SHIFT(level))
#define XE_PT_INDEX(addr, level) (((addr) >> XE_PT_SHIFT(level)) & (XE_PT_ENTRIES - 1))

enum xe_pt_walk_mode {
	XE_PT_PREPARE,
	XE_PT_COMMIT,
	XE_PT_CLEAR,
};

struct xe_pt_walk {
	struct xe_vm *vm;
	enum xe_pt_walk_mode mode;
	struct xe_pt_backing *backing;
	u64 base;
	bool replaced;
	/* PREPARE: the first missing table, and the address it maps */
	struct xe_pt *parent;
	unsigned int index;
	u64 resume;
};

static void xe_pt_write(struct xe_pt_walk *w, u64 *entry, u64 value)
{
	if (*entry & XE_EMU_PTE_PRESENT)
		w->replaced = true;
	WRITE_ONCE(*entry, value);
}

/**
 * xe_pt_create() - allocate a page table
 * @vm: the VM
 * @level: its level, 0 (PT) to 3 (PML4)
 *
 * The table starts with every entry empty.
 *
 * Return: the table, or NULL without memory.
 */
struct xe_pt *xe_pt_create(struct xe_vm *vm, unsigned int level)
{
	struct device *dev = vm->xe->drm.dev;
	struct xe_pt *pt;
	unsigned int i;

	/* Userspace decides how many tables a VM gets: charge them to it. */
	pt = kzalloc(sizeof(*pt), GFP_KERNEL_ACCOUNT);
	if (!pt)
		return NULL;

	pt->level = level;
	pt->page = alloc_page(GFP_KERNEL_ACCOUNT);
	if (!pt->page)
		goto err_free;
	pt->entries = page_address(pt->page);
	for (i = 0; i < XE_PT_ENTRIES; i++)
		pt->entries[i] = vm->empty[level];

	if (level) {
		pt->children = kcalloc(XE_PT_ENTRIES, sizeof(*pt->children),
				       GFP_KERNEL_ACCOUNT);
		if (!pt->children)
			goto err_page;
	}

	pt->dma = dma_map_page(dev, pt->page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, pt->dma))
		goto err_children;

	return pt;

err_children:
	kfree(pt->children);
err_page:
	__free_page(pt->page);
err_free:
	kfree(pt);
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(xe_pt_create);

/**
 * xe_pt_destroy() - free a page table and every table below it
 * @vm: the VM
 * @pt: the table, which no engine may walk any more
 */
void xe_pt_destroy(struct xe_vm *vm, struct xe_pt *pt)
{
	unsigned int i;

	if (!pt)
		return;

	if (pt->children) {
		for (i = 0; i < XE_PT_ENTRIES; i++)
			xe_pt_destroy(vm, pt->children[i]);
		kfree(pt->children);
	}
	dma_unmap_page(vm->xe->drm.dev, pt->dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
	__free_page(pt->page);
	kfree(pt);
}
EXPORT_SYMBOL_IF_KUNIT(xe_pt_destroy);

/**
 * xe_pt_table_entry() - the entry that points at a table
 * @pt: the table
 *
 * Return: the entry to write into the level above.
 */
VISIBLE_IF_KUNIT u64 xe_pt_table_entry(const struct xe_pt *pt)
{
	return (pt->dma & XE_EMU_PTE_ADDR) | XE_EMU_PTE_PRESENT | XE_EMU_PTE_RW;
}
EXPORT_SYMBOL_IF_KUNIT(xe_pt_table_entry);

static int xe_pt_walk_leaves(struct xe_pt_walk *w, struct xe_pt *pt, u64 addr, u64 end)
{
	u64 empty = w->vm->empty[0];

	/* The table exists: nothing below it to allocate. */
	if (w->mode == XE_PT_PREPARE)
		return 0;

	while (addr < end) {
		u64 *entry = &pt->entries[XE_PT_INDEX(addr, 0)];
		u64 leaf, contig, i;

		if (w->mode == XE_PT_CLEAR) {
			if (*entry != empty)
				xe_pt_write(w, entry, empty);
			addr += SZ_4K;
			continue;
		}

		leaf = w->backing->page(w->backing, addr - w->base, &contig);
		if (IS_ALIGNED(addr, SZ_64K) && end - addr >= SZ_64K &&
		    contig >= SZ_64K && IS_ALIGNED(leaf & XE_EMU_PTE_ADDR, SZ_64K)) {
			if (w->mode == XE_PT_COMMIT)
				for (i = 0; i < SZ_64K / SZ_4K; i++)
					xe_pt_write(w, entry + i, (leaf + i * SZ_4K) |
						    w->backing->flags | XE_EMU_PTE_PS64);
			addr += SZ_64K;
			continue;
		}

		if (w->mode == XE_PT_COMMIT)
			xe_pt_write(w, entry, leaf | w->backing->flags);
		addr += SZ_4K;
	}

	return 0;
}

/* A 2 MiB (level 1) or 1 GiB (level 2) leaf, if the backing allows one. */
static bool xe_pt_try_huge(struct xe_pt_walk *w, unsigned int level, u64 *entry, u64 addr,
			   u64 next)
{
	u64 span = XE_PT_SPAN(level), leaf, contig;

	if (level > 2 || !IS_ALIGNED(addr, span) || next - addr != span)
		return false;

	leaf = w->backing->page(w->backing, addr - w->base, &contig);
	if (contig < span || !IS_ALIGNED(leaf & XE_EMU_PTE_ADDR, span))
		return false;

	/* XE_EMU_PDE_PS_1G is the same bit one level up. */
	if (w->mode == XE_PT_COMMIT)
		xe_pt_write(w, entry, leaf | w->backing->flags | XE_EMU_PDE_PS_2M);
	return true;
}

static int xe_pt_walk(struct xe_pt_walk *w, struct xe_pt *pt, u64 addr, u64 end)
{
	unsigned int level = pt->level;
	int err;

	if (!level)
		return xe_pt_walk_leaves(w, pt, addr, end);

	while (addr < end) {
		unsigned int idx = XE_PT_INDEX(addr, level);
		u64 next = min(round_down(addr, XE_PT_SPAN(level)) + XE_PT_SPAN(level), end);
		u64 *entry = &pt->entries[idx];
		struct xe_pt *child = pt->children[idx];

		if (child) {
			err = xe_pt_walk(w, child, addr, next);
			if (err)
				return err;
			if (level == 1)
				cond_resched();
		} else if (w->mode == XE_PT_CLEAR) {
			/* A huge leaf; mappings never split one. */
			if (*entry != w->vm->empty[level])
				xe_pt_write(w, entry, w->vm->empty[level]);
		} else if (!xe_pt_try_huge(w, level, entry, addr, next)) {
			if (w->mode == XE_PT_COMMIT)
				return -EAGAIN;
			w->parent = pt;
			w->index = idx;
			w->resume = addr;
			return -EAGAIN;
		}
		addr = next;
	}

	return 0;
}

static int xe_pt_walk_locked(struct xe_vm *vm, struct xe_pt_walk *w, u64 start, u64 end)
{
	lockdep_assert_held(&vm->pt_lock);
	w->vm = vm;
	return xe_pt_walk(w, vm->pt_root, start, end);
}

/**
 * xe_pt_prepare() - allocate the tables a mapping needs
 * @vm: the VM
 * @start: first byte of the range, 4 KiB aligned
 * @end: end of the range, 4 KiB aligned
 * @backing: what the range will map
 * @replaced: set when a present entry was overwritten (a scratch table
 *	      replaced by a real one: TLBs may hold scratch translations)
 *
 * Return: 0; -ENOMEM; -EINTR when the task was killed meanwhile. May
 * sleep; must not be called under locks that MMU-notifier callbacks take.
 */
int xe_pt_prepare(struct xe_vm *vm, u64 start, u64 end, struct xe_pt_backing *backing,
		  bool *replaced)
{
	struct xe_pt_walk w = {
		.mode = XE_PT_PREPARE,
		.backing = backing,
		.base = start,
	};
	struct xe_pt *new;
	int err;

	for (;;) {
		mutex_lock(&vm->pt_lock);
		err = xe_pt_walk_locked(vm, &w, start, end);
		mutex_unlock(&vm->pt_lock);
		*replaced |= w.replaced;
		if (err != -EAGAIN)
			return err;
		/* Tables are never freed: what was walked stays prepared. */
		start = w.resume;
		if (fatal_signal_pending(current))
			return -EINTR;

		new = xe_pt_create(vm, w.parent->level - 1);
		if (!new)
			return -ENOMEM;

		mutex_lock(&vm->pt_lock);
		if (!w.parent->children[w.index]) {
			w.parent->children[w.index] = new;
			xe_pt_write(&w, &w.parent->entries[w.index], xe_pt_table_entry(new));
			new = NULL;
		}
		mutex_unlock(&vm->pt_lock);
		xe_pt_destroy(vm, new);
	}
}
EXPORT_SYMBOL_IF_KUNIT(xe_pt_prepare);

/**
 * xe_pt_commit_locked() - write the leaves of a mapping
 * @vm: the VM, with &xe_vm.pt_lock held
 * @start: first byte of the range
 * @end: end of the range
 * @backing: what the range maps
 * @replaced: set when a present entry was overwritten (TLBs may hold it)
 *
 * Return: 0, or -EAGAIN if a table is missing: prepare again and retry.
 */
int xe_pt_commit_locked(struct xe_vm *vm, u64 start, u64 end,
			struct xe_pt_backing *backing, bool *replaced)
{
	struct xe_pt_walk w = {
		.mode = XE_PT_COMMIT,
		.backing = backing,
		.base = start,
	};
	int err;

	err = xe_pt_walk_locked(vm, &w, start, end);
	*replaced |= w.replaced;
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(xe_pt_commit_locked);

/**
 * xe_pt_clear_locked() - empty the leaves of a range
 * @vm: the VM, with &xe_vm.pt_lock held
 * @start: first byte of the range
 * @end: end of the range
 *
 * Allocates nothing; safe in MMU-notifier callbacks.
 *
 * Return: true if a present entry was cleared (TLBs may hold it).
 */
bool xe_pt_clear_locked(struct xe_vm *vm, u64 start, u64 end)
{
	struct xe_pt_walk w = {
		.mode = XE_PT_CLEAR,
	};

	xe_pt_walk_locked(vm, &w, start, end);
	return w.replaced;
}
EXPORT_SYMBOL_IF_KUNIT(xe_pt_clear_locked);
