/* hl-lesson-picker.h: the "Lessons" popover. Lists the bundled lessons from the lesson
 * catalogue (read in a worker thread when first shown), by number, title and
 * description, in two groups by TLS library. Search by number, words or keywords; Up and
 * Down move the selection, Enter opens it (the first match unless moved).
 *
 * Signal "lesson-chosen" (const char *path): a lesson was picked; the popover closes. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HL_TYPE_LESSON_PICKER (hl_lesson_picker_get_type ())
G_DECLARE_FINAL_TYPE (HlLessonPicker, hl_lesson_picker, HL, LESSON_PICKER, GtkPopover)

/* Starts reading the catalogue if it has not been (showing the popover does it). */
void hl_lesson_picker_load (HlLessonPicker *self);
gboolean hl_lesson_picker_is_loaded (HlLessonPicker *self);
GtkListBox *hl_lesson_picker_get_list (HlLessonPicker *self);
GtkEditable *hl_lesson_picker_get_search (HlLessonPicker *self);
/* The lessons shown for the current search, in order (HlLesson*, borrowed). */
GPtrArray *hl_lesson_picker_list_shown (HlLessonPicker *self);

G_END_DECLS
