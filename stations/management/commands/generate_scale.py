"""Generate a synthetic county, province or nation for benchmarks (issue 15 §1; docs/benchmarks.md)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from stations import scale


class Command(BaseCommand):
    help = "Generate synthetic data at county, province or nation scale (bulk writes; COPY on PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(scale.SCALES), default="province")
        parser.add_argument("--years", type=int, default=3, help="Years of records up to --until (default 3).")
        parser.add_argument(
            "--seed", type=int, default=7, help="Random seed: the same seed and --until give the same rows."
        )
        parser.add_argument(
            "--until", type=date.fromisoformat, default=None, help="Last day of records (default today)."
        )
        parser.add_argument("--database", default="default", help="Database alias (default: default).")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Add to a database that already holds workstations (another seed's data, demo data).",
        )

    def handle(self, *args, **options):
        if options["years"] < 1:
            raise CommandError("--years must be at least 1")
        using = options["database"]
        if not options["yes"] and not scale.database_is_empty(using):
            raise CommandError(
                "The database already holds workstations; generate into an empty database or pass --yes to add to it."
            )
        until = options["until"] or timezone.localdate()
        self.stdout.write(
            f"generate_scale v{scale.VERSION}: {options['scale']}, {options['years']} years to {until}, "
            f"seed {options['seed']}, database {using}"
        )
        ctx = scale.generate(
            scale=options["scale"],
            years=options["years"],
            seed=options["seed"],
            until=until,
            using=using,
            progress=lambda line: self.stdout.write(line, ending="\n") or self.stdout.flush(),
        )
        self.stdout.write(self.style.SUCCESS(f"{len(ctx.stations):,} workstations generated."))
        self.stdout.write(f"Logins (password {scale.SCALE_PASSWORD}; administrators also need `manage.py demo_totp`):")
        shown: dict[str, int] = {}
        for username, role, scope in ctx.logins:
            shown[role] = shown.get(role, 0) + 1
            if shown[role] <= 3:
                self.stdout.write(f"  {username:<24} {role:<8} {scope}")
        self.stdout.write(
            "  … every county, city and active station has its own (<code>, <code>_zhang, <code>_luru in lower case)."
        )
