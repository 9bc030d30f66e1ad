/* hl-window-private.h: the window's insides, for its own code and for tests (as
 * GNOME apps keep them: gnome-text-editor's editor-window-private.h). The rest of the
 * program uses hl-window.h. */
#pragma once

#include "hl-inspector.h"
#include "hl-knowledge-panel.h"
#include "hl-ladder-view.h"
#include "hl-lesson-picker.h"
#include "hl-recording-bar.h"
#include "hl-window.h"

G_BEGIN_DECLS

typedef struct _HlWindowCapture HlWindowCapture;
/* The window's layout for its width (hl-window-adaptive.c). */
typedef enum {
  HL_WINDOW_WIDE,   /* the inspector beside the ladder */
  HL_WINDOW_MEDIUM, /* the inspector in a flap under it */
  HL_WINDOW_NARROW, /* a flap over it, the controls that do not fit in a menu */
} HlWindowMode;

/* What hides the ladder's key lists for a while (the reader's choice comes back after). */
typedef enum {
  HL_WINDOW_HOLD_PRESENTATION = 1 << 0,
  HL_WINDOW_HOLD_NARROW = 1 << 1,
  HL_WINDOW_HOLD_SQUEEZED = 1 << 2, /* a ladder pane too narrow for the lists at reading size */
} HlWindowHold;

struct _HlWindow {
  AdwApplicationWindow parent_instance;
  AdwToastOverlay *toasts;
  AdwWindowTitle *window_title;
  HlLessonPicker *lessons_popover;
  GtkMenuButton *lessons_button;
  GtkLabel *next_label, *banner;
  GtkScrolledWindow *ladder_scroller;
  GtkPaned *paned;
  GtkStack *side_stack;
  HlLadderView *ladder;
  HlInspector *inspector;
  HlKnowledgePanel *knowledge;
  HlSession *session;
  char *last_message; /* for tests: hl_window_get_last_message */
  AdwToast *toast;    /* the one shown, dismissed by the next step: it would cover the diagram */
  gboolean presentation;
  gboolean fit;           /* the diagram follows the pane's width until the person zooms */
  guint play_source;      /* while playing: the timer that delivers the next step */
  guint play_interval_ms; /* the speed */
  char *play_speed;       /* "slow", "normal" or "fast" */
  GtkButton *play_button;
  AdwButtonContent *play_content;
  GtkMenuButton *main_menu_button, *speed_menu_button;
  GMenuModel *main_menu, *speed_menu; /* given to their buttons when first opened */
  GtkSpinner *busy_spinner;           /* in the header while Run to End works */
  gboolean busy;
  GdkCursor *busy_cursor;        /* kept: GDK drops a cursor's X copy with it, and loading it again
                                  * from the theme cost about 6 M instructions a Run to End */
  HlRecordingBar *recording_bar; /* shown while a capture is open */
  HlWindowCapture *capture;      /* the capture shown; NULL for a lesson (hl-window-capture.c) */
  /* Adaptive layout (hl-window-adaptive.c). */
  HlWindowMode mode;
  AdwFlap *flap; /* holds the side box below 1000 pixels */
  GtkBox *side;  /* the side box: message, knowledge, key schedule */
  GtkButton *restart_button, *back_button, *step_button, *run_button, *tamper_button;
  GtkToggleButton *inspector_button; /* shows the flap */
  GtkMenuButton *controls_more;      /* the controls a narrow window has no room for */
  GMenuModel *controls_menu;
  gboolean show_key_lists;  /* the "show-key-lists" property: the ladder's per-side notes */
  guint key_list_holds;     /* HlWindowHold flags */
  gboolean key_lists_saved; /* the reader's choice while held */
};

/* Shared by the window's files (hl-window.c: the class and its template;
 * hl-window-actions.c: every win.* action and the one function that enables them;
 * hl-window-dnd.c: dropping a file on the window). */
void _hl_window_say (HlWindow *self, const char *message);  /* a toast, remembered */
void _hl_window_note (HlWindow *self, const char *message); /* remembered only */
void _hl_window_update (HlWindow *self);         /* after any change: actions, labels, banner */
void _hl_window_update_actions (HlWindow *self); /* enables each action for what can be done */
void _hl_window_stop_playing (HlWindow *self);
void _hl_window_fit (HlWindow *self); /* fit the diagram to the pane again */
void _hl_window_class_init_actions (GtkWidgetClass *wc);
void _hl_window_init_dnd (HlWindow *self);
/* A file that does not open: a dialog with the reason; what was open stays. */
void _hl_window_show_load_error (HlWindow *self, const char *path, const GError *error);

/* Captures (hl-window-capture.c). */
void _hl_window_class_init_capture (GtkWidgetClass *wc);
void _hl_window_update_capture_actions (HlWindow *self);
void _hl_window_leave_capture (HlWindow *self); /* a lesson replaced it */
void _hl_window_free_capture (HlWindow *self);
/* "Recorded in FILE, connection N" while a capture is shown; else NULL. */
char *_hl_window_describe_source (HlWindow *self);
/* For tests: the connection picker while it is open; NULL otherwise. */
GtkWindow *_hl_window_get_connection_picker (HlWindow *self);
void _hl_window_class_init_adaptive (GtkWidgetClass *wc);
void _hl_window_init_adaptive (HlWindow *self);
void _hl_window_set_mode (HlWindow *self, HlWindowMode mode);
/* Hides the ladder's key lists while `why` holds, and gives the reader's choice back when
 * nothing holds them any more. */
void _hl_window_hold_key_lists (HlWindow *self, HlWindowHold why, gboolean hold);

/* For tests: the last message shown to the person (toast, or the load error's dialog). */
const char *hl_window_get_last_message (HlWindow *self);
/* The outcome banner's text, or NULL when hidden. */
const char *hl_window_get_banner (HlWindow *self);
GtkWidget *hl_window_get_inspector (HlWindow *self);
GtkWidget *hl_window_get_knowledge (HlWindow *self);
GtkWidget *hl_window_get_ladder (HlWindow *self);
GtkWidget *hl_window_get_lessons_list (HlWindow *self);
HlLessonPicker *hl_window_get_lesson_picker (HlWindow *self);

G_END_DECLS
