/* seedream-model-picker.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "seedream-model.h"

G_BEGIN_DECLS

void                 seedream_model_picker_setup        (AdwComboRow         *row);
const SeedreamModel *seedream_model_picker_get_selected (AdwComboRow         *row);
void                 seedream_model_picker_select       (AdwComboRow         *row,
                                                         const SeedreamModel *model);

G_END_DECLS
