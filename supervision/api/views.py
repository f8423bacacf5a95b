import django_filters
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import AS_OF, ERRORS, READ_ERRORS, BooleanFilter, FilterSet, IdFilter, api_as_of
from departments.models import Department
from supervision import selectors, services
from supervision.models import Inspection, Reminder, SignOff
from supervision.permissions import SupervisionPermission
from tasks.models import Assignment, Task

from .serializers import (
    InspectionSerializer,
    ReminderCreateSerializer,
    ReminderSerializer,
    ReopenSerializer,
    ReplySerializer,
    SignOffCreateSerializer,
    SignOffSerializer,
)


class ReminderFilter(FilterSet):
    department = IdFilter()
    state = django_filters.ChoiceFilter(choices=Reminder.State.choices)
    overdue = BooleanFilter(method="filter_overdue", label="只看逾期未回复的")

    class Meta:
        model = Reminder
        fields = ["department", "state", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = selectors.reminders_overdue_reply().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


@extend_schema_view(
    list=extend_schema(responses={200: ReminderSerializer, **READ_ERRORS}),
    retrieve=extend_schema(responses={200: ReminderSerializer, **READ_ERRORS}),
    create=extend_schema(
        request=ReminderCreateSerializer, responses={201: ReminderSerializer, **ERRORS}
    ),
)
class ReminderViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """催办：市民政局就若干任务分解向一个单位发出催办；该单位经办人、审核人签收并回复。

    市民政局协调员和市领导（查看）看全部；各单位只看发给本单位的。逾时未签收的催办
    通知该单位审核人。
    """

    serializer_class = ReminderSerializer
    permission_classes = [SupervisionPermission]
    filterset_class = ReminderFilter
    queryset = Reminder.objects.none()  # the real one depends on the user

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        if self.request.method not in ("GET", "HEAD", "OPTIONS"):
            # Writes look at every reminder so that a refusal is a clear 403 from the
            # service, not a 404 that hides why.
            return Reminder.objects.all()
        return selectors.reminder_list(user=self.request.user)

    def _respond(self, reminder, code=status.HTTP_200_OK):
        reminder = selectors.reminder_list(user=self.request.user).get(pk=reminder.pk)
        return Response(ReminderSerializer(reminder).data, status=code)

    def create(self, request, *args, **kwargs):
        data = ReminderCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        department = get_object_or_404(Department, pk=values.pop("department"))
        wanted = set(values.pop("assignments"))
        assignments = list(Assignment.objects.select_related("task").filter(pk__in=wanted))
        if len(assignments) != len(wanted):
            raise Http404
        reminder = services.reminder_send(
            by=request.user, department=department, assignments=assignments, **values
        )
        return self._respond(reminder, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ReminderSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """签收：被催办单位的经办人或审核人。"""
        return self._respond(
            services.reminder_acknowledge(reminder=self.get_object(), by=request.user)
        )

    @extend_schema(request=ReplySerializer, responses={200: ReminderSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """回复（同时视为签收）：被催办单位的经办人或审核人；市民政局收到通知。"""
        data = ReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reminder = services.reminder_reply(
            reminder=self.get_object(), by=request.user, reply=data.validated_data["reply"]
        )
        return self._respond(reminder)


class SignOffFilter(FilterSet):
    origin = django_filters.ChoiceFilter(
        field_name="task__origin", choices=Task.Origin.choices, label="任务来源"
    )

    class Meta:
        model = SignOff
        fields = ["task", "state", "origin"]


@extend_schema_view(
    list=extend_schema(responses={200: SignOffSerializer, **READ_ERRORS}),
    retrieve=extend_schema(responses={200: SignOffSerializer, **READ_ERRORS}),
    create=extend_schema(
        request=SignOffCreateSerializer, responses={201: SignOffSerializer, **ERRORS}
    ),
)
class SignOffViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """办结：市民政局协调员将工作任务标记为办结（或重新打开，须说明理由）。

    牵头单位（无牵头单位时为各负责单位）最新审核通过的填报须为“已完成”，否则返回 409
    并在 `missing` 中逐条说明缺少什么。督查整改事项办结即“销号”。
    """

    serializer_class = SignOffSerializer
    permission_classes = [SupervisionPermission]
    filterset_class = SignOffFilter
    queryset = selectors.sign_off_list()

    def create(self, request, *args, **kwargs):
        data = SignOffCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = get_object_or_404(Task, pk=data.validated_data["task"])
        sign_off = services.task_sign_off(task=task, by=request.user)
        sign_off = selectors.sign_off_list().get(pk=sign_off.pk)
        return Response(SignOffSerializer(sign_off).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReopenSerializer, responses={200: SignOffSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """重新打开已办结的工作任务，理由记入变更记录。"""
        data = ReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sign_off = services.sign_off_reopen(
            sign_off=self.get_object(), by=request.user, reason=data.validated_data["reason"]
        )
        sign_off = selectors.sign_off_list().get(pk=sign_off.pk)
        return Response(SignOffSerializer(sign_off).data)


class InspectionFilter(FilterSet):
    class Meta:
        model = Inspection
        fields = ["plan"]


@extend_schema_view(
    list=extend_schema(parameters=[AS_OF], responses={200: InspectionSerializer, **READ_ERRORS}),
    retrieve=extend_schema(
        parameters=[AS_OF], responses={200: InspectionSerializer, **READ_ERRORS}
    ),
)
class InspectionViewSet(viewsets.ReadOnlyModelViewSet):
    """督查：每次督查及其发现；每条发现是一项整改任务（`task`、`assignment`），`closed` 表示已销号。"""

    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    queryset = Inspection.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        as_of = api_as_of(self.request)
        return selectors.inspection_list(as_of=as_of).prefetch_related(
            Prefetch("findings", queryset=selectors.finding_list(as_of).order_by("number"))
        )
