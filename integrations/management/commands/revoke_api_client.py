"""Stop a county system at once: its tokens and secret no longer work."""

from django.core.management.base import BaseCommand, CommandError

from integrations.models import ApiClient
from integrations.services import api_client_revoke


class Command(BaseCommand):
    help = "停用对接系统：已发的令牌立即失效，不能再换取令牌。"

    def add_arguments(self, parser):
        parser.add_argument("--client-id", required=True)

    def handle(self, *args, client_id, **options):
        client = ApiClient.objects.filter(application__client_id=client_id).first()
        if client is None:
            raise CommandError("没有该 client_id 的对接系统。")
        client = api_client_revoke(client=client)
        self.stdout.write(f"client_id={client_id} revoked_at={client.revoked_at.isoformat()}")
