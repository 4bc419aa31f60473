// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/bits.h>
#include <linux/hash.h>
#include <linux/lockdep.h>
#include <linux/log2.h>
#include <linux/mutex.h>

#include "xe_emu.h"
#include "xe_emu_hw.h"
#include "xe_emu_types.h"

/**
 * DOC: GPU MMU
 *
 * Each engine translates the virtual addresses of the contexts it runs:
 * first in its TLB, then, on a miss, by walking the context's four-level
 * page table as the contract's GPU MMU section describes. The walk reads
 * the entries the driver wrote, from system memory or VRAM, at the moment
 * of the miss.
 *
 * The TLB caches leaf translations only: 4 KiB, 64 KiB (from any entry of
 * a XE_EMU_PTE_PS64 group), 2 MiB and 1 GiB pages, tagged with the address-space
 * id, in XE_EMU_TLB_SETS sets of XE_EMU_TLB_WAYS ways replaced round
 * robin. Nothing but xe_emu_mmu_invalidate() (TLB_INVALIDATE) and capacity
 * evictions make it forget; switching contexts does not, which is what
 * the ASID tag is for. So a driver that rewrites a PTE without
 * invalidating keeps seeing the old page, as on hardware.
 *
 * Failed walks are not cached. When a cached translation does not allow
 * an access (a write through a read-only page, say) the entry is dropped
 * and the tables are walked again before a fault is reported, as x86 CPUs
 * do: a driver that upgraded a PTE does not need to invalidate for the
 * upgrade to be seen, but one that downgraded it does.
 *
 * Address bits below the page size are ignored in a leaf, so a 64 KiB,
 * 2 MiB or 1 GiB page always starts at an address aligned to its size.
 */

/**
 * DOC: Locking
 *
 * &xe_emu_engine.mmu_lock protects the TLB. The command streamer holds it
 * from a translation until the access made through it has completed, and
 * xe_emu_mmu_invalidate() takes it to drop entries: once it returns, the
 * engine has forgotten the range and no access through a forgotten
 * translation is in flight.
 */

#define XE_EMU_PT_SHIFT		12
#define XE_EMU_PT_LEVEL_BITS	9
#define XE_EMU_PT_ENTRIES	BIT(XE_EMU_PT_LEVEL_BITS)
#define XE_EMU_SHIFT_4K		12
#define XE_EMU_SHIFT_64K	16
#define XE_EMU_SHIFT_2M		21
#define XE_EMU_SHIFT_1G		30

static const u8 xe_emu_tlb_shifts[] = {
	XE_EMU_SHIFT_4K, XE_EMU_SHIFT_64K, XE_EMU_SHIFT_2M, XE_EMU_SHIFT_1G,
};

static unsigned int xe_emu_tlb_set(u32 asid, u64 va, unsigned int shift)
{
	u64 key = (va >> shift) ^ ((u64)asid << 36) ^ shift;

	return hash_64(key, ilog2(XE_EMU_TLB_SETS));
}

static struct xe_emu_tlb_entry *xe_emu_tlb_lookup(struct xe_emu_tlb *tlb, u32 asid, u64 va)
{
	unsigned int i, way;

	for (i = 0; i < ARRAY_SIZE(xe_emu_tlb_shifts); i++) {
		unsigned int shift = xe_emu_tlb_shifts[i];
		u64 base = va & ~(BIT_ULL(shift) - 1);
		unsigned int set = xe_emu_tlb_set(asid, base, shift);

		for (way = 0; way < XE_EMU_TLB_WAYS; way++) {
			struct xe_emu_tlb_entry *e = &tlb->entry[set][way];

			if (e->shift == shift && e->asid == asid && e->va == base)
				return e;
		}
	}
	return NULL;
}

static void xe_emu_tlb_insert(struct xe_emu_tlb *tlb, const struct xe_emu_tlb_entry *new)
{
	unsigned int set = xe_emu_tlb_set(new->asid, new->va, new->shift);
	unsigned int way;

	for (way = 0; way < XE_EMU_TLB_WAYS; way++)
		if (!tlb->entry[set][way].shift)
			break;
	if (way == XE_EMU_TLB_WAYS) {
		way = tlb->victim[set];
		tlb->victim[set] = (way + 1) % XE_EMU_TLB_WAYS;
	}
	tlb->entry[set][way] = *new;
}

/* Whether a leaf allows an access; the XE_EMU_FAULT_* reason if not. */
static int xe_emu_mmu_check(u64 pte, u32 access, u32 *reason)
{
	if ((pte & XE_EMU_PTE_NULL) || access == XE_EMU_ACCESS_READ)
		return 0;
	if (!(pte & XE_EMU_PTE_RW)) {
		*reason = XE_EMU_FAULT_WRITE_PROTECTED;
		return -EFAULT;
	}
	if (access == XE_EMU_ACCESS_ATOMIC && !(pte & (XE_EMU_PTE_DM | XE_EMU_PTE_AE))) {
		*reason = XE_EMU_FAULT_ATOMIC;
		return -EFAULT;
	}
	return 0;
}

static u64 xe_emu_mmu_entry_addr(u64 pte)
{
	u64 addr = pte & XE_EMU_PTE_ADDR;

	return pte & XE_EMU_PTE_DM ? XE_EMU_PA_DM | addr : addr;
}

static int xe_emu_mmu_fault(struct xe_emu_xlate *xlate, u64 va, u32 access,
			    u32 level, u32 reason)
{
	xlate->fault.va = va;
	xlate->fault.access = access;
	xlate->fault.level = level;
	xlate->fault.reason = reason;
	return -EFAULT;
}

/*
 * Walk the tables of @ctx for @va and fill @leaf with the translation.
 * Return: 0, -EFAULT (@xlate->fault says why) or -EIO (@xlate->pa is the
 * address of the entry the device could not read).
 */
static int xe_emu_mmu_walk(struct xe_emu_hw *hw, const struct xe_emu_ctx *ctx, u64 va,
			   u32 access, struct xe_emu_tlb_entry *leaf, struct xe_emu_xlate *xlate)
{
	u64 table = ctx->pt_root, pte;
	unsigned int level, shift;
	u32 reason;

	for (level = 3; ; level--) {
		u64 entry = table + ((va >> (XE_EMU_PT_SHIFT + level * XE_EMU_PT_LEVEL_BITS)) &
				     (XE_EMU_PT_ENTRIES - 1)) * sizeof(u64);

		if (xe_emu_mem_read64(hw, entry, &pte)) {
			xlate->pa = entry;
			return -EIO;
		}
		if (!(pte & XE_EMU_PTE_PRESENT))
			return xe_emu_mmu_fault(xlate, va, access, level, XE_EMU_FAULT_NOT_PRESENT);
		if (level == 2 && (pte & XE_EMU_PDE_PS_1G)) {
			shift = XE_EMU_SHIFT_1G;
			break;
		}
		if (level == 1 && (pte & XE_EMU_PDE_PS_2M)) {
			shift = XE_EMU_SHIFT_2M;
			break;
		}
		if (level == 0) {
			shift = pte & XE_EMU_PTE_PS64 ? XE_EMU_SHIFT_64K : XE_EMU_SHIFT_4K;
			break;
		}
		table = xe_emu_mmu_entry_addr(pte);
	}

	if (xe_emu_mmu_check(pte, access, &reason))
		return xe_emu_mmu_fault(xlate, va, access, level, reason);

	leaf->va = va & ~(BIT_ULL(shift) - 1);
	leaf->pa = xe_emu_mmu_entry_addr(pte) & ~(BIT_ULL(shift) - 1);
	leaf->pte = pte;
	leaf->asid = ctx->asid;
	leaf->shift = shift;
	return 0;
}

static void xe_emu_mmu_fill(struct xe_emu_xlate *xlate, const struct xe_emu_tlb_entry *e, u64 va)
{
	xlate->pa = e->pa + (va - e->va);
	xlate->len = e->va + BIT_ULL(e->shift) - va;
	xlate->null = e->pte & XE_EMU_PTE_NULL;
}

/**
 * xe_emu_mmu_translate() - translate a virtual address for an access
 * @engine: the engine making the access, whose TLB is used
 * @ctx: the context whose page tables map @va
 * @va: the address
 * @access: XE_EMU_ACCESS_*
 * @xlate: the translation
 *
 * The caller holds &xe_emu_engine.mmu_lock until the access through the
 * translation has completed.
 *
 * Return:
 * * 0 - @xlate holds the device address of @va and the bytes mapped from
 *   it, or says the page is a NULL page;
 * * -EFAULT - no translation allows the access; @xlate->fault says where
 *   the walk stopped and why;
 * * -EIO - a page-table entry lies outside memory the device reaches;
 *   @xlate->pa is its address.
 */
int xe_emu_mmu_translate(struct xe_emu_engine *engine, const struct xe_emu_ctx *ctx,
			 u64 va, u32 access, struct xe_emu_xlate *xlate)
{
	struct xe_emu_hw *hw = engine->hw;
	struct xe_emu_tlb_entry *e, leaf;
	u32 reason;
	int err;

	lockdep_assert_held(&engine->mmu_lock);

	/* Bits 63:48 take no part in translation. */
	va &= GENMASK_ULL(47, 0);

	e = xe_emu_tlb_lookup(&engine->tlb, ctx->asid, va);
	if (e) {
		if (!xe_emu_mmu_check(e->pte, access, &reason)) {
			atomic64_inc(&hw->stats.tlb_hits);
			xe_emu_mmu_fill(xlate, e, va);
			return 0;
		}
		e->shift = 0;
	}

	atomic64_inc(&hw->stats.tlb_misses);
	err = xe_emu_mmu_walk(hw, ctx, va, access, &leaf, xlate);
	if (err)
		return err;
	xe_emu_tlb_insert(&engine->tlb, &leaf);
	xe_emu_mmu_fill(xlate, &leaf, va);
	return 0;
}

/**
 * xe_emu_mmu_invalidate() - make an engine forget translations
 * @engine: the engine
 * @asid: address space
 * @start: first virtual address of the range
 * @len: bytes, 0 for the whole address space
 *
 * Drops every cached translation of @asid that overlaps the range. Takes
 * &xe_emu_engine.mmu_lock, so when it returns no access through a dropped
 * translation is in flight on @engine.
 */
void xe_emu_mmu_invalidate(struct xe_emu_engine *engine, u32 asid, u64 start, u64 len)
{
	u64 last = len && start + len - 1 >= start ? start + len - 1 : U64_MAX;
	unsigned int set, way;

	if (!len)
		start = 0;

	mutex_lock(&engine->mmu_lock);
	for (set = 0; set < XE_EMU_TLB_SETS; set++) {
		for (way = 0; way < XE_EMU_TLB_WAYS; way++) {
			struct xe_emu_tlb_entry *e = &engine->tlb.entry[set][way];

			if (!e->shift || e->asid != asid)
				continue;
			if (e->va > last || e->va + BIT_ULL(e->shift) - 1 < start)
				continue;
			e->shift = 0;
		}
	}
	mutex_unlock(&engine->mmu_lock);
}
