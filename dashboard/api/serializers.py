"""The shape of GET /api/v1/dashboard/ (for the schema and for output: figures only, no writes)."""

from rest_framework import serializers


class DashLightsSerializer(serializers.Serializer):
    red = serializers.IntegerField(help_text="红灯")
    yellow = serializers.IntegerField(help_text="黄灯")
    green = serializers.IntegerField(help_text="绿灯")
    done = serializers.IntegerField(help_text="已完成")


class DashStatusSerializer(serializers.Serializer):
    not_started = serializers.IntegerField(help_text="未启动（含尚无审核通过的填报）")
    in_progress = serializers.IntegerField(help_text="推进中")
    completed = serializers.IntegerField(help_text="已完成")
    blocked = serializers.IntegerField(help_text="受阻")


class DashReportingSerializer(serializers.Serializer):
    approved = serializers.IntegerField(help_text="本报告期已审核")
    submitted = serializers.IntegerField(help_text="已报送待审核")
    draft = serializers.IntegerField(help_text="草稿")
    returned = serializers.IntegerField(help_text="退回")
    none = serializers.IntegerField(help_text="未填报")


class DashGroupSerializer(DashLightsSerializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    total = serializers.IntegerField()


class DashSectionSerializer(DashLightsSerializer):
    id = serializers.IntegerField(allow_null=True, help_text="方面（工作任务）id；无方面的为 null")
    code = serializers.CharField()
    title = serializers.CharField()
    total = serializers.IntegerField()


class DashGroupListSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="全部行数（rows 只列最差的前30行）")
    rows = DashGroupSerializer(many=True)


class DashByBodySerializer(serializers.Serializer):
    lead = DashGroupListSerializer(help_text="作为牵头单位")
    support = DashGroupListSerializer(help_text="作为配合单位")
    responsible = DashGroupListSerializer(help_text="作为负责单位")
    guide = DashGroupListSerializer(required=False, help_text="作为指导单位（有时）")


class DashMilestoneRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    due_date = serializers.DateField()


class DashCellSerializer(serializers.Serializer):
    milestone = serializers.IntegerField()
    state = serializers.ChoiceField(
        choices=["done", "late", "open", "none"],
        help_text="done 已确认完成 / late 逾期 / open 未到期 / none 不适用",
    )
    completed_on = serializers.DateField(allow_null=True)
    via_county = serializers.BooleanField(help_text="县级节点：显示所在县(区)的清单行")


class DashTownSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    county = serializers.CharField()
    department = serializers.IntegerField(
        allow_null=True, help_text="所在县(区)人民政府（报告单位）id"
    )
    cells = DashCellSerializer(many=True)


class DashMatrixSerializer(serializers.Serializer):
    milestones = DashMilestoneRefSerializer(many=True)
    towns = DashTownSerializer(many=True)


class DashStepSerializer(serializers.Serializer):
    milestone = serializers.IntegerField()
    state = serializers.ChoiceField(choices=["done", "late", "open"])
    total = serializers.IntegerField(help_text="该县(区)的清单行数（乡镇级节点为各乡镇）")
    done = serializers.IntegerField(help_text="已确认完成的行数")
    completed_on = serializers.DateField(allow_null=True)


class DashTimelineCountySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="县(区) 行政区划 id")
    name = serializers.CharField()
    department = serializers.IntegerField(help_text="县(区)人民政府（报告单位）id")
    steps = DashStepSerializer(many=True)


class DashTimelineSerializer(serializers.Serializer):
    start = serializers.DateField()
    today = serializers.DateField()
    milestones = DashMilestoneRefSerializer(many=True)
    counties = DashTimelineCountySerializer(many=True)
    count = serializers.IntegerField()


class DashRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text="截至日期")
    plan = DashRefSerializer(allow_null=True, help_text="时间节点和试点乡镇所依据的实施方案")
    period = DashRefSerializer(allow_null=True, help_text="填报情况所依据的报告期")
    total = serializers.IntegerField(help_text="任务分解（各单位承担的任务）数")
    status = DashStatusSerializer()
    lights = DashLightsSerializer(
        help_text="与 /api/v1/assignments/?light= 按同样筛选列出的条数一致"
    )
    by_section = DashSectionSerializer(many=True)
    by_body = DashByBodySerializer()
    by_county = DashGroupListSerializer()
    open_findings = serializers.IntegerField(help_text="未销号的督查发现")
    overdue_reminders = serializers.IntegerField(help_text="逾期未回复的催办")
    reporting = DashReportingSerializer()
    pilot_matrix = DashMatrixSerializer()
    timeline = DashTimelineSerializer()
