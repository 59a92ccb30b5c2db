/* drivers/fbcon.c: the screen console's ownership of the screen, on a
 * memory surface: drawing while the hypervisor owns it, nothing while the
 * guest does, a clean redraw with the newest lines after the reclaim. */
#include "drivers/fbcon.h"
#include "lib/font.h"
#include "tests/unit/test.h"

enum { COLS = 10, ROWS = 3, W = COLS * FONT_WIDTH + 3, H = ROWS * FONT_HEIGHT + 5 };
static uint32_t px[W * H];

/* Whether cell (col, row) shows ch in the console's colours. */
static bool cell_shows(uint32_t col, uint32_t row, char ch, uint32_t fg)
{
	for (uint32_t y = 0; y < FONT_HEIGHT; y++)
		for (uint32_t x = 0; x < FONT_WIDTH; x++) {
			bool on = font_row(ch, y) & (0x80 >> x);
			uint32_t v = px[(row * FONT_HEIGHT + y) * W +
					col * FONT_WIDTH + x];

			if (v != (on ? fg : 0))
				return false;
		}
	return true;
}

TEST(fbcon_hands_over_and_reclaims)
{
	struct fb_surface s = { (uint8_t *)px, W * 4, W, H, 32, 16, 8, 8, 8, 0, 8, false };
	uint32_t fg = fb_pixel(&s, FB_CONSOLE_FG);

	fbcon_reclaim();                        /* before init: harmless */
	fbcon_write("x\n", 2);                  /* before init: dropped */
	for (uint32_t i = 0; i < W * H; i++)
		px[i] = 0x123456;
	CHECK(fbcon_init(&s));
	CHECK_EQ(px[W * H - 1], 0);             /* cleared, margins too */
	fbcon_write("ab\n", 3);
	CHECK(cell_shows(0, 0, 'a', fg) && cell_shows(1, 0, 'b', fg));

	CHECK(fbcon_drawing());
	fbcon_handover();
	CHECK(!fbcon_drawing());
	for (uint32_t i = 0; i < W * H; i++)    /* the guest draws */
		px[i] = 0x00ff00;
	fbcon_write("cd\n", 3);
	fbcon_write("ef\n", 3);
	for (uint32_t i = 0; i < W * H; i++)
		CHECK_EQ(px[i], 0x00ff00);      /* not one pixel touched */

	fbcon_reclaim();
	fbcon_write("gh\n", 3);                 /* the grid scrolled by one */
	CHECK(cell_shows(0, 0, 'c', fg) && cell_shows(0, 1, 'e', fg) &&
	      cell_shows(1, 2, 'h', fg));
	CHECK(cell_shows(5, 1, ' ', fg));
	CHECK_EQ(px[W * H - 1], 0);             /* the guest's pixels are gone */
	CHECK(fbcon_drawing());
	fbcon_handover();                       /* leave it off for others */
}
