from motcua.config import env_table_markdown
from motcua.core.management.base import OneShotCommand


class Command(OneShotCommand):
    help = "Print the README's table of environment variables (generated from motcua/config.py)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(env_table_markdown())
