/* hl-i18n.c: one switch between English and the reader's language (see hl-i18n.h). */
#include "hl-i18n.h"

static HlTranslateFunc translator;

void
hl_i18n_set_translator (HlTranslateFunc func)
{
  g_atomic_pointer_set (&translator, func);
}

const char *
hl_i18n_translate (const char *msgid)
{
  HlTranslateFunc func = g_atomic_pointer_get (&translator);
  return func && msgid && *msgid ? func (msgid, NULL, 1) : msgid;
}

const char *
hl_i18n_translate_plural (const char *msgid, const char *plural, gulong n)
{
  HlTranslateFunc func = g_atomic_pointer_get (&translator);
  return func ? func (msgid, plural, n) : n == 1 ? msgid : plural;
}

const char *
hl_side_word (int side)
{
  return side == 0 ? _ ("client") : _ ("server");
}
