// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "xe_emu.h"
#include "xe_emu_types.h"

/**
 * DOC: Fault injection and statistics
 *
 * Each device has a directory /sys/kernel/debug/xe_emu/<index>/ (test
 * devices use indices from 8 up), created with the device and removed
 * before it is freed. It always holds a read-only ``stats`` file, one
 * "name: value" line per counter of &struct xe_emu_stats. With
 * CONFIG_DRM_XE_DEBUG it also holds the fault-injection knobs, plain
 * decimal numbers, all 0 (off) at creation:
 *
 * - ``fault_reply_delay_ms``: hold each PAGE_FAULT_REPLY this long before
 *   acting on it (other H2G messages keep flowing);
 * - ``drop_fault_replies``: ignore the next N replies; their contexts stay
 *   stalled until deregistered;
 * - ``engine_delay_us``: sleep this long before each command;
 * - ``copy_fail``: the next N MEM_COPY or MEM_SET fail with
 *   XE_EMU_CTX_ERR_COPY;
 * - ``tlb_inval_delay_ms``: delay each TLB invalidation, during which the
 *   engines keep their old translations, and its TLB_INVALIDATE_DONE.
 */

/**
 * DOC: Locking
 *
 * None: the knobs are read with READ_ONCE() or are atomics, the counters
 * are atomics, and debugfs removal waits for open files to be done.
 */

static struct dentry *xe_emu_debugfs_root;

static int xe_emu_stats_show(struct seq_file *m, void *data)
{
	struct xe_emu_hw *hw = m->private;
	const struct {
		const char *name;
		atomic64_t *counter;
	} stats[] = {
		{ "commands", &hw->stats.commands },
		{ "faults", &hw->stats.faults },
		{ "fault_replies", &hw->stats.fault_replies },
		{ "tlb_hits", &hw->stats.tlb_hits },
		{ "tlb_misses", &hw->stats.tlb_misses },
		{ "tlb_invalidations", &hw->stats.tlb_invalidations },
		{ "contexts_registered", &hw->stats.contexts_registered },
		{ "context_errors", &hw->stats.context_errors },
		{ "h2g_messages", &hw->stats.h2g_messages },
		{ "g2h_messages", &hw->stats.g2h_messages },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stats); i++)
		seq_printf(m, "%s: %lld\n", stats[i].name, atomic64_read(stats[i].counter));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xe_emu_stats);

/**
 * xe_emu_debugfs_init() - create the xe_emu debugfs directory
 */
void xe_emu_debugfs_init(void)
{
	xe_emu_debugfs_root = debugfs_create_dir("xe_emu", NULL);
}

/**
 * xe_emu_debugfs_fini() - remove the xe_emu debugfs directory
 *
 * Every device's directory must be gone already.
 */
void xe_emu_debugfs_fini(void)
{
	debugfs_remove(xe_emu_debugfs_root);
	xe_emu_debugfs_root = NULL;
}

/**
 * xe_emu_debugfs_register() - create a device's debugfs directory
 * @hw: the device
 */
void xe_emu_debugfs_register(struct xe_emu_hw *hw)
{
	struct xe_emu_knobs *knobs = &hw->knobs;
	char name[16];

	snprintf(name, sizeof(name), "%u", hw->index);
	hw->debugfs = debugfs_create_dir(name, xe_emu_debugfs_root);
	debugfs_create_file("stats", 0444, hw->debugfs, hw, &xe_emu_stats_fops);

	if (!IS_ENABLED(CONFIG_DRM_XE_DEBUG))
		return;
	debugfs_create_u32("fault_reply_delay_ms", 0644, hw->debugfs,
			   &knobs->fault_reply_delay_ms);
	debugfs_create_atomic_t("drop_fault_replies", 0644, hw->debugfs,
				&knobs->drop_fault_replies);
	debugfs_create_u32("engine_delay_us", 0644, hw->debugfs, &knobs->engine_delay_us);
	debugfs_create_atomic_t("copy_fail", 0644, hw->debugfs, &knobs->copy_fail);
	debugfs_create_u32("tlb_inval_delay_ms", 0644, hw->debugfs,
			   &knobs->tlb_inval_delay_ms);
}

/**
 * xe_emu_debugfs_unregister() - remove a device's debugfs directory
 * @hw: the device
 *
 * Returns once no file of the directory is being read or written.
 */
void xe_emu_debugfs_unregister(struct xe_emu_hw *hw)
{
	debugfs_remove_recursive(hw->debugfs);
	hw->debugfs = NULL;
}
