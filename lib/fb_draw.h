/*
 * Drawing text into a linear framebuffer, pure (no hardware, no
 * allocation): the hypervisor's screen console (drivers/fbcon.c), the
 * host unit tests and the screen-dump reader (tools/fbshot.c) share it.
 *
 * A surface is a block of pixels `pitch` bytes per scan line, each pixel
 * `bpp` bits (32, 24, 16 or 15, whole bytes per pixel) holding red, green
 * and blue at the bit positions and widths the boot information gives.
 * Drawing is clipped to width x height: a glyph that reaches past the
 * right or bottom edge (a resolution that is not a multiple of the cell)
 * is cut, never written beyond the surface.
 *
 * A text grid is the screen as characters: `want` is what should be
 * shown, `shown` what is known to be on the surface; fb_grid_flush draws
 * only the cells where the two differ, so scrolling costs the changed
 * cells and the surface is never read back (framebuffer reads are slow,
 * and after the guest ran they would read the guest's pixels).
 */
#ifndef LIB_FB_DRAW_H
#define LIB_FB_DRAW_H

#include <stdbool.h>
#include <stdint.h>

struct fb_surface {
	uint8_t *base;
	uint32_t pitch;             /* bytes per scan line */
	uint32_t width, height;     /* pixels */
	uint8_t bpp;
	uint8_t red_pos, red_size;
	uint8_t green_pos, green_size;
	uint8_t blue_pos, blue_size;
	/* An EGA/VGA text screen instead (GRUB on BIOS without a graphics
	 * mode): width x height character cells of two bytes, character
	 * then attribute; the colour fields are unused. */
	bool text;
};

/* The attribute of a text-screen cell in the console's colours. */
#define FB_TEXT_ATTR  0x07              /* light grey on black */
#define FB_TEXT_CELL_BYTES 2

/* A colour as 8-bit red, green, blue. */
struct fb_rgb {
	uint8_t r, g, b;
};

/* The screen console's colours (drivers/fbcon.c), light grey on black as
 * on a PC text console; tools/fbshot.c reads screen dumps by them. */
#define FB_CONSOLE_FG ((struct fb_rgb){ 0xc0, 0xc0, 0xc0 })
#define FB_CONSOLE_BG ((struct fb_rgb){ 0x00, 0x00, 0x00 })

/* Whether the surface's format is one fb_draw handles: a supported bpp,
 * each field inside the pixel, a pitch that holds a line (a text screen:
 * a pitch that holds a row of cells). */
bool fb_surface_ok(const struct fb_surface *s);
/* The pixel value of `c` in the surface's format (each 8-bit component
 * cut to its field's width). */
uint32_t fb_pixel(const struct fb_surface *s, struct fb_rgb c);
/* Store a pixel value at (x, y); nothing outside the surface. */
void fb_put_pixel(const struct fb_surface *s, uint32_t x, uint32_t y,
		  uint32_t value);
/* Fill the whole surface with one pixel value (a text screen: blanks in
 * FB_TEXT_ATTR). */
void fb_clear(const struct fb_surface *s, uint32_t value);
/* Draw the glyph of `ch` with its cell's top left at pixel (x, y), fg on
 * bg pixel values, clipped to the surface. */
void fb_draw_glyph(const struct fb_surface *s, uint32_t x, uint32_t y,
		   char ch, uint32_t fg, uint32_t bg);

/* The screen as characters; the caller provides both arrays, cols * rows
 * chars each.  `col`/`row` is where the next character goes. */
struct fb_grid {
	char *want;
	char *shown;
	uint32_t cols, rows;
	uint32_t col, row;
};

/* The grid a surface holds: its cells of FONT_WIDTH x FONT_HEIGHT pixels
 * (a text screen: its character cells). */
uint32_t fb_surface_cols(const struct fb_surface *s);
uint32_t fb_surface_rows(const struct fb_surface *s);

/* Set up a grid of cols x rows, all blank, on a surface cleared to the
 * background (fb_clear). */
void fb_grid_init(struct fb_grid *g, char *want, char *shown, uint32_t cols,
		  uint32_t rows);
/* The surface was cleared to the background again (after someone else
 * drew there): the next flush draws every cell that is not blank. */
void fb_grid_surface_cleared(struct fb_grid *g);
/* Append text: '\n' ends a line, a line longer than the grid wraps, and
 * the first character below the last row scrolls the grid up by one (so
 * the last line written stays on the bottom row). */
void fb_grid_write(struct fb_grid *g, const char *text, uint32_t len);
/* Draw the cells whose `want` differs from `shown` onto s, cell (c, r) at
 * pixel (c * FONT_WIDTH, r * FONT_HEIGHT), or on a text screen into its
 * cell (c, r).  fg and bg are unused on a text screen. */
void fb_grid_flush(struct fb_grid *g, const struct fb_surface *s, uint32_t fg,
		   uint32_t bg);

#endif
