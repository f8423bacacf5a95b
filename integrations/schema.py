"""OpenAPI: the client-credentials flow of county systems as a security scheme."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ClientCredentialsScheme(OpenApiAuthenticationExtension):
    target_class = "integrations.authentication.ClientCredentialsAuthentication"
    name = "countyClient"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "description": "对接系统（各县区政务系统）：client_id + client_secret 换取访问令牌"
            "（有效期不超过1小时），请求时带 Authorization: Bearer 令牌。",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": settings.API_TOKEN_URL,
                    "scopes": {"read": "读取", "write": "填报和修改本单位的数据"},
                }
            },
        }

    def get_security_requirement(self, auto_schema):
        scope = "read" if auto_schema.method in ("GET", "HEAD", "OPTIONS") else "write"
        return {self.name: [scope]}


# --- Postprocessing: what the county-system plumbing adds to every operation --------------

ERROR_REF = {"$ref": "#/components/schemas/Error"}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "重试安全：同一账号、同一键、同一请求体的重复请求返回首次的响应而不再执行；"
    "同一键配不同请求体返回 422；24小时后失效。上传文件超过2 MB时不支持（400）。",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]{1,255}$"},
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "读取单条记录时返回的 ETag。对接系统修改（PUT/PATCH）必须带：缺少时 428；"
    "记录已被修改时 412，响应体 current 为当前内容。也可代替请求体中的 version。",
    "schema": {"type": "string", "minLength": 1, "maxLength": 100},
}
ETAG_HEADER = {
    "ETag": {"description": "记录的版本标识，修改时放在 If-Match 中", "schema": {"type": "string"}}
}
RETRY_AFTER = {"Retry-After": {"description": "多少秒后可重试", "schema": {"type": "integer"}}}
VERSIONED_ACTIONS = ("submit", "withdraw", "approve", "return")

# One example for every write, by operation id (the contract test sends them too).
EXAMPLES = {
    "v1_progress_reports_create": {
        "summary": "新建填报（草稿）",
        "value": {
            "assignment": 12,
            "status": "in_progress",
            "percent": 40,
            "progress": "已印发实施方案，完成12个乡镇便民服务中心标准化改造。",
            "problems": "部分乡镇专业人员不足。",
            "next_steps": "6月底前完成其余乡镇改造。",
        },
    },
    "v1_progress_reports_update": {
        "summary": "修改草稿（带 If-Match 或 version）",
        "value": {
            "status": "in_progress",
            "percent": 60,
            "progress": "完成18个乡镇。",
            "version": 2,
        },
    },
    "v1_progress_reports_partial_update": {
        "summary": "只改完成百分比",
        "value": {"percent": 60, "version": 2},
    },
    "v1_progress_reports_submit_create": {"summary": "报送", "value": {"version": 3}},
    "v1_progress_reports_withdraw_create": {"summary": "撤回", "value": {"version": 4}},
    "v1_progress_reports_approve_create": {"summary": "审核通过", "value": {"version": 4}},
    "v1_progress_reports_return_create": {
        "summary": "退回",
        "value": {"version": 4, "reason": "请补充验收材料。"},
    },
    "v1_checklist_lines_report_done_create": {
        "summary": "报完成",
        "value": {"completed_on": "2020-06-30", "note": "已挂牌运行。"},
    },
    "v1_checklist_lines_return_create": {
        "summary": "退回清单项",
        "value": {"reason": "请补充挂牌照片。"},
    },
    "v1_notifications_mark_read_create": {"summary": "标为已读", "value": {"ids": [1, 2]}},
    "v1_reminders_create": {
        "summary": "催办",
        "value": {
            "department": 44,
            "assignments": [12, 13],
            "message": "请于本周内报送上半年进展。",
            "reply_by": "2026-12-31",
        },
    },
    "v1_reminders_reply_create": {"summary": "回复催办", "value": {"reply": "已安排专人报送。"}},
    "v1_sign_offs_create": {"summary": "办结", "value": {"task": 42}},
    "v1_sign_offs_reopen_create": {
        "summary": "重新打开",
        "value": {"reason": "督查发现尚未全部落实。"},
    },
    "v1_summaries_create": {"summary": "生成半年汇总", "value": {"period": "2020H1"}},
    "v1_external_ids_create": {
        "summary": "登记外部编号",
        "value": {"external_id": "PD-2026-0153", "kind": "progress-report", "id": 88},
    },
    "v1_webhooks_create": {
        "summary": "订阅本单位填报的审核结果",
        "value": {
            "url": "https://zw.pingding.example/yq/webhook",
            "events": ["report.approved", "report.returned"],
        },
    },
}


def _error(description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}
    if headers:
        response["headers"] = headers
    return response


def county_contract(result, generator, request, public):
    """Idempotency-Key, If-Match/ETag, throttling and an example on every write."""
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            responses.setdefault("429", _error("请求过于频繁（按对接系统限流）", RETRY_AFTER))
            parameters = operation.setdefault("parameters", [])
            if method == "get" and path.endswith("{id}/") and "200" in responses:
                responses["200"].setdefault("headers", {}).update(ETAG_HEADER)
            if method == "post":
                parameters.append(IDEMPOTENCY_KEY)
                responses.setdefault("422", _error("Idempotency-Key 已用于内容不同的请求"))
                responses.setdefault("409", _error("相同 Idempotency-Key 的请求正在处理中"))
            versioned = path.startswith("/api/v1/progress-reports/{id}/") and (
                method in ("put", "patch")
                or any(path.endswith(f"/{name}/") for name in VERSIONED_ACTIONS)
            )
            if versioned:
                parameters.append(IF_MATCH)
                responses.setdefault("412", _error("If-Match 与当前版本不符；current 为当前内容"))
                if method in ("put", "patch"):
                    responses.setdefault("428", _error("对接系统修改时缺少 If-Match"))
                for code in ("200", "201"):
                    if code in responses:
                        responses[code].setdefault("headers", {}).update(ETAG_HEADER)
            example = EXAMPLES.get(operation.get("operationId"))
            content = operation.get("requestBody", {}).get("content", {})
            if example and "application/json" in content:
                content["application/json"]["examples"] = {"example": example}
    return result
