/* hl-lesson-catalog.h: the bundled lessons, listed once for every front end (the CLI's
 * --list-scenarios and the window's lesson picker). No GTK here.
 *
 * Each lesson is read from its .scenario file: its number (the file name's prefix, "13b"),
 * title, description and search keywords (the file name's words and the TLS library that
 * plays it). A file that does not load is listed with its FILE:LINE error. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char *path;        /* the .scenario file */
  char *name;        /* its base name without ".scenario": "14-untrusted-ca" */
  char *number;      /* the name's leading digits and letter, no leading zero: "14", "13b", "1" */
  char *title;       /* NULL when the file did not load */
  char *description; /* "" when none */
  char *keywords;    /* space-separated, lower case: "untrusted ca bearssl tls1.2" */
  gboolean tls13;    /* played by OpenSSL (TLS 1.3, or a TLS 1.3 client) */
  char *error;       /* FILE:LINE: why it did not load; NULL when it did */
} HlLesson;

/* Every bundled lesson (HlLesson*), in file-name order; NULL with `error` set when the
 * lessons folder is missing. The array frees its lessons. Reads every file: slow. */
GPtrArray *hl_lesson_catalog_load (GError **error);

/* The same in a worker thread (GTask), for a front end that must not block. */
void hl_lesson_catalog_load_async (GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
GPtrArray *hl_lesson_catalog_load_finish (GAsyncResult *result, GError **error);

/* Whether every word of `query` (case-insensitive) is in the lesson's title, description
 * or keywords. A word of digits names a lesson number instead: "13" finds 13 and 13b, not
 * 3 or 30, nor a description that mentions 13; "1" and "01" find lesson 1. An empty query matches
 * every lesson. */
gboolean hl_lesson_matches (const HlLesson *lesson, const char *query);

void hl_lesson_free (HlLesson *lesson);

G_END_DECLS
