/*
 * The screen console of drivers/fbcon.h: a text grid (lib/fb_draw.h) in
 * static arrays, so drawing never allocates, drawn onto the framebuffer.
 */
#include "drivers/fbcon.h"

/* Large enough for 3840 x 2160 in 8 x 16 cells (lib/font.h); a larger
 * screen uses its top left part. */
#define FBCON_COLS_MAX   480
#define FBCON_ROWS_MAX   135

enum fbcon_state {
	FBCON_OFF = 0,          /* no framebuffer, or not set up yet */
	FBCON_DRAWING,          /* the hypervisor owns the screen */
	FBCON_GUEST,            /* handed to the guest: keep text, draw nothing */
	FBCON_RECLAIMED,        /* ours again: clear and redraw at the next line */
};

static char want_cells[FBCON_COLS_MAX * FBCON_ROWS_MAX];
static char shown_cells[FBCON_COLS_MAX * FBCON_ROWS_MAX];
static struct fb_grid grid;
static struct fb_surface surface;
static uint32_t fg, bg;
static volatile uint32_t state = FBCON_OFF;

/* At most `max` of `n`. */
static uint32_t at_most(uint32_t n, uint32_t max)
{
	return n < max ? n : max;
}

bool fbcon_init(const struct fb_surface *s)
{
	if (!fb_surface_ok(s))
		return false;
	surface = *s;
	fg = fb_pixel(&surface, FB_CONSOLE_FG);
	bg = fb_pixel(&surface, FB_CONSOLE_BG);
	fb_clear(&surface, bg);
	fb_grid_init(&grid, want_cells, shown_cells,
		     at_most(fb_surface_cols(s), FBCON_COLS_MAX),
		     at_most(fb_surface_rows(s), FBCON_ROWS_MAX));
	state = FBCON_DRAWING;
	return true;
}

void fbcon_write(const char *text, size_t len)
{
	if (state == FBCON_OFF)
		return;
	fb_grid_write(&grid, text, (uint32_t)len);
	if (state == FBCON_GUEST)
		return;
	if (state == FBCON_RECLAIMED) {
		/* The guest drew here: start from a known, blank screen. */
		fb_clear(&surface, bg);
		fb_grid_surface_cleared(&grid);
		state = FBCON_DRAWING;
	}
	fb_grid_flush(&grid, &surface, fg, bg);
}

bool fbcon_drawing(void)
{
	return state == FBCON_DRAWING;
}

void fbcon_handover(void)
{
	if (state == FBCON_DRAWING)
		state = FBCON_GUEST;
}

void fbcon_reclaim(void)
{
	if (state == FBCON_GUEST)
		state = FBCON_RECLAIMED;
}
