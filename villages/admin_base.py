"""Admin building blocks that keep operators inside their own villages: lists, change pages, lookups, choices."""

from django.contrib import admin

from villages import scoping


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


class VillageScopedAdmin(VillageScopedQueries, admin.ModelAdmin):
    """Every query of this admin (list, change, delete, history, actions, autocomplete) sees only the user's rows.

    Another village's object by URL is "doesn't exist" (Django's redirect to the index), never its data.
    """

    def get_queryset(self, request):
        return scoping.scoped_for(self.model, request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and scoping.villages_for(request.user).exists()


class VillageScopedInlineMixin(VillageScopedQueries):
    pass
