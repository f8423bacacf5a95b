from django.core.management.base import BaseCommand, CommandError

from seeding.services import DEFAULT_PLAN_SLUG, SeedingRefused, demo_load


class Command(BaseCommand):
    help = (
        "Add demo reports (text starting 【演示】) from every body for 2018H2–2020H2: late, "
        "returned, copied from the previous half-year, blocked, carried. Idempotent. "
        "Refused under production settings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2018)
        parser.add_argument("--plan", default=DEFAULT_PLAN_SLUG)

    def handle(self, *args, seed, plan, **options):
        try:
            written = demo_load(plan_slug=plan, seed=seed)
        except SeedingRefused as error:
            raise CommandError(str(error)) from error
        if written:
            self.stdout.write(self.style.SUCCESS(f"Demo history loaded: {written} reports."))
        else:
            self.stdout.write("Demo history already loaded; nothing changed.")
