/*
 * The monitor's commands (hv/monitor/commands.c), one table row each with
 * its arguments and one-line help (hv/monitor/parse.h).
 */
#ifndef HV_MONITOR_COMMANDS_H
#define HV_MONITOR_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/monitor/parse.h"

struct vcpu;

/* What the commands work on: the paused vCPU (its VMCS current). */
struct mon_ctx {
	struct vcpu *v;
};

#define XP_DEFAULT_BYTES  64u     /* xp and xv without N */
#define XP_MAX_BYTES      512u

extern const struct mon_cmd mon_commands[];
extern const size_t mon_command_count;

/* Whether [gpa, gpa + len) touches the hypervisor's own memory. */
bool mon_hits_hv_memory(uint64_t gpa, uint64_t len);

/* Print len bytes that start at address addr, 16 a line. */
void mon_hex_dump(uint64_t addr, const uint8_t *p, uint32_t len);

/* The guest-virtual commands (hv/monitor/guest_view.c). */
enum mon_result cmd_gva(struct mon_ctx *ctx, const struct mon_words *w);
enum mon_result cmd_xv(struct mon_ctx *ctx, const struct mon_words *w);
/* break GVA|clear (hv/monitor/breakpoint.c), regs (commands.c). */
enum mon_result cmd_break(struct mon_ctx *ctx, const struct mon_words *w);
enum mon_result cmd_regs(struct mon_ctx *ctx, const struct mon_words *w);
/* step [N] (hv/monitor/step.c). */
enum mon_result cmd_step(struct mon_ctx *ctx, const struct mon_words *w);
/* lapic (hv/monitor/lapic_view.c). */
enum mon_result cmd_lapic(struct mon_ctx *ctx, const struct mon_words *w);

#endif
