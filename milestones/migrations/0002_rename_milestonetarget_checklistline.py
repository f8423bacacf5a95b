from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0001_initial"),
        ("departments", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel("MilestoneTarget", "ChecklistLine"),
        migrations.RenameModel("HistoricalMilestoneTarget", "HistoricalChecklistLine"),
        migrations.RemoveConstraint("checklistline", "milestone_target_one_per_region"),
    ]
