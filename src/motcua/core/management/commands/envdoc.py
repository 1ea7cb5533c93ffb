from django.core.management.base import BaseCommand

from motcua.config import env_table_markdown


class Command(BaseCommand):
    help = "Print the README's table of environment variables (generated from motcua/config.py)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(env_table_markdown())
