/*
 * Pixels, glyphs and the text grid of lib/fb_draw.h.
 */
#include "lib/fb_draw.h"
#include "lib/font.h"
#include "lib/str.h"

#define BITS_PER_BYTE    8
#define COMPONENT_BITS   8              /* struct fb_rgb */
#define BLANK            ' '

/* Bytes one pixel takes in memory: 15 bpp is stored in 16 bits. */
static uint32_t pixel_bytes(const struct fb_surface *s)
{
	return ((uint32_t)s->bpp + BITS_PER_BYTE - 1) / BITS_PER_BYTE;
}

/* A colour field is usable when it is 1..8 bits wide and inside the
 * pixel. */
static bool field_ok(uint8_t pos, uint8_t size, uint8_t bpp)
{
	return size > 0 && size <= COMPONENT_BITS && pos + size <= bpp;
}

/* A text screen needs its base and room for a row of cells per line. */
static bool text_ok(const struct fb_surface *s)
{
	return s->base && s->width && s->height &&
	       (uint64_t)s->width * FB_TEXT_CELL_BYTES <= s->pitch;
}

bool fb_surface_ok(const struct fb_surface *s)
{
	if (s->text)
		return text_ok(s);

	bool bpp_ok = s->bpp == 32 || s->bpp == 24 || s->bpp == 16 ||
		      s->bpp == 15;

	return s->base && bpp_ok && s->width && s->height &&
	       (uint64_t)s->width * pixel_bytes(s) <= s->pitch &&
	       field_ok(s->red_pos, s->red_size, s->bpp) &&
	       field_ok(s->green_pos, s->green_size, s->bpp) &&
	       field_ok(s->blue_pos, s->blue_size, s->bpp);
}

/* One 8-bit component cut to `size` bits (its high bits) at `pos`. */
static uint32_t component(uint8_t value, uint8_t pos, uint8_t size)
{
	return ((uint32_t)value >> (COMPONENT_BITS - size)) << pos;
}

uint32_t fb_pixel(const struct fb_surface *s, struct fb_rgb c)
{
	return component(c.r, s->red_pos, s->red_size) |
	       component(c.g, s->green_pos, s->green_size) |
	       component(c.b, s->blue_pos, s->blue_size);
}

void fb_put_pixel(const struct fb_surface *s, uint32_t x, uint32_t y,
		  uint32_t value)
{
	uint32_t n = pixel_bytes(s);
	uint8_t *p;

	if (x >= s->width || y >= s->height)
		return;
	p = s->base + (uint64_t)y * s->pitch + (uint64_t)x * n;
	if (n == sizeof(uint32_t)) {
		*(volatile uint32_t *)p = value;
		return;
	}
	if (n == sizeof(uint16_t)) {
		*(volatile uint16_t *)p = (uint16_t)value;
		return;
	}
	for (uint32_t i = 0; i < n; i++)        /* 24 bpp, little-endian */
		((volatile uint8_t *)p)[i] = (uint8_t)(value >> (i * BITS_PER_BYTE));
}

uint32_t fb_surface_cols(const struct fb_surface *s)
{
	return s->text ? s->width : s->width / FONT_WIDTH;
}

uint32_t fb_surface_rows(const struct fb_surface *s)
{
	return s->text ? s->height : s->height / FONT_HEIGHT;
}

/* Store character ch in text cell (col, row) with the console's
 * attribute. */
static void text_put(const struct fb_surface *s, uint32_t col, uint32_t row,
		     char ch)
{
	uint8_t c = (uint8_t)ch;

	if (col >= s->width || row >= s->height)
		return;
	if (c < FONT_FIRST || c > FONT_LAST)
		c = FONT_REPLACEMENT;
	*(volatile uint16_t *)(s->base + (uint64_t)row * s->pitch +
			       (uint64_t)col * FB_TEXT_CELL_BYTES) =
		(uint16_t)(FB_TEXT_ATTR << BITS_PER_BYTE | c);
}

void fb_clear(const struct fb_surface *s, uint32_t value)
{
	if (s->text) {
		for (uint32_t r = 0; r < s->height; r++)
			for (uint32_t c = 0; c < s->width; c++)
				text_put(s, c, r, BLANK);
		return;
	}
	for (uint32_t y = 0; y < s->height; y++)
		for (uint32_t x = 0; x < s->width; x++)
			fb_put_pixel(s, x, y, value);
}

void fb_draw_glyph(const struct fb_surface *s, uint32_t x, uint32_t y,
		   char ch, uint32_t fg, uint32_t bg)
{
	for (uint32_t r = 0; r < FONT_HEIGHT && y + r < s->height; r++) {
		uint8_t bits = font_row(ch, r);

		for (uint32_t c = 0; c < FONT_WIDTH && x + c < s->width; c++) {
			bool on = bits & (0x80u >> c);

			fb_put_pixel(s, x + c, y + r, on ? fg : bg);
		}
	}
}

void fb_grid_init(struct fb_grid *g, char *want, char *shown, uint32_t cols,
		  uint32_t rows)
{
	*g = (struct fb_grid){ want, shown, cols, rows, 0, 0 };
	memset(want, BLANK, (size_t)cols * rows);
	memset(shown, BLANK, (size_t)cols * rows);
}

void fb_grid_surface_cleared(struct fb_grid *g)
{
	memset(g->shown, BLANK, (size_t)g->cols * g->rows);
}

/* Move every row up by one and blank the last; the cursor stays on the
 * (now empty) last row. */
static void grid_scroll(struct fb_grid *g)
{
	size_t line = g->cols;

	memmove(g->want, g->want + line, line * (g->rows - 1));
	memset(g->want + line * (g->rows - 1), BLANK, line);
	g->row = g->rows - 1;
}

/* Put one character at the cursor: a line break or a glyph, wrapping at
 * the right edge and scrolling when the cursor is below the last row. */
static void grid_put(struct fb_grid *g, char ch)
{
	if (ch == '\n') {
		g->col = 0;
		g->row++;
		return;
	}
	if (g->col == g->cols) {
		g->col = 0;
		g->row++;
	}
	if (g->row >= g->rows)
		grid_scroll(g);
	g->want[(size_t)g->row * g->cols + g->col++] = ch;
}

void fb_grid_write(struct fb_grid *g, const char *text, uint32_t len)
{
	if (!g->cols || !g->rows)
		return;
	for (uint32_t i = 0; i < len; i++)
		grid_put(g, text[i]);
}

void fb_grid_flush(struct fb_grid *g, const struct fb_surface *s, uint32_t fg,
		   uint32_t bg)
{
	for (uint32_t r = 0; r < g->rows; r++) {
		for (uint32_t c = 0; c < g->cols; c++) {
			size_t i = (size_t)r * g->cols + c;

			if (g->want[i] == g->shown[i])
				continue;
			if (s->text)
				text_put(s, c, r, g->want[i]);
			else
				fb_draw_glyph(s, c * FONT_WIDTH,
					      r * FONT_HEIGHT, g->want[i],
					      fg, bg);
			g->shown[i] = g->want[i];
		}
	}
}
