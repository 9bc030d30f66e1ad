/* hl-copy-button.c */
#include <glib/gi18n.h>

#include "hl-copy-button.h"

#define ICON_NAME "edit-copy-symbolic"
/* What GTK gives an image in a button (Adwaita's -gtk-icon-size for normal icons). */
#define ICON_SIZE 16

struct _HlCopyButton {
  GtkButton parent_instance;
  char *tooltip;
};

G_DEFINE_FINAL_TYPE (HlCopyButton, hl_copy_button, GTK_TYPE_BUTTON)

/* The icon, shared by every copy button: the theme caches it too, but asking it is a hash
 * lookup under a lock per drawing. Kept with what it was looked up for. */
static GtkIconPaintable *icon;
static GtkIconTheme *icon_theme; /* weak */
static int icon_scale;
static GtkTextDirection icon_direction;

/* The user changed the icon theme while the program runs: the next drawing looks again. */
static void
on_theme_changed (GtkIconTheme *theme, gpointer data)
{
  g_clear_object (&icon);
}

static GtkIconPaintable *
get_icon (GtkWidget *widget)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
  int scale = gtk_widget_get_scale_factor (widget);
  GtkTextDirection direction = gtk_widget_get_direction (widget);
  if (icon && theme == icon_theme && scale == icon_scale && direction == icon_direction)
    return icon;
  if (theme != icon_theme) {
    if (icon_theme)
      g_signal_handlers_disconnect_by_func (icon_theme, on_theme_changed, NULL);
    g_set_weak_pointer (&icon_theme, theme);
    g_signal_connect (theme, "changed", G_CALLBACK (on_theme_changed), NULL);
  }
  g_clear_object (&icon);
  icon = gtk_icon_theme_lookup_icon (theme, ICON_NAME, NULL, ICON_SIZE, scale, direction, 0);
  icon_scale = scale;
  icon_direction = direction;
  return icon;
}

static void
hl_copy_button_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                        int *natural, int *minimum_baseline, int *natural_baseline)
{
  *minimum = *natural = ICON_SIZE;
}

static void
hl_copy_button_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  GtkIconPaintable *paintable = get_icon (widget);
  GdkRGBA color;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  if (!paintable)
    return;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT ((w - ICON_SIZE) / 2, (h - ICON_SIZE) / 2));
  /* the icon's one colour is the foreground, as GtkImage draws a symbolic icon */
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (paintable), snapshot, ICON_SIZE,
                                            ICON_SIZE, &color, 1);
  gtk_snapshot_restore (snapshot);
}

/* The tooltip is given when GTK asks for it. Setting a widget's tooltip text makes GTK 4.8
 * look for the pointer at once (four round trips to the X server), and the knowledge panel
 * makes some hundred of these buttons while idle. */
static gboolean
hl_copy_button_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard,
                              GtkTooltip *tooltip)
{
  HlCopyButton *self = HL_COPY_BUTTON (widget);
  if (!self->tooltip)
    return FALSE;
  gtk_tooltip_set_text (tooltip, self->tooltip);
  return TRUE;
}

static void
hl_copy_button_finalize (GObject *object)
{
  g_free (HL_COPY_BUTTON (object)->tooltip);
  G_OBJECT_CLASS (hl_copy_button_parent_class)->finalize (object);
}

static void
hl_copy_button_class_init (HlCopyButtonClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->finalize = hl_copy_button_finalize;
  widget_class->measure = hl_copy_button_measure;
  widget_class->snapshot = hl_copy_button_snapshot;
  widget_class->query_tooltip = hl_copy_button_query_tooltip;
}

static void
hl_copy_button_init (HlCopyButton *self)
{
  /* GtkButton sizes its child through a layout manager; this one has no child */
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self), "flat");
  gtk_widget_add_css_class (GTK_WIDGET (self), "image-button");
}

GtkWidget *
hl_copy_button_new (const char *tooltip)
{
  HlCopyButton *self = g_object_new (HL_TYPE_COPY_BUTTON, NULL);
  GtkWidget *button = GTK_WIDGET (self);
  self->tooltip = g_strdup (tooltip);
  gtk_widget_set_has_tooltip (button, tooltip != NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Copy"), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip, -1);
  return button;
}

const char *
hl_copy_button_get_tooltip (HlCopyButton *self)
{
  return self->tooltip;
}
