import time

from django.core.management.base import BaseCommand, CommandError

from seeding.services import DEFAULT_PLAN_SLUG, SeedingRefused, scale_load


class Command(BaseCommand):
    help = (
        "Add N synthetic counties (codes 99…, names ending （模拟）) with ~14 towns each, "
        "their county bodies, a share of every collective clause of the plan and reports over "
        "10 half-years with history, stored progress and lights. --counties 2844 is China's "
        "size. Counties already there are skipped. Refused under production settings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--counties", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2018)
        parser.add_argument("--plan", default=DEFAULT_PLAN_SLUG)

    def handle(self, *args, counties, seed, plan, **options):
        if counties < 0:
            raise CommandError("--counties must be 0 or more.")
        started = time.perf_counter()
        verbose = options["verbosity"] >= 1
        try:
            totals = scale_load(
                counties=counties,
                seed=seed,
                plan_slug=plan,
                progress=(lambda line: self.stdout.write(line)) if verbose else None,
            )
        except SeedingRefused as error:
            raise CommandError(str(error)) from error
        if verbose:
            summary = ", ".join(f"{k}={v}" for k, v in sorted(totals.items())) or "nothing new"
            self.stdout.write(
                self.style.SUCCESS(
                    f"load_scale --counties {counties}: {summary} "
                    f"in {time.perf_counter() - started:.0f} s"
                )
            )
