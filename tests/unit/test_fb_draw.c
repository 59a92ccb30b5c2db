/* The screen console's font and renderer (lib/font.c, lib/fb_draw.c):
 * glyphs into memory buffers of each pixel format, clipping at sizes that
 * are not multiples of the cell, the text grid's wrapping and scrolling,
 * and the boot framebuffer's translation (boot/boot_info.c). */
#include <stdlib.h>

#include "boot/boot_info.h"
#include "lib/fb_draw.h"
#include "lib/font.h"
#include "tests/unit/test.h"

/* CHECK with a message of its own. */
#define CHECK_MSG(cond, ...)                                              \
	do {                                                              \
		if (!(cond)) {                                            \
			test_fail(__FILE__, __LINE__, __VA_ARGS__);       \
			return;                                           \
		}                                                         \
	} while (0)

#define GUARD 0x5a              /* bytes around and beyond the surface */

static const struct fb_rgb white = { 0xff, 0xff, 0xff };
static const struct fb_rgb black = { 0, 0, 0 };

/* A surface in a buffer with guard bytes after it; x8r8g8b8 unless the
 * caller changes the fields. */
static struct fb_surface surface(uint8_t *buf, size_t size, uint32_t w,
				 uint32_t h, uint32_t pitch, uint8_t bpp)
{
	memset(buf, GUARD, size);
	return (struct fb_surface){ buf, pitch, w, h, bpp, 16, 8, 8, 8, 0, 8, false };
}

/* Whether every byte from `from` to `to` still holds the guard. */
static bool guarded(const uint8_t *buf, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (buf[i] != GUARD)
			return false;
	return true;
}

TEST(font_glyphs_distinct_and_space_blank)
{
	for (uint32_t r = 0; r < FONT_HEIGHT; r++)
		CHECK(font_row(' ', r) == 0);
	for (int a = FONT_FIRST; a <= FONT_LAST; a++) {
		for (int b = a + 1; b <= FONT_LAST; b++) {
			bool same = true;

			for (uint32_t r = 0; r < FONT_HEIGHT; r++)
				same = same && font_row((char)a, r) ==
					       font_row((char)b, r);
			CHECK_MSG(!same, "'%c' and '%c' look the same", a, b);
		}
	}
}

TEST(font_cell_margins_and_replacement)
{
	for (int c = FONT_FIRST; c <= FONT_LAST; c++) {
		for (uint32_t r = 0; r < FONT_HEIGHT; r++) {
			/* column 0 and columns 6-7 stay empty: the gap */
			CHECK((font_row((char)c, r) & 0x83) == 0);
			CHECK(font_row((char)c, r) ==
			      font_row((char)c, r - r % 2));
		}
	}
	CHECK(font_row('A', 0) == 0x38);        /* .###. in columns 1-5 */
	CHECK(font_row('A', FONT_HEIGHT) == 0);
	for (uint32_t r = 0; r < FONT_HEIGHT; r++) {
		CHECK(font_row('\x01', r) == font_row('?', r));
		CHECK(font_row((char)0xc3, r) == font_row('?', r));
	}
}

TEST(fb_pixel_formats)
{
	uint8_t buf[64];
	struct fb_surface s = surface(buf, sizeof(buf), 2, 2, 8, 32);
	struct fb_rgb c = { 0x12, 0x34, 0x56 };

	CHECK_EQ(fb_pixel(&s, c), 0x123456);
	s = (struct fb_surface){ buf, 8, 2, 2, 32, 0, 8, 8, 8, 16, 8, false };
	CHECK_EQ(fb_pixel(&s, c), 0x563412);            /* BGR order */
	s = (struct fb_surface){ buf, 8, 2, 2, 16, 11, 5, 5, 6, 0, 5, false };
	CHECK_EQ(fb_pixel(&s, white), 0xffff);          /* r5g6b5 */
	CHECK_EQ(fb_pixel(&s, c), (0x02u << 11) | (0x0du << 5) | 0x0au);
	s = (struct fb_surface){ buf, 8, 2, 2, 15, 10, 5, 5, 5, 0, 5, false };
	CHECK_EQ(fb_pixel(&s, white), 0x7fff);          /* x1r5g5b5 */
	CHECK(fb_surface_ok(&s));
}

TEST(fb_surface_rejects_bad_formats)
{
	uint8_t buf[64];
	struct fb_surface s = surface(buf, sizeof(buf), 2, 2, 8, 32);

	CHECK(fb_surface_ok(&s));
	s.bpp = 8;
	CHECK(!fb_surface_ok(&s));
	s.bpp = 32;
	s.pitch = 7;                    /* two pixels need 8 bytes */
	CHECK(!fb_surface_ok(&s));
	s.pitch = 8;
	s.red_pos = 28;                 /* red would reach past bit 31 */
	CHECK(!fb_surface_ok(&s));
	s.red_pos = 16;
	s.blue_size = 0;
	CHECK(!fb_surface_ok(&s));
	s.blue_size = 8;
	s.base = NULL;
	CHECK(!fb_surface_ok(&s));
}

/* Draw 'A' into a surface of bpp and check each pixel against the font. */
static void glyph_in_format(uint8_t bpp, uint32_t bytes)
{
	uint32_t pitch = FONT_WIDTH * bytes + 4;       /* padded lines */
	size_t size = (size_t)pitch * FONT_HEIGHT + 16;
	uint8_t *buf = malloc(size);
	struct fb_surface s = surface(buf, size, FONT_WIDTH, FONT_HEIGHT,
				      pitch, bpp);
	uint32_t fg, bg;

	if (bpp <= 16)
		s = (struct fb_surface){ buf, pitch, FONT_WIDTH, FONT_HEIGHT,
					 bpp, 11, 5, 5, 6, 0, 5, false };
	fg = fb_pixel(&s, white);
	bg = fb_pixel(&s, black);
	fb_draw_glyph(&s, 0, 0, 'A', fg, bg);
	for (uint32_t y = 0; y < FONT_HEIGHT; y++) {
		for (uint32_t x = 0; x < FONT_WIDTH; x++) {
			const uint8_t *p = buf + y * pitch + x * bytes;
			uint32_t v = 0;

			for (uint32_t i = 0; i < bytes; i++)
				v |= (uint32_t)p[i] << (8 * i);
			bool on = font_row('A', y) & (0x80 >> x);
			CHECK_MSG(v == (on ? fg : bg), "bpp %u pixel %u,%u",
				  bpp, x, y);
		}
		/* the line's padding is left alone */
		CHECK(guarded(buf, y * pitch + FONT_WIDTH * bytes,
			      (y + 1) * pitch));
	}
	CHECK(guarded(buf, (size_t)pitch * FONT_HEIGHT, size));
	free(buf);
}

TEST(fb_glyph_32_24_16_bpp)
{
	glyph_in_format(32, 4);
	if (test_failed())
		return;
	glyph_in_format(24, 3);
	if (test_failed())
		return;
	glyph_in_format(16, 2);
}

/* A 13 x 21 surface (not a multiple of the cell): a glyph at (8, 16)
 * is cut at the edges and nothing lands in the guard past each line. */
TEST(fb_glyph_clipped_at_odd_resolution)
{
	enum { W = 13, H = 21, PITCH = 16 * 4 };
	static uint8_t buf[PITCH * (H + 2)];
	struct fb_surface s = surface(buf, sizeof(buf), W, H, PITCH, 32);

	fb_draw_glyph(&s, 8, 16, 'W', 0xffffff, 0);
	for (uint32_t y = 0; y < H + 2; y++) {
		size_t line = (size_t)y * PITCH;

		if (y >= 16 && y < H) {
			CHECK(!guarded(buf, line + 8 * 4, line + W * 4));
			CHECK(guarded(buf, line + W * 4, line + PITCH));
			CHECK(guarded(buf, line, line + 8 * 4));
		} else {
			CHECK(guarded(buf, line, line + PITCH));
		}
	}
	fb_draw_glyph(&s, 100, 100, 'W', 0xffffff, 0);  /* wholly outside */
	CHECK(guarded(buf, (size_t)H * PITCH, sizeof(buf)));
}

/* The grid's rows as one string, rows separated by '|'. */
static void grid_text(const struct fb_grid *g, char *out)
{
	for (uint32_t r = 0; r < g->rows; r++) {
		memcpy(out, g->want + r * g->cols, g->cols);
		out += g->cols;
		*out++ = r + 1 < g->rows ? '|' : '\0';
	}
}

TEST(fb_grid_wraps_and_scrolls)
{
	char want[4 * 3], shown[4 * 3], text[32];
	struct fb_grid g;

	fb_grid_init(&g, want, shown, 4, 3);
	fb_grid_write(&g, "ab\n", 3);
	grid_text(&g, text);
	CHECK_STR(text, "ab  |    |    ");
	fb_grid_write(&g, "cdefgh\n", 7);               /* wraps */
	grid_text(&g, text);
	CHECK_STR(text, "ab  |cdef|gh  ");
	fb_grid_write(&g, "ij\n", 3);                   /* scrolls once */
	grid_text(&g, text);
	CHECK_STR(text, "cdef|gh  |ij  ");
	fb_grid_write(&g, "klmnopqrs", 9);              /* three more rows */
	grid_text(&g, text);
	CHECK_STR(text, "klmn|opqr|s   ");
}

/* Count the cells fb_grid_flush draws, by the pixels that change. */
TEST(fb_grid_flush_draws_only_changes)
{
	enum { COLS = 3, ROWS = 2, W = COLS * FONT_WIDTH, H = ROWS * FONT_HEIGHT };
	static uint32_t px[W * H];
	struct fb_surface s = { (uint8_t *)px, W * 4, W, H, 32, 16, 8, 8, 8, 0, 8, false };
	char want[COLS * ROWS], shown[COLS * ROWS];
	struct fb_grid g;

	fb_clear(&s, 0);
	fb_grid_init(&g, want, shown, COLS, ROWS);
	fb_grid_write(&g, "ab\n", 3);
	fb_grid_flush(&g, &s, 0xffffff, 0);
	/* cell (1, 0) holds 'b': compare its top left design pixel rows */
	for (uint32_t y = 0; y < FONT_HEIGHT; y++)
		for (uint32_t x = 0; x < FONT_WIDTH; x++)
			CHECK(!!px[y * W + FONT_WIDTH + x] ==
			      !!(font_row('b', y) & (0x80 >> x)));
	/* a pixel the flush does not own (a blank cell) is not redrawn */
	px[FONT_HEIGHT * W + 2 * FONT_WIDTH] = 0x123456;
	fb_grid_write(&g, "c\n", 2);
	fb_grid_flush(&g, &s, 0xffffff, 0);
	CHECK_EQ(px[FONT_HEIGHT * W + 2 * FONT_WIDTH], 0x123456);
	/* after the surface was cleared every non-blank cell is drawn */
	fb_clear(&s, 0);
	fb_grid_surface_cleared(&g);
	fb_grid_flush(&g, &s, 0xffffff, 0);
	CHECK(px[(FONT_HEIGHT + 4) * W + 3] != 0);       /* 'c': row 4, col 3 */
}

TEST(boot_info_fb_surface_checks)
{
	static struct boot_info bi;
	struct fb_surface s;

	memset(&bi, 0, sizeof(bi));
	CHECK(!boot_info_fb_surface(&bi, &s));
	bi.has_framebuffer = true;
	bi.fb = (struct boot_framebuffer){ 0x80000000, 800 * 4, 800, 600, 32,
					   BOOT_FB_RGB, 16, 8, 8, 8, 0, 8 };
	CHECK(boot_info_fb_surface(&bi, &s));
	CHECK(s.base == (uint8_t *)0x80000000 && s.width == 800 &&
	      s.pitch == 3200 && s.red_pos == 16 && s.blue_size == 8);
	bi.fb.type = BOOT_FB_INDEXED;
	CHECK(!boot_info_fb_surface(&bi, &s));
	bi.fb.type = BOOT_FB_RGB;
	bi.fb.addr = 0xfff00000;                         /* past 4 GiB */
	CHECK(!boot_info_fb_surface(&bi, &s));
	bi.fb.addr = 0x80000000;
	bi.fb.bpp = 8;
	CHECK(!boot_info_fb_surface(&bi, &s));
}

TEST(boot_info_fb_surface_ega_text)
{
	static struct boot_info bi;
	struct fb_surface s;

	memset(&bi, 0, sizeof(bi));
	bi.has_framebuffer = true;
	bi.fb = (struct boot_framebuffer){ 0xb8000, 160, 80, 25, 16,
					   BOOT_FB_EGA_TEXT, 0, 0, 0, 0, 0, 0 };
	CHECK(boot_info_fb_surface(&bi, &s));
	CHECK(s.text && fb_surface_cols(&s) == 80 && fb_surface_rows(&s) == 25);
	bi.fb.pitch = 100;                      /* shorter than 80 cells */
	CHECK(!boot_info_fb_surface(&bi, &s));
}

/* A text screen: characters with the console's attribute, a blank clear,
 * nothing beyond the screen. */
TEST(fb_text_screen_cells)
{
	enum { COLS = 4, ROWS = 2, PITCH = COLS * 2 + 2 };
	static uint8_t buf[PITCH * ROWS + 8];
	struct fb_surface s = surface(buf, sizeof(buf), COLS, ROWS, PITCH, 16);
	char want[COLS * ROWS], shown[COLS * ROWS];
	struct fb_grid g;

	s.text = true;
	CHECK(fb_surface_ok(&s));
	fb_clear(&s, 0);
	CHECK(buf[0] == ' ' && buf[1] == FB_TEXT_ATTR);
	CHECK(buf[PITCH - 2] == GUARD);                 /* the row's padding */
	fb_grid_init(&g, want, shown, fb_surface_cols(&s), fb_surface_rows(&s));
	fb_grid_write(&g, "ab\ncdefg\x01", 10);
	fb_grid_flush(&g, &s, 0, 0);
	CHECK(buf[0] == 'c' && buf[2] == 'd' && buf[6] == 'f');
	CHECK(buf[PITCH] == 'g' && buf[PITCH + 2] == FONT_REPLACEMENT);
	CHECK(buf[PITCH + 3] == FB_TEXT_ATTR);
	CHECK(guarded(buf, PITCH * ROWS, sizeof(buf)));
}
