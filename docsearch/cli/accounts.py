"""`docsearch user …` and `docsearch audit`: accounts with their roles, API tokens for scripts, the audit trail."""

from __future__ import annotations

import getpass
import sys

from docsearch import service
from docsearch.cli.common import add_index_option, cli_actor, open_index, print_json
from docsearch.errors import InvalidRequestError


def _password() -> str:
    """From standard input when it is not a terminal (scripts: `echo … | docsearch user add …`), else asked twice."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mật khẩu: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise InvalidRequestError("hai lần nhập mật khẩu không khớp")
    return first


def cmd_user_add(args) -> int:
    with open_index(args) as ix:
        u = service.add_user(ix, args.name, args.role, _password(), actor=cli_actor())
    print(f"tài khoản {u.name}: vai trò {u.role}")
    return 0


def cmd_user_list(args) -> int:
    with open_index(args) as ix:
        rows = service.users(ix)
    if args.json:
        print_json(rows)
        return 0
    for u in rows:
        print(f"{u.name:<24} {u.role:<8} {u.created or ''}")
    return 0


def cmd_user_remove(args) -> int:
    with open_index(args) as ix:
        service.remove_user(ix, args.name, actor=cli_actor())
    print(f"đã xoá tài khoản {args.name}")
    return 0


def cmd_user_token(args) -> int:
    with open_index(args) as ix:
        token = service.new_api_token(ix, args.name, args.label or "", actor=cli_actor())
    print(token)
    print("(chỉ hiện một lần; gửi kèm yêu cầu dưới dạng X-API-Key hoặc Authorization: Bearer)", file=sys.stderr)
    return 0


def cmd_audit(args) -> int:
    with open_index(args) as ix:
        rows = service.audit(ix, actor=args.actor, action=args.action, limit=args.limit)
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        print(f"{r.at}  {r.actor or '-':<20} {r.action:<12} {r.target or ''}  {r.detail or ''}")
    return 0


def register(sub) -> None:
    user = sub.add_parser("user", help="tài khoản: thêm, liệt kê, xoá, cấp khóa API")
    us = user.add_subparsers(dest="user_command", required=True)
    p = add_index_option(us.add_parser("add", help="thêm tài khoản (hoặc đổi vai trò, mật khẩu); mật khẩu từ "
                                                   "đầu vào chuẩn hoặc hỏi khi chạy"))
    p.add_argument("name")
    p.add_argument("--role", choices=["viewer", "editor", "admin"], default="viewer")
    p.set_defaults(func=cmd_user_add)
    p = add_index_option(us.add_parser("list", help="các tài khoản"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_user_list)
    p = add_index_option(us.add_parser("remove", help="xoá một tài khoản (và các khóa API của nó)"))
    p.add_argument("name")
    p.set_defaults(func=cmd_user_remove)
    p = add_index_option(us.add_parser("token", help="cấp một khóa API cho tài khoản (cho các script)"))
    p.add_argument("name")
    p.add_argument("--label")
    p.set_defaults(func=cmd_user_token)

    p = add_index_option(sub.add_parser("audit", help="nhật ký: ai làm gì, lúc nào"))
    p.add_argument("--actor")
    p.add_argument("--action")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_audit)
