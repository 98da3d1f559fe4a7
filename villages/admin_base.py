"""Admin building blocks: operators stay inside their own villages (lists, change pages, lookups, choices), and a save
writes only what its form changed."""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.forms.models import BaseInlineFormSet

from villages import scoping


def changed_model_fields(form) -> list[str]:
    """The model fields a submitted form changed, for save(update_fields=…): with the untranslated column of each
    translated field (modeltranslation keeps it in step), the fields a form sets through another of its own
    (`model_fields_for`, e.g. twelve month boxes for a season mask), and the auto_now timestamps. Empty when the
    form changed nothing."""
    model = form._meta.model
    extra = getattr(form, "model_fields_for", {})
    names = set()
    for name in form.changed_data:
        names.update(extra.get(name, ()))
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not field.concrete or field.many_to_many:
            continue
        names.add(field.name)
        translated = getattr(field, "translated_field", None)
        if translated is not None:
            names.add(translated.name)
    if names:
        names.update(field.name for field in model._meta.concrete_fields if getattr(field, "auto_now", False))
    return sorted(names)


class SavesChangedFieldsOnly:
    """An admin save writes only the fields its form changed, never the whole row it loaded: a counter or a state
    that a service changed meanwhile (a session's seats taken, a booking's status, a cohort's places accepted)
    stays as the service left it, whatever the stale form still held."""

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        fields = changed_model_fields(form)
        if fields:
            obj.save(update_fields=fields)
        return None


class ChangedFieldsOnlyFormSet(BaseInlineFormSet):
    """The same for the rows of an inline."""

    def save_existing(self, form, obj, commit=True):
        instance = form.save(commit=False)
        if commit:
            fields = changed_model_fields(form)
            if fields:
                instance.save(update_fields=fields)
            form.save_m2m()
        return instance


class VillageScopedQueries:
    """Foreign-key choices limited to the user's villages, for any scoped model."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        remote = db_field.remote_field.model
        if remote in scoping.SCOPE_PATHS:
            kwargs["queryset"] = scoping.scoped_for(remote, request.user, kwargs.get("queryset"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        remote = db_field.remote_field.model
        if remote in scoping.SCOPE_PATHS:
            kwargs["queryset"] = scoping.scoped_for(remote, request.user, kwargs.get("queryset"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class VillageScopedAdmin(SavesChangedFieldsOnly, VillageScopedQueries, admin.ModelAdmin):
    """Every query of this admin (list, change, delete, history, actions, autocomplete) sees only the user's rows.

    Another village's object by URL is "doesn't exist" (Django's redirect to the index), never its data.
    """

    def get_queryset(self, request):
        return scoping.scoped_for(self.model, request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and scoping.villages_for(request.user).exists()


class VillageScopedInlineMixin(VillageScopedQueries):
    formset = ChangedFieldsOnlyFormSet
