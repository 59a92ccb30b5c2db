/*
 * The monitor's commands (hv/monitor/commands.c), one table row each with
 * its arguments and one-line help (hv/monitor/parse.h).
 */
#ifndef HV_MONITOR_COMMANDS_H
#define HV_MONITOR_COMMANDS_H

#include <stddef.h>

#include "hv/monitor/parse.h"

struct vcpu;

/* What the commands work on: the paused vCPU (its VMCS current). */
struct mon_ctx {
	struct vcpu *v;
};

extern const struct mon_cmd mon_commands[];
extern const size_t mon_command_count;

#endif
