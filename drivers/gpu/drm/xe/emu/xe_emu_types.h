/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_EMU_TYPES_H_
#define _XE_EMU_TYPES_H_

#include <linux/atomic.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "xe_emu_hw.h"

struct dentry;
struct fwnode_handle;
struct irq_domain;
struct platform_device;
struct task_struct;

/* Engine slots, one per fuse bit: BCS0-BCS7, then CCS0-CCS7. */
#define XE_EMU_ENGINE_SLOTS		16

/*
 * Device address inside the emulator: a bus address of system memory, or
 * a device-memory offset with this bit set. The contract's own marker,
 * XE_EMU_ADDR_DM, is bit 47, which is also an address bit of a PTE; bit 63
 * is neither, so the two address spaces cannot be confused.
 */
#define XE_EMU_PA_DM			BIT_ULL(63)

/* TLB geometry: a set-associative cache of leaf translations. */
#define XE_EMU_TLB_SETS			32
#define XE_EMU_TLB_WAYS			4

/**
 * struct xe_emu_ct_ring - registers of one command-transport ring
 */
struct xe_emu_ct_ring {
	/** @base: bus address of the ring */
	u64 base;
	/** @size: bytes */
	u32 size;
	/** @head: dwords from @base */
	u32 head;
	/** @tail: dwords from @base */
	u32 tail;
};

/**
 * struct xe_emu_fault - why a translation failed
 */
struct xe_emu_fault {
	/** @va: the address that could not be translated */
	u64 va;
	/** @access: XE_EMU_ACCESS_* */
	u32 access;
	/** @level: page-table level at which the walk stopped */
	u32 level;
	/** @reason: XE_EMU_FAULT_* */
	u32 reason;
};

/**
 * struct xe_emu_xlate - result of a translation
 */
struct xe_emu_xlate {
	/**
	 * @pa: device address (XE_EMU_PA_DM for VRAM) of the translated
	 * address; after -EIO, the page-table address that was unreachable
	 */
	u64 pa;
	/** @len: bytes mapped contiguously from the translated address */
	u64 len;
	/** @null: the page is XE_EMU_PTE_NULL: reads zero, drops writes */
	bool null;
	/** @fault: filled when the translation fails with -EFAULT */
	struct xe_emu_fault fault;
};

/**
 * enum xe_emu_cs_result - how a time slice of a context ended
 * @XE_EMU_CS_IDLE: the ring is empty
 * @XE_EMU_CS_YIELD: the slice is used up, or the context must stop
 * @XE_EMU_CS_FAULT: a translation failed (&xe_emu_cs_outcome.fault)
 * @XE_EMU_CS_ERROR: the context hit an error (&xe_emu_cs_outcome.err)
 */
enum xe_emu_cs_result {
	XE_EMU_CS_IDLE,
	XE_EMU_CS_YIELD,
	XE_EMU_CS_FAULT,
	XE_EMU_CS_ERROR,
};

/**
 * struct xe_emu_cs_outcome - details of a slice that ended in trouble
 */
struct xe_emu_cs_outcome {
	/** @fault: the failed translation, for XE_EMU_CS_FAULT */
	struct xe_emu_fault fault;
	/** @err: XE_EMU_CTX_ERR_*, for XE_EMU_CS_ERROR */
	u32 err;
	/** @detail: offending address or command dword, for XE_EMU_CS_ERROR */
	u64 detail;
};

/**
 * struct xe_emu_tlb_entry - one cached leaf translation
 */
struct xe_emu_tlb_entry {
	/** @va: virtual address of the page, aligned to its size */
	u64 va;
	/** @pa: device address of the page (XE_EMU_PA_DM for VRAM) */
	u64 pa;
	/** @pte: the leaf entry the translation was read from */
	u64 pte;
	/** @asid: address space the translation belongs to */
	u32 asid;
	/** @shift: log2 of the page size, 0 for an empty entry */
	u8 shift;
};

/**
 * struct xe_emu_tlb - an engine's translation cache
 */
struct xe_emu_tlb {
	/** @entry: XE_EMU_TLB_SETS sets of XE_EMU_TLB_WAYS entries */
	struct xe_emu_tlb_entry entry[XE_EMU_TLB_SETS][XE_EMU_TLB_WAYS];
	/** @victim: per set, the way the next insertion replaces */
	u8 victim[XE_EMU_TLB_SETS];
};

/**
 * enum xe_emu_ctx_state - scheduling state of a context
 * @XE_EMU_CTX_IDLE: registered, nothing to do (ring was empty)
 * @XE_EMU_CTX_READY: on its engine's run queue, or running on it
 * @XE_EMU_CTX_STALLED: waiting for the reply to its page fault
 * @XE_EMU_CTX_ERROR: dead until deregistered
 */
enum xe_emu_ctx_state {
	XE_EMU_CTX_IDLE,
	XE_EMU_CTX_READY,
	XE_EMU_CTX_STALLED,
	XE_EMU_CTX_ERROR,
};

/**
 * struct xe_emu_ctx - a registered context
 *
 * Created and freed by the GuC thread, which alone looks contexts up by
 * id. An engine reaches a context only through its run queue and while it
 * is the engine's &xe_emu_engine.active context; deregistration waits for
 * that to end before freeing.
 */
struct xe_emu_ctx {
	/** @hw: the device */
	struct xe_emu_hw *hw;
	/** @engine: the engine that runs it, NULL if registration failed */
	struct xe_emu_engine *engine;
	/** @id: context id */
	u32 id;
	/** @desc: bus address of the descriptor */
	u64 desc;
	/** @desc_ok: the descriptor is in memory the device reaches */
	bool desc_ok;
	/** @ring_base: bus address of the ring, from the descriptor */
	u64 ring_base;
	/** @ring_size: bytes, from the descriptor */
	u32 ring_size;
	/** @flags: XE_EMU_CTX_*, from the descriptor */
	u32 flags;
	/** @pt_root: device address of the PML4, from the descriptor */
	u64 pt_root;
	/** @asid: address-space id, from the descriptor */
	u32 asid;

	/** @ring_head: next command's byte offset; engine thread, while active */
	u32 ring_head;
	/** @in_batch: executing a batch; engine thread, while active */
	bool in_batch;
	/** @batch_va: address of the next batch command; as @in_batch */
	u64 batch_va;

	/** @link: entry in &xe_emu_engine.runq; engine lock */
	struct list_head link;
	/** @state: scheduling state; engine lock */
	enum xe_emu_ctx_state state;
	/** @kick: run again after the current slice; engine lock */
	bool kick;
	/** @dying: being deregistered, never to run again; engine lock */
	bool dying;
	/** @fault_id: id of the outstanding page fault; engine lock */
	u32 fault_id;
	/** @fault: the outstanding page fault; engine lock */
	struct xe_emu_fault fault;
};

/**
 * struct xe_emu_engine - one engine: its thread, run queue and TLB
 */
struct xe_emu_engine {
	/** @hw: the device */
	struct xe_emu_hw *hw;
	/** @slot: fuse bit, also the index of XE_EMU_IRQ_USER */
	unsigned int slot;
	/** @class: XE_EMU_ENGINE_CLASS_* */
	u32 class;
	/** @instance: instance within @class */
	u32 instance;
	/** @name: "bcs0", "ccs3", ... */
	char name[8];
	/** @thread: the command streamer */
	struct task_struct *thread;
	/** @lock: protects @runq, @active and the scheduling fields of contexts */
	spinlock_t lock;
	/** @runq: READY contexts waiting for the engine; @lock */
	struct list_head runq;
	/** @active: context being executed, or NULL; @lock */
	struct xe_emu_ctx *active;
	/** @work_wq: the thread waits here for @runq to fill */
	wait_queue_head_t work_wq;
	/** @idle_wq: deregistration waits here for @active to change */
	wait_queue_head_t idle_wq;
	/**
	 * @mmu_lock: protects @tlb; held from a translation until the access
	 * made through it is complete, so that holding it once proves no
	 * access through a forgotten translation is in flight
	 */
	struct mutex mmu_lock;
	/** @tlb: cached translations; @mmu_lock */
	struct xe_emu_tlb tlb;
};

/**
 * struct xe_emu_deferred - an H2G message held back by a delay knob
 */
struct xe_emu_deferred {
	/** @link: entry in a list of &xe_emu_hw, in arrival order */
	struct list_head link;
	/** @due: jiffies at which to act on it */
	unsigned long due;
	/** @len: payload dwords */
	u32 len;
	/** @msg: header and payload */
	u32 msg[1 + XE_EMU_CT_MAX_LEN];
};

/**
 * struct xe_emu_knobs - fault injection, set through debugfs
 */
struct xe_emu_knobs {
	/** @fault_reply_delay_ms: hold each PAGE_FAULT_REPLY this long */
	u32 fault_reply_delay_ms;
	/** @drop_fault_replies: ignore this many PAGE_FAULT_REPLYs */
	atomic_t drop_fault_replies;
	/** @engine_delay_us: sleep this long before each command */
	u32 engine_delay_us;
	/** @copy_fail: fail this many MEM_COPY/MEM_SET with ERR_COPY */
	atomic_t copy_fail;
	/** @tlb_inval_delay_ms: delay each TLB invalidation this long */
	u32 tlb_inval_delay_ms;
};

/**
 * struct xe_emu_stats - event counters, read through debugfs
 */
struct xe_emu_stats {
	/** @commands: commands executed */
	atomic64_t commands;
	/** @faults: page faults reported */
	atomic64_t faults;
	/** @fault_replies: page-fault replies acted on */
	atomic64_t fault_replies;
	/** @tlb_hits: translations found in a TLB */
	atomic64_t tlb_hits;
	/** @tlb_misses: translations that walked the page tables */
	atomic64_t tlb_misses;
	/** @tlb_invalidations: TLB_INVALIDATE requests completed */
	atomic64_t tlb_invalidations;
	/** @contexts_registered: successful CONTEXT_REGISTERs */
	atomic64_t contexts_registered;
	/** @context_errors: CONTEXT_ERRORs reported */
	atomic64_t context_errors;
	/** @h2g_messages: H2G messages consumed */
	atomic64_t h2g_messages;
	/** @g2h_messages: G2H messages written */
	atomic64_t g2h_messages;
};

/**
 * struct xe_emu_hw - one emulated GPU, private to the emulator
 *
 * The driver sees only the opaque pointer in &struct xe_emu_bus.
 */
struct xe_emu_hw {
	/** @pdev: the platform device that represents the GPU on its bus */
	struct platform_device *pdev;
	/** @index: instance number, also the platform device id */
	unsigned int index;
	/** @vram: backing store of device memory */
	void *vram;
	/** @vram_size: size of @vram in bytes */
	u64 vram_size;
	/** @engine_fuse: value of XE_EMU_REG_ENGINE_FUSE */
	u32 engine_fuse;
	/** @scratch: value of XE_EMU_REG_SCRATCH, written concurrently */
	u32 scratch;
	/** @reset_ns: CLOCK_MONOTONIC_RAW at reset, where the timestamp starts */
	u64 reset_ns;

	/** @reg_lock: protects the registers below and the CT rings' memory */
	spinlock_t reg_lock;
	/** @irq_status: XE_EMU_REG_IRQ_STATUS; @reg_lock */
	u32 irq_status;
	/** @irq_enable: XE_EMU_REG_IRQ_ENABLE; @reg_lock */
	u32 irq_enable;
	/** @ct_ctl: XE_EMU_REG_CT_CTL; @reg_lock */
	u32 ct_ctl;
	/** @h2g: host-to-GPU ring registers; @reg_lock */
	struct xe_emu_ct_ring h2g;
	/** @g2h: GPU-to-host ring registers; @reg_lock */
	struct xe_emu_ct_ring g2h;

	/** @irq_fwnode: names @irq_domain */
	struct fwnode_handle *irq_fwnode;
	/** @irq_domain: the interrupt controller the line hangs off */
	struct irq_domain *irq_domain;
	/** @irq: Linux interrupt number of the line */
	unsigned int irq;
	/** @irq_masked: the kernel masked the line at its controller */
	bool irq_masked;
	/** @irq_work: delivers the interrupt, in hard interrupt context */
	struct irq_work irq_work;

	/** @guc: the thread that consumes H2G messages */
	struct task_struct *guc;
	/** @guc_wq: @guc waits here for the doorbell */
	wait_queue_head_t guc_wq;
	/** @g2h_lock: serialises G2H writers, who may sleep for room */
	struct mutex g2h_lock;
	/** @g2h_wq: G2H writers wait here for room */
	wait_queue_head_t g2h_wq;
	/** @ctx: registered contexts by id; GuC thread only */
	struct xe_emu_ctx **ctx;
	/** @deferred_replies: delayed PAGE_FAULT_REPLYs; GuC thread only */
	struct list_head deferred_replies;
	/** @deferred_invals: delayed TLB_INVALIDATEs; GuC thread only */
	struct list_head deferred_invals;
	/** @fault_seq: source of fault ids */
	atomic_t fault_seq;

	/** @engines: engines by fuse bit, NULL where fused off */
	struct xe_emu_engine *engines[XE_EMU_ENGINE_SLOTS];

	/** @stopping: teardown has begun; threads finish what they do and exit */
	bool stopping;
	/** @stop_wq: long sleeps of the device threads wait here */
	wait_queue_head_t stop_wq;

	/** @knobs: fault injection */
	struct xe_emu_knobs knobs;
	/** @stats: event counters */
	struct xe_emu_stats stats;
	/** @debugfs: this device's debugfs directory */
	struct dentry *debugfs;
};

#endif
