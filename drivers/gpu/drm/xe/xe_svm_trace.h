/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM xe

#if !defined(_XE_SVM_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _XE_SVM_TRACE_H_

#include <linux/tracepoint.h>
#include <linux/types.h>

TRACE_EVENT(xe_svm_fault,
	    TP_PROTO(u32 asid, u64 addr, u32 access),
	    TP_ARGS(asid, addr, access),
	    TP_STRUCT__entry(__field(u32, asid)
			     __field(u64, addr)
			     __field(u32, access)),
	    TP_fast_assign(__entry->asid = asid;
			   __entry->addr = addr;
			   __entry->access = access;),
	    TP_printk("asid=%u addr=%#llx access=%u", __entry->asid, __entry->addr,
		      __entry->access)
);

TRACE_EVENT(xe_svm_fault_done,
	    TP_PROTO(u32 asid, u64 addr, u64 start, u64 end, int err, u32 retries, bool valid,
		     u32 get_pages_us, u32 bind_us, u32 total_us),
	    TP_ARGS(asid, addr, start, end, err, retries, valid, get_pages_us, bind_us, total_us),
	    TP_STRUCT__entry(__field(u32, asid)
			     __field(u64, addr)
			     __field(u64, start)
			     __field(u64, end)
			     __field(int, err)
			     __field(u32, retries)
			     __field(bool, valid)
			     __field(u32, get_pages_us)
			     __field(u32, bind_us)
			     __field(u32, total_us)),
	    TP_fast_assign(__entry->asid = asid;
			   __entry->addr = addr;
			   __entry->start = start;
			   __entry->end = end;
			   __entry->err = err;
			   __entry->retries = retries;
			   __entry->valid = valid;
			   __entry->get_pages_us = get_pages_us;
			   __entry->bind_us = bind_us;
			   __entry->total_us = total_us;),
	    TP_printk("asid=%u addr=%#llx start=%#llx end=%#llx err=%d retries=%u valid=%d get_pages_us=%u bind_us=%u total_us=%u",
		      __entry->asid, __entry->addr, __entry->start, __entry->end, __entry->err,
		      __entry->retries, __entry->valid, __entry->get_pages_us, __entry->bind_us,
		      __entry->total_us)
);

DECLARE_EVENT_CLASS(xe_svm_span,
		    TP_PROTO(u32 asid, u64 start, u64 end),
		    TP_ARGS(asid, start, end),
		    TP_STRUCT__entry(__field(u32, asid)
				     __field(u64, start)
				     __field(u64, end)),
		    TP_fast_assign(__entry->asid = asid;
				   __entry->start = start;
				   __entry->end = end;),
		    TP_printk("asid=%u start=%#llx end=%#llx", __entry->asid, __entry->start,
			      __entry->end)
);

DEFINE_EVENT(xe_svm_span, xe_svm_range_insert,
	     TP_PROTO(u32 asid, u64 start, u64 end),
	     TP_ARGS(asid, start, end)
);

DEFINE_EVENT(xe_svm_span, xe_svm_range_remove,
	     TP_PROTO(u32 asid, u64 start, u64 end),
	     TP_ARGS(asid, start, end)
);

DEFINE_EVENT(xe_svm_span, xe_svm_retry,
	     TP_PROTO(u32 asid, u64 start, u64 end),
	     TP_ARGS(asid, start, end)
);

TRACE_EVENT(xe_svm_invalidate,
	    TP_PROTO(u32 asid, u64 start, u64 end, u32 event),
	    TP_ARGS(asid, start, end, event),
	    TP_STRUCT__entry(__field(u32, asid)
			     __field(u64, start)
			     __field(u64, end)
			     __field(u32, event)),
	    TP_fast_assign(__entry->asid = asid;
			   __entry->start = start;
			   __entry->end = end;
			   __entry->event = event;),
	    TP_printk("asid=%u start=%#llx end=%#llx event=%u", __entry->asid, __entry->start,
		      __entry->end, __entry->event)
);

#endif

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE xe_svm_trace
#include <trace/define_trace.h>
