/*
 * The screen console: the hypervisor's log drawn on a linear framebuffer
 * the boot path found (multiboot2 framebuffer tag, UEFI GOP), so a machine
 * without a serial line still shows the start-up, the verdict and any
 * panic.
 *
 * Ownership: the hypervisor draws from fbcon_init until fbcon_handover
 * (the guest is about to start and owns the screen from then on); lines
 * logged while the guest runs are only kept in the text grid.  After
 * fbcon_reclaim (a panic, or the guest stopped) the next line clears the
 * screen and draws the last screenful of the log, the new line at the
 * bottom.  All drawing happens inside the log sink, under the log's lock.
 */
#ifndef DRIVERS_FBCON_H
#define DRIVERS_FBCON_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/fb_draw.h"

/* Take the surface (identity-mapped, already checked with
 * fb_surface_ok), clear it and start drawing.  False when the surface is
 * unusable.  Register fbcon_write as a log sink afterwards. */
bool fbcon_init(const struct fb_surface *s);
/* The log sink: one finished line. */
void fbcon_write(const char *text, size_t len);
/* Whether the hypervisor draws on the screen now. */
bool fbcon_drawing(void);
/* The guest owns the screen from now on: stop drawing. */
void fbcon_handover(void);
/* The hypervisor owns the screen again (panic, guest stopped): the next
 * line redraws the screen.  Safe in any context, also before fbcon_init. */
void fbcon_reclaim(void);

#endif
