/* SPDX-License-Identifier: GPL-2.0 */
/* Names of the ABI's enums, as they appear in logs and output. */
#ifndef FAULTLINE_NAMES_H
#define FAULTLINE_NAMES_H

#include "faultline/abi.h"

/* The invariants (SPEC.md) and how far a plan checks each. */
enum fl_inv { FL_I1, FL_I2, FL_I3, FL_I4, FL_INV__COUNT };
enum fl_coverage { FL_COV_UNCHECKED, FL_COV_PARTIAL, FL_COV_CHECKED };

const char *fl_inv_name(unsigned int inv);
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

#endif
