#include "hl-ladder-export.h"
gboolean
hl_ladder_export_html (HlRun *run, const HlLadderOptions *options, const char *path, GError **error)
{
  g_set_error (error, HL_DIAGRAM_ERROR, HL_DIAGRAM_ERROR_DRAW, "not yet");
  return FALSE;
}
