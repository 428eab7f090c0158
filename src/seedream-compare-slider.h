/* seedream-compare-slider.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_COMPARE_SLIDER (seedream_compare_slider_get_type ())

/* Two images in one place, before (left of the divider) and after (right
 * of it), fitted at the same scale. The divider follows a click or drag
 * and the keyboard: Left/Right by 5 %, Page Up/Down by 25 %, Home/End.
 * For screen readers it is a slider (0-100) whose value text says how
 * much of each image shows. Property: position (0..1). */
G_DECLARE_FINAL_TYPE (SeedreamCompareSlider, seedream_compare_slider, SEEDREAM, COMPARE_SLIDER, GtkWidget)

GtkWidget *seedream_compare_slider_new          (void);
void       seedream_compare_slider_set_images   (SeedreamCompareSlider *self,
                                                 GdkPaintable          *before,
                                                 GdkPaintable          *after);
void       seedream_compare_slider_set_names    (SeedreamCompareSlider *self,
                                                 const char            *before,
                                                 const char            *after);
double     seedream_compare_slider_get_position (SeedreamCompareSlider *self);
void       seedream_compare_slider_set_position (SeedreamCompareSlider *self,
                                                 double                 position);

G_END_DECLS
