/* SPDX-License-Identifier: GPL-2.0 */
/* Names of the ABI's enums, as they appear in logs and output. */
#ifndef FAULTLINE_NAMES_H
#define FAULTLINE_NAMES_H

#include "faultline/abi.h"

/* How far a plan, or a run, checks an invariant (enum fl_inv, abi.h). */
enum fl_coverage { FL_COV_UNCHECKED, FL_COV_PARTIAL, FL_COV_CHECKED };

const char *fl_inv_name(unsigned int inv);
/* What invariant @inv says, in one line ("every DAX fault holds the fault lock"). */
const char *fl_inv_what(unsigned int inv);
/* The invariant a violation kind breaks. */
enum fl_inv fl_violation_inv(unsigned int kind);
const char *fl_coverage_name(unsigned int cov);
const char *fl_hook_name(unsigned int hook);
const char *fl_mode_name(unsigned int mode);
const char *fl_op_name(unsigned int op);
const char *fl_lock_name(unsigned int lock);
const char *fl_layout_name(unsigned int layout);
const char *fl_violation_name(unsigned int kind);
const char *fl_event_name(unsigned int kind);
const char *fl_counter_name(unsigned int ctr);

/* Reverse lookups: the index, or -1 if @name is not one of the names. */
int fl_hook_from_name(const char *name);
int fl_mode_from_name(const char *name);
int fl_op_from_name(const char *name);
int fl_lock_from_name(const char *name);
int fl_violation_from_name(const char *name);
int fl_event_from_name(const char *name);
int fl_counter_from_name(const char *name);
int fl_coverage_from_name(const char *name);
/* A FUSE opcode's name ("FUSE_RELEASE"), "?" for one this table lacks. */
const char *fl_fuse_opcode_name(unsigned int opcode);
int fl_fuse_opcode_from_name(const char *name);
/*
 * The members of a violation of @kind that hold its sides, NULL where it has
 * none: "fault" and "op" (race), "fault" (unserialized-fault), "op" (the
 * other lock and layout kinds), "completion" and "send" (blocking-in-completion).
 */
void fl_violation_sides(unsigned int kind, const char **first, const char **second);

#endif
