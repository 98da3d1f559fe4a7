# The experience list in its order (village's position, position, slug) read from one index: each experience keeps a
# copy of its village's position (Experience.save and Village.save keep it from here on), filled here for the rows
# there are. Published villages get an index in their own list order too.

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_village_positions(apps, schema_editor):
    Experience = apps.get_model("villages", "Experience")
    Village = apps.get_model("villages", "Village")
    position = Village.objects.filter(pk=OuterRef("village_id")).values("position")[:1]
    Experience.objects.update(village_position=Subquery(position))


class Migration(migrations.Migration):

    dependencies = [
        ('villages', '0009_scheduled_sessions_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='experience',
            name='village_position',
            field=models.PositiveSmallIntegerField(default=0, editable=False, verbose_name='position of the village'),
        ),
        migrations.RunPython(copy_village_positions, migrations.RunPython.noop, elidable=True),
        migrations.AlterModelOptions(
            name='experience',
            options={'ordering': ['village_position', 'position', 'slug'], 'verbose_name': 'experience', 'verbose_name_plural': 'experiences'},
        ),
        migrations.AddIndex(
            model_name='experience',
            index=models.Index(condition=models.Q(('is_published', True)), fields=['village_position', 'position', 'slug', 'village', 'kind'], name='experience_listed_order_idx'),
        ),
        migrations.AddIndex(
            model_name='village',
            index=models.Index(condition=models.Q(('is_published', True)), fields=['position', 'slug', 'id'], name='village_listed_order_idx'),
        ),
    ]
