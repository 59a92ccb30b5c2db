/*
 * The hypervisor's built-in bitmap font: printable ASCII (0x20-0x7e) in
 * 8x16 cells.  The glyphs are the project's own design, drawn on a 5x8 grid
 * (seven rows for the body, the eighth for descenders) and widened into
 * the cell: each design row covers two cell rows, the five design columns
 * sit in cell columns 1-5, so neighbouring glyphs keep a gap of three
 * pixels and lines one of two.  Pure: also in the host unit tests and in
 * the screen-dump reader (tools/fbshot.c).
 */
#ifndef LIB_FONT_H
#define LIB_FONT_H

#include <stdint.h>

#define FONT_WIDTH       8              /* cell, pixels */
#define FONT_HEIGHT      16
#define FONT_FIRST       0x20           /* ' ' */
#define FONT_LAST        0x7e           /* '~' */
#define FONT_REPLACEMENT '?'            /* drawn for anything else */

/* Row `row` (0 = top, below FONT_HEIGHT) of the cell of `ch`: bit 7 is the
 * leftmost pixel.  A character outside FONT_FIRST..FONT_LAST gets
 * FONT_REPLACEMENT's rows; a row outside the cell is blank. */
uint8_t font_row(char ch, uint32_t row);

#endif
