"""Give a county system a new secret: prints `client_id=… client_secret=…`; the old one stops."""

from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from integrations.models import ApiClient
from integrations.services import api_client_rotate


class Command(BaseCommand):
    help = "更换对接系统的密钥（旧密钥和已发的令牌立即失效），输出新的 client_secret。"

    def add_arguments(self, parser):
        parser.add_argument("--client-id", required=True)

    def handle(self, *args, client_id, **options):
        client = ApiClient.objects.filter(application__client_id=client_id).first()
        if client is None:
            raise CommandError("没有该 client_id 的对接系统。")
        try:
            secret = api_client_rotate(client=client)
        except ApplicationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"client_id={client_id} client_secret={secret}")
