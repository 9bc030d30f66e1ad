/* hl-lesson-catalog.c: the bundled lessons, read once for both front ends. */
#include "hl-lesson-catalog.h"

#include <string.h>

#include "hl-data.h"
#include "hl-scenario.h"

void
hl_lesson_free (HlLesson *lesson)
{
  if (!lesson)
    return;
  g_free (lesson->path);
  g_free (lesson->name);
  g_free (lesson->number);
  g_free (lesson->title);
  g_free (lesson->description);
  g_free (lesson->keywords);
  g_free (lesson->error);
  g_free (lesson);
}

/* "14-untrusted-ca" → number "14", keywords "untrusted ca"; "01-rsa…" is number "1". */
static HlLesson *
lesson_new (const char *path)
{
  HlLesson *l = g_new0 (HlLesson, 1);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = NULL;
  const char *p;
  GString *words = g_string_new (NULL);
  l->path = g_strdup (path);
  l->name = g_str_has_suffix (base, ".scenario")
                ? g_strndup (base, strlen (base) - strlen (".scenario"))
                : g_strdup (base);
  for (p = l->name; g_ascii_isdigit (*p); p++)
    ;
  if (p > l->name && g_ascii_isalpha (*p) && (p[1] == '-' || !p[1]))
    p++; /* "13b" */
  {
    const char *n = l->name;
    while (*n == '0' && n + 1 < p && g_ascii_isdigit (n[1]))
      n++; /* "01" is lesson 1 */
    l->number = g_strndup (n, p - n);
  }
  while (*p == '-')
    p++;
  for (; *p; p++)
    g_string_append_c (words, *p == '-' || *p == '_' ? ' ' : g_ascii_tolower (*p));
  s = hl_scenario_load (path, &error);
  if (s) {
    l->title = g_strdup (s->title);
    l->description = g_strdup (s->description ? s->description : "");
    l->tls13 = hl_scenario_uses_openssl (s);
    g_string_append (words, l->tls13 ? " openssl" : " bearssl");
  } else {
    l->description = g_strdup ("");
    l->error = g_strdup (error->message);
  }
  l->keywords = g_string_free (words, FALSE);
  return l;
}

GPtrArray *
hl_lesson_catalog_load (GError **error)
{
  g_autoptr (GPtrArray) files = hl_data_list_scenarios ();
  GPtrArray *lessons;
  if (!files) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "the bundled lessons were not found (looked in %s/scenarios)", hl_data_dir ());
    return NULL;
  }
  lessons = g_ptr_array_new_with_free_func ((GDestroyNotify)hl_lesson_free);
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (lessons, lesson_new (g_ptr_array_index (files, i)));
  return lessons;
}

static void
load_in_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *lessons = hl_lesson_catalog_load (&error);
  if (lessons)
    g_task_return_pointer (task, lessons, (GDestroyNotify)g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
hl_lesson_catalog_load_async (GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hl_lesson_catalog_load_async);
  g_task_run_in_thread (task, load_in_thread);
}

GPtrArray *
hl_lesson_catalog_load_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
is_number (const char *word)
{
  if (!g_ascii_isdigit (*word))
    return FALSE;
  while (g_ascii_isdigit (*word))
    word++;
  return !*word || (g_ascii_isalpha (*word) && !word[1]);
}

gboolean
hl_lesson_matches (const HlLesson *lesson, const char *query)
{
  g_autofree char *q = g_utf8_strdown (query ? query : "", -1);
  g_autofree char *hay = g_utf8_strdown (lesson->title ? lesson->title : lesson->name, -1);
  g_autofree char *desc = g_utf8_strdown (lesson->description, -1);
  g_auto (GStrv) words = g_strsplit_set (q, " \t\n", -1);
  g_autofree char *all = g_strjoin ("\n", hay, desc, lesson->keywords, NULL);
  for (guint i = 0; words[i]; i++) {
    const char *w = words[i];
    if (!*w)
      continue;
    if (is_number (w)) {
      /* "13" is lesson 13 and 13b; "13b" only 13b; "03" is 3 */
      gsize n;
      while (*w == '0' && g_ascii_isdigit (w[1]))
        w++;
      n = strlen (w);
      if (strncmp (lesson->number, w, n) != 0
          || (lesson->number[n]
              && (g_ascii_isdigit (lesson->number[n]) || g_ascii_isalpha (w[n - 1]))))
        return FALSE;
    } else if (!strstr (all, w)) {
      return FALSE;
    }
  }
  return TRUE;
}
