from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import REPORTING_ROLES, is_coordinator
from core.api import READ_ERRORS
from departments.api.serializers import DepartmentRefSerializer


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(help_text="姓名（未填写时为账号名）")
    role = serializers.CharField(
        help_text="角色：staff 经办人 / reviewer 审核人 / coordinator 协调员 / viewer 查看"
    )
    role_display = serializers.CharField()
    department = DepartmentRefSerializer(allow_null=True)
    permissions = serializers.DictField(
        child=serializers.BooleanField(), help_text="本账号能做什么"
    )


class MeView(APIView):
    """当前账号：所属单位、角色和权限。"""

    @extend_schema(responses={200: MeSerializer, **READ_ERRORS})
    def get(self, request):
        user = request.user
        reporting = user.role in REPORTING_ROLES and user.department_id is not None
        coordinator = is_coordinator(user)
        data = {
            "id": user.pk,
            "username": user.username,
            "name": user.get_full_name() or user.username,
            "role": user.role,
            "role_display": user.get_role_display(),
            "department": user.department,
            "permissions": {
                "report": reporting,
                "review_own_body": reporting and user.role == "reviewer",
                "review_all": coordinator,
                "manage_periods": coordinator,
                "read_only": not (reporting or coordinator),
            },
        }
        return Response(MeSerializer(data).data)
