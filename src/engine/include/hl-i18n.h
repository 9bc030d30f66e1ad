/* hl-i18n.h: the teaching text in the reader's language.
 *
 * The engine and the diagram mark their sentences with _("...") so that xgettext puts them
 * in po/handshake-lab.pot; N_("...") marks a sentence kept in a table, translated where it
 * is used. A sentence stays English unless the program installs a translator: the window
 * installs gettext, so a student reads the explanations in the desktop's language; the
 * command line installs none, so its transcripts, captures and exports read the same on
 * every machine.
 *
 * What is never translated: protocol vocabulary (field names and decoded values, message,
 * suite and secret names, JSON keys), which a student compares with the RFCs and Wireshark.
 *
 * Include it from .c files only. After <glib/gi18n.h> (the window's files), gettext's own `_`
 * and `N_` stay in force.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns the translation of msgid (of plural for n when plural is not NULL, as ngettext), or
 * msgid itself; the result lives as long as the program (like gettext's). */
typedef const char *(*HlTranslateFunc) (const char *msgid, const char *plural, gulong n);

/* Installs func for every thread (NULL: English again). Call it before any run starts. */
void hl_i18n_set_translator (HlTranslateFunc func);

const char *hl_i18n_translate (const char *msgid) G_GNUC_FORMAT (1);
const char *hl_i18n_translate_plural (const char *msgid, const char *plural, gulong n)
    G_GNUC_FORMAT (1) G_GNUC_FORMAT (2);

/* "client" or "server" for a sentence (hl_side_name is the protocol's word, for keys). */
const char *hl_side_word (int side);

G_END_DECLS

#ifndef _
#define _(msgid) hl_i18n_translate (msgid)
#endif
#ifndef N_
#define N_(msgid) (msgid)
#endif
/* A sentence with a count: P_ ("%u certificate", "%u certificates", n) (xgettext: P_:1,2). */
#define P_(msgid, plural, n) hl_i18n_translate_plural (msgid, plural, n)
