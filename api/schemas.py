"""Pydantic models of the API's requests and error bodies (the responses are docsearch.views, shared with the
CLI)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from docsearch.service import TaskInput


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class TaskIn(BaseModel):
    text: str = Field(max_length=20_000)
    group: str | None = Field(default=None, max_length=200,
                              description="programme group (tasks of one group vote together); none: the task stands alone")
    group_heading: str = Field(default="", max_length=2000, description="the group's heading, aligned by content")


class LinkRequest(BaseModel):
    tasks: list[str | TaskIn] = Field(min_length=1, max_length=2000,
                                      description="tasks: plain texts, or {text, group?, group_heading?}")
    target: str | list[str] = Field(description="id of the target document in the index, or several ids")
    top: int = Field(default=5, ge=1, le=20)

    def target_ids(self) -> list[str]:
        ids = [self.target] if isinstance(self.target, str) else list(self.target)
        return [t for t in ids if t.strip()][:20]

    def task_inputs(self) -> list[TaskInput]:
        return [TaskInput(text=t) if isinstance(t, str) else TaskInput(text=t.text, group=t.group,
                                                                       group_heading=t.group_heading)
                for t in self.tasks]
