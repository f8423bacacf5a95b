from django.urls import reverse
from rest_framework import serializers

from core.api import StrictInputMixin
from summaries.models import SummaryVersion


class SummaryVersionSerializer(serializers.ModelSerializer):
    """一次生成的半年汇总：状态、进度、数据校验和，完成后附下载链接。"""

    plan = serializers.SlugRelatedField(source="summary.plan", slug_field="slug", read_only=True)
    period = serializers.CharField(source="summary.period.code", read_only=True)
    period_title = serializers.CharField(source="summary.period.title", read_only=True)
    requested_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    submitted_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    url = serializers.SerializerMethodField(help_text="本版本的地址（轮询状态用）")
    docx_url = serializers.SerializerMethodField(help_text="Word报告下载地址（生成完成后）")
    xlsx_url = serializers.SerializerMethodField(help_text="Excel台账下载地址（生成完成后）")

    class Meta:
        model = SummaryVersion
        fields = [
            "id",
            "plan",
            "period",
            "period_title",
            "number",
            "status",
            "stage",
            "progress",
            "error",
            "trigger",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "as_of",
            "data_checksum",
            "figures",
            "submitted_at",
            "submitted_by",
            "url",
            "docx_url",
            "xlsx_url",
        ]
        extra_kwargs = {
            "started_at": {"allow_null": True},
            "finished_at": {"allow_null": True},
            "as_of": {"allow_null": True},
            "submitted_at": {"allow_null": True},
        }

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, obj) -> str:
        return self._absolute(reverse("summary-detail", args=[obj.pk]))

    def get_docx_url(self, obj) -> str | None:
        if not obj.is_done:
            return None
        return self._absolute(reverse("summary_version_download", args=[obj.pk, "docx"]))

    def get_xlsx_url(self, obj) -> str | None:
        if not obj.is_done:
            return None
        return self._absolute(reverse("summary_version_download", args=[obj.pk, "xlsx"]))


class GenerateSerializer(StrictInputMixin, serializers.Serializer):
    period = serializers.CharField(max_length=10, help_text="报告期编号，如 2019H1")
    plan = serializers.SlugField(
        required=False, max_length=60, help_text="实施方案标识（只有一个方案时可省略）"
    )
