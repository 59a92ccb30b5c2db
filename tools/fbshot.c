/*
 * fbshot: read a screen dump (binary PPM, "P6", as QEMU's `screendump`
 * writes it) of the hypervisor's screen console and print its text, one
 * line per text row of 8x16 cells from the top left, trailing blanks and
 * empty rows at the end left out.  Each cell is compared pixel for pixel
 * with every glyph drawn by the console's own renderer (lib/fb_draw.c,
 * lib/font.c) in the console's colours (FB_CONSOLE_FG on FB_CONSOLE_BG);
 * a cell that matches no glyph prints as FBSHOT_NO_MATCH.  The boot test
 * tests/boot/35-qemu-fbcon.sh compares the result with the serial log.
 *
 * Usage: fbshot SHOT.ppm
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fb_draw.h"
#include "lib/font.h"

#define FBSHOT_NO_MATCH '\x7f'
#define PPM_MAXVAL      255
#define CELL_PIXELS     (FONT_WIDTH * FONT_HEIGHT)
#define GLYPHS          (FONT_LAST - FONT_FIRST + 1)

struct image {
	uint32_t width, height;
	uint8_t *rgb;           /* 3 bytes a pixel, rows top to bottom */
};

/* Every printable glyph as the console draws it, 0x00RRGGBB pixels. */
static uint32_t glyph_px[GLYPHS][CELL_PIXELS];

/* Draw each glyph with fb_draw_glyph into an x8r8g8b8 cell. */
static void render_glyphs(void)
{
	for (int c = 0; c < GLYPHS; c++) {
		struct fb_surface s = {
			(uint8_t *)glyph_px[c], FONT_WIDTH * sizeof(uint32_t),
			FONT_WIDTH, FONT_HEIGHT, 32, 16, 8, 8, 8, 0, 8, false,
		};

		fb_draw_glyph(&s, 0, 0, (char)(FONT_FIRST + c),
			      fb_pixel(&s, FB_CONSOLE_FG),
			      fb_pixel(&s, FB_CONSOLE_BG));
	}
}

/* Read a binary PPM with maxval 255; exits on anything else. */
static struct image read_ppm(const char *path)
{
	struct image im = { 0 };
	unsigned w, h, maxval;
	FILE *f = fopen(path, "rb");

	if (!f || fscanf(f, "P6 %u %u %u", &w, &h, &maxval) != 3 ||
	    maxval != PPM_MAXVAL || fgetc(f) == EOF) {
		fprintf(stderr, "fbshot: %s: not a binary PPM with maxval 255\n",
			path);
		exit(2);
	}
	im = (struct image){ w, h, malloc((size_t)w * h * 3) };
	if (!im.rgb || fread(im.rgb, 3, (size_t)w * h, f) != (size_t)w * h) {
		fprintf(stderr, "fbshot: %s: short image\n", path);
		exit(2);
	}
	fclose(f);
	return im;
}

/* The pixel at (x, y) as 0x00RRGGBB. */
static uint32_t pixel(const struct image *im, uint32_t x, uint32_t y)
{
	const uint8_t *p = im->rgb + ((size_t)y * im->width + x) * 3;

	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

/* Whether cell (col, row) holds exactly glyph g's pixels. */
static int cell_is(const struct image *im, uint32_t col, uint32_t row, int g)
{
	for (uint32_t y = 0; y < FONT_HEIGHT; y++)
		for (uint32_t x = 0; x < FONT_WIDTH; x++)
			if (pixel(im, col * FONT_WIDTH + x,
				  row * FONT_HEIGHT + y) !=
			    glyph_px[g][y * FONT_WIDTH + x])
				return 0;
	return 1;
}

/* The character shown in cell (col, row), or FBSHOT_NO_MATCH. */
static char cell_char(const struct image *im, uint32_t col, uint32_t row)
{
	for (int g = 0; g < GLYPHS; g++)
		if (cell_is(im, col, row, g))
			return (char)(FONT_FIRST + g);
	return FBSHOT_NO_MATCH;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: fbshot SHOT.ppm\n");
		return 2;
	}
	struct image im = read_ppm(argv[1]);
	uint32_t cols = im.width / FONT_WIDTH, rows = im.height / FONT_HEIGHT;
	char *text = calloc((size_t)rows, cols + 1);
	uint32_t last = 0;

	render_glyphs();
	for (uint32_t r = 0; r < rows; r++) {
		char *line = text + (size_t)r * (cols + 1);
		uint32_t n = 0;

		for (uint32_t c = 0; c < cols; c++)
			if ((line[c] = cell_char(&im, c, r)) != ' ')
				n = c + 1;
		line[n] = '\0';
		if (n)
			last = r + 1;
	}
	for (uint32_t r = 0; r < last; r++)
		printf("%s\n", text + (size_t)r * (cols + 1));
	return 0;
}
