/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_EMU_H_
#define _XE_EMU_H_

#include <linux/types.h>

#include "xe_emu_types.h"

/* xe_emu.c: devices, registers, interrupt line */
int xe_emu_init(unsigned int num_devices, u64 vram_size);
void xe_emu_fini(void);

u32 xe_emu_reg_read(struct xe_emu_hw *hw, u32 reg);
void xe_emu_reg_write(struct xe_emu_hw *hw, u32 reg, u32 val);

struct xe_emu_hw *xe_emu_test_create(u64 vram_size);
void xe_emu_test_destroy(struct xe_emu_hw *hw);

void xe_emu_irq_latch(struct xe_emu_hw *hw, u32 events);
bool xe_emu_stopping(struct xe_emu_hw *hw);
void xe_emu_sleep_us(struct xe_emu_hw *hw, u64 us);

/* xe_emu_mem.c: device accesses to memory ("DMA") */
bool xe_emu_mem_phys(u64 addr, u64 *pa);
u64 xe_emu_mem_bus_addr(u64 pa);
bool xe_emu_mem_reachable(struct xe_emu_hw *hw, u64 pa, u64 len);
int xe_emu_mem_read(struct xe_emu_hw *hw, u64 pa, void *buf, size_t len);
int xe_emu_mem_write(struct xe_emu_hw *hw, u64 pa, const void *buf, size_t len);
int xe_emu_mem_fill(struct xe_emu_hw *hw, u64 pa, u8 val, size_t len, u64 *bad);
int xe_emu_mem_copy(struct xe_emu_hw *hw, u64 dst, u64 src, size_t len, u64 *bad);
int xe_emu_mem_read32(struct xe_emu_hw *hw, u64 pa, u32 *val);
int xe_emu_mem_write32(struct xe_emu_hw *hw, u64 pa, u32 val);
int xe_emu_mem_read64(struct xe_emu_hw *hw, u64 pa, u64 *val);
int xe_emu_mem_atomic(struct xe_emu_hw *hw, u64 pa, u32 op, u32 src0, u32 src1);

/* xe_emu_mmu.c: page-table walker and TLBs */
int xe_emu_mmu_translate(struct xe_emu_engine *engine, const struct xe_emu_ctx *ctx,
			 u64 va, u32 access, struct xe_emu_xlate *xlate);
void xe_emu_mmu_invalidate(struct xe_emu_engine *engine, u32 asid, u64 start, u64 len);

/* xe_emu_ct.c: command transport and the GuC thread */
int xe_emu_ct_init(struct xe_emu_hw *hw);
void xe_emu_ct_stop(struct xe_emu_hw *hw);
void xe_emu_ct_fini(struct xe_emu_hw *hw);
bool xe_emu_ct_valid(struct xe_emu_hw *hw);
int xe_emu_g2h_send(struct xe_emu_hw *hw, u32 action, const u32 *payload, u32 len);
void xe_emu_ctx_error(struct xe_emu_ctx *ctx, u32 reason, u64 detail);

/* xe_emu_engine.c: engine threads and their schedulers */
int xe_emu_engines_init(struct xe_emu_hw *hw);
void xe_emu_engines_stop(struct xe_emu_hw *hw);
void xe_emu_engines_fini(struct xe_emu_hw *hw);
struct xe_emu_engine *xe_emu_engine_lookup(struct xe_emu_hw *hw, u32 id);
void xe_emu_ctx_set_state(struct xe_emu_ctx *ctx, enum xe_emu_ctx_state state);
void xe_emu_engine_run(struct xe_emu_ctx *ctx);
int xe_emu_engine_reply(struct xe_emu_ctx *ctx, u32 fault_id, bool ok,
			struct xe_emu_fault *fault);
bool xe_emu_engine_detach(struct xe_emu_ctx *ctx);
void xe_emu_engine_kill(struct xe_emu_ctx *ctx);

/* xe_emu_cs.c: the command streamer */
enum xe_emu_cs_result xe_emu_cs_run(struct xe_emu_engine *engine, struct xe_emu_ctx *ctx,
				    struct xe_emu_cs_outcome *out);

/* xe_emu_debugfs.c */
void xe_emu_debugfs_init(void);
void xe_emu_debugfs_fini(void);
void xe_emu_debugfs_register(struct xe_emu_hw *hw);
void xe_emu_debugfs_unregister(struct xe_emu_hw *hw);

#endif
